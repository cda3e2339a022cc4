"""The layout stays readable: small modules, no import cycles, a pure core, optional Faker."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("directory", "matching")
MAX_LINES = 400


def project_modules() -> dict[str, Path]:
    """Return every module of the project by dotted name (packages by their own name)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _nodes(tree: ast.Module) -> list[ast.AST]:
    """Return every node of a module, those inside functions too, but none of the
    ``if TYPE_CHECKING:`` blocks (which never run)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    return list(ast.walk(tree))


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the project modules that ``name`` imports (anywhere in it, lazily or not)."""
    found = set()
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in modules:
                    found.add(submodule)
                elif node.module in modules:
                    found.add(node.module)
    found.discard(name)
    return found


def test_no_module_is_over_400_lines():
    long = {name: n for name, path in project_modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}  # fmt: skip
    assert not long, long


def test_the_directory_package_has_few_modules_at_its_top():
    top = sorted(p.name for p in (ROOT / "directory").glob("*.py"))
    assert len(top) <= 10, top


def test_no_import_cycles_among_the_projects_modules():
    modules = project_modules()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                cycles.append([*trail[trail.index(other) :], other])
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


# What each part of the project may import (docs/ARCHITECTURE.md draws the same map). Each
# part is a sub-package or a top-level module of directory/, or matching/.
ALLOWED = {
    "directory.core": set(),
    "directory.extensions": set(),
    "directory.web": {"directory.core"},
    "directory.form_fields": set(),
    "directory.sqlite": {"directory.extensions"},
    "directory.security": set(),
    "directory.mail": set(),
    "directory.practitioners": {"directory.core", "directory.extensions",
                                "directory.form_fields", "directory.sqlite", "directory.web"},
    "directory.search": {"directory.core", "directory.extensions", "directory.practitioners",
                         "directory.sqlite", "directory.web"},
    "directory.accounts": {"directory.core", "directory.extensions", "directory.form_fields",
                           "directory.mail", "directory.practitioners", "directory.sqlite",
                           "directory.web"},
    "directory.admin": {"directory.accounts", "directory.core", "directory.extensions",
                        "directory.mail", "directory.practitioners", "directory.web"},
    "directory.browse": {"directory.core", "directory.extensions", "directory.form_fields",
                         "directory.practitioners", "directory.search", "directory.web"},
    "directory.samples": {"directory.core"},
    "directory.errors": {"directory.extensions", "directory.search", "directory.sqlite"},
    "directory.cli": {"directory.accounts", "directory.admin", "directory.core",
                      "directory.extensions", "directory.practitioners", "directory.samples",
                      "directory.search", "directory.sqlite", "directory.web"},
    "matching": {"directory.browse", "directory.core", "directory.extensions",
                 "directory.form_fields", "directory.mail", "directory.practitioners",
                 "directory.search",
                 "directory.sqlite", "directory.web"},
}  # fmt: skip


def part_of(module: str) -> str:
    """Return the part a module belongs to: ``matching``, or ``directory.<part>``."""
    parts = module.split(".")
    return "matching" if parts[0] == "matching" else ".".join(parts[:2])


def test_each_part_imports_only_what_the_architecture_allows():
    modules = project_modules()
    found = set()
    for name, path in modules.items():
        if name == "directory":
            continue  # the package's init_app wires every part together
        for other in imports_of(name, path, modules):
            if part_of(other) != part_of(name) and part_of(other) not in ALLOWED[part_of(name)]:
                found.add(f"{name} imports {other}")
    assert not found, sorted(found)
    assert set(ALLOWED) == {part_of(m) for m in modules if m != "directory"}


def _modules_loaded_by(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True)  # fmt: skip
    return {name.split(".")[0] for name in result.stdout.split()}


def test_the_pure_core_loads_without_flask_or_sqlalchemy():
    core = [f"directory.core.{p.stem}" for p in (ROOT / "directory" / "core").glob("*.py")]
    loaded = _modules_loaded_by("\n".join(f"import {name}" for name in core))
    assert not loaded & {"flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "whoosh"}


def test_the_running_site_never_imports_faker(tmp_path):
    loaded = _modules_loaded_by(
        "from tests.apps import make_app\n"
        "from pathlib import Path\n"
        f"with make_app(Path({str(tmp_path)!r})) as app:\n"
        "    client = app.test_client()\n"
        "    for url in ('/', '/therapists', '/match', '/api/v1/practitioners'):\n"
        "        assert client.get(url).status_code == 200, url\n"
    )
    assert "flask" in loaded and "faker" not in loaded
