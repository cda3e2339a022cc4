"""Static checks: nothing turns off escaping, and ruff's security rules stay clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Markup only of a literal (markup written in the code, values put in by its escaping format()
# or join()): Markup(f"..."), Markup(value) and the rest would trust text as markup.
UNSAFE = re.compile(r"\|\s*safe\b|Markup\((?!\s*['\"])|autoescape\s+false|\|\s*unescape\b", re.I)


def test_no_template_or_module_turns_off_escaping():
    offenders = []
    # Every template and every module that could render one, search/ and fast/ included.
    paths = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("directory/**/*.py"),
             *ROOT.glob("matching/**/*.py"), ROOT / "app.py"]  # fmt: skip
    assert ROOT / "directory" / "search" / "text.py" in paths
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNSAFE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_the_check_tells_literal_markup_from_trusted_text():
    for line in ("Markup(text)", 'Markup(f"<b>{name}</b>")', "Markup( value )", "x | safe",
                 "{% autoescape false %}", "Markup(\n"):  # fmt: skip
        assert UNSAFE.search(line), line
    for line in ('Markup("<mark>")', "Markup('<option value=\"{}\">').format(value)"):
        assert not UNSAFE.search(line), line


def test_ruff_security_rules_are_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    # pyproject.toml selects the S rules; each exception there carries its reason.
    result = subprocess.run(
        [ruff, "check", "--select", "S", "--output-format", "concise", "."],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_search_package_imports_whoosh_and_directory_never_imports_matching():
    whoosh = re.compile(r"^\s*(from|import)\s+whoosh\b", re.MULTILINE)
    matching = re.compile(r"^\s*(from|import)\s+matching\b", re.MULTILINE)
    search = ROOT / "directory" / "search"
    sources = [*ROOT.glob("*.py"), *(ROOT / "directory").rglob("*.py"),
               *(ROOT / "matching").rglob("*.py")]  # fmt: skip
    importers = {p.relative_to(ROOT) for p in sources if whoosh.search(p.read_text("utf-8"))}
    assert importers and all(p.is_relative_to(search.relative_to(ROOT)) for p in importers)
    for path in (ROOT / "directory").rglob("*.py"):
        assert not matching.search(path.read_text("utf-8")), path
