"""The package's shape: layers imported one way, modules of one job, no traces of how it was built.

The import contract lives in ``pyproject.toml`` (``[tool.importlinter]``) and is
checked with import-linter, the same tool a developer runs as ``lint-imports``.
A second test shows that the same contract does catch a violation, on a
throw-away package built in a temporary folder.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import xiqu_analysis
from tests.helpers import ROOT

PACKAGE = ROOT / "xiqu_analysis"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
#: a module doing one job stays readable: this is the ceiling
MAX_MODULE_LINES = 500


def _lint(config: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_import_contract_is_kept():
    proc = _lint(ROOT / "pyproject.toml", ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_import_contract_catches_an_upward_import(tmp_path):
    pkg = tmp_path / "layered"
    for layer in ("inputs", "economics", "reports"):
        (pkg / layer).mkdir(parents=True)
        (pkg / layer / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "economics" / "model.py").write_text("from ..inputs import x\n")
    (pkg / "inputs" / "x.py").write_text("from ..economics import model  # upward: refused\n")
    config = tmp_path / "contract.toml"
    config.write_text(textwrap.dedent("""\
        [tool.importlinter]
        root_package = "layered"

        [[tool.importlinter.contracts]]
        name = "layers"
        type = "layers"
        layers = ["layered.reports", "layered.economics", "layered.inputs"]
        """))
    proc = subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "BROKEN" in proc.stdout and "layered.inputs.x" in proc.stdout


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_does_several_jobs(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by job"


def test_no_guarded_imports_of_the_package_itself():
    """Every module of the package exists: no ``try: import`` scaffolding for missing siblings."""
    offenders = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(isinstance(h.type, ast.Name) and h.type.id in
                                                 ("ImportError", "ModuleNotFoundError") for h in node.handlers):
                inner = [n for n in ast.walk(node) if isinstance(n, ast.ImportFrom) and (n.level or 0) > 0]
                if inner:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


#: words about how the project was made rather than what it is
_TRACES = re.compile(r"\bsessions? \d|\bissue \d+ ?§|TEAM_NOTES|still being written|being written|old private name"
                     r"|/work/|/home/\w+|helper-\d|\.\./shared/|\bthe issue.s\b|adversarial run")


def test_repository_speaks_of_the_project_only():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    hits = []
    for name in files:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".yaml", ".yml", ".toml", ".cfg", ".txt", ".j2", ".csv", ""}:
            continue
        if path == Path(__file__) or not path.is_file():
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if _TRACES.search(line):
                hits.append(f"{name}:{i}: {line.strip()[:100]}")
    assert not hits, "\n".join(hits)


def test_public_api_resolves_and_is_explicit():
    assert xiqu_analysis.__all__, "the package chooses its public API"
    for name in xiqu_analysis.__all__:
        assert getattr(xiqu_analysis, name) is not None, name
    with pytest.raises(AttributeError):
        xiqu_analysis.no_such_name  # noqa: B018


def test_importing_the_package_is_light():
    """``import xiqu_analysis`` (and so every ``xiqu`` command's first line) loads no numerical stack."""
    code = "import sys, xiqu_analysis; print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_no_private_name_crosses_a_module():
    """A name starting with ``_`` stays in its module: a helper two modules share is public and documented."""
    offenders = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or node.level):
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno}: {a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
    assert not offenders, "\n".join(offenders)


def test_results_expose_their_table_one_way():
    """A result's main table is ``.table``: no ``to_frame()`` or ``as_table()`` beside it."""
    offenders = [f"{path.relative_to(ROOT)}:{node.lineno}: {node.name}" for path in _modules()
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.FunctionDef) and node.name in ("to_frame", "as_table")]
    assert not offenders, "\n".join(offenders)


def test_architecture_names_every_module():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [str(p.relative_to(ROOT)) for p in sorted(PACKAGE.rglob("*.py"))
               if p.name != "__init__.py" and p.name not in text]
    assert not missing, f"ARCHITECTURE.md does not name: {', '.join(missing)}"
