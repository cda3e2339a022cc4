"""Static checks: nothing turns off escaping, and ruff's security rules stay clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNSAFE = re.compile(r"\|\s*safe\b|Markup\(|autoescape\s+false|\|\s*unescape\b", re.I)


def test_no_template_or_module_turns_off_escaping():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("directory/*.py"),
                 *ROOT.glob("matching/*.py"), ROOT / "app.py"]:  # fmt: skip
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNSAFE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_ruff_security_rules_are_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    # pyproject.toml selects the S rules; each exception there carries its reason.
    result = subprocess.run(
        [ruff, "check", "--select", "S", "--output-format", "concise", "."],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
