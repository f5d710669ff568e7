"""environment.yml (conda-forge) and pyproject.toml must list the same packages, and every package
the code imports."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, requires

import yaml
from tests.helpers import ROOT



def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_names() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(meta["dependencies"]) + [r for extra in meta["optional-dependencies"].values() for r in extra]
    return {_name(r): r.replace(" ", "") for r in reqs}


def _environment_names() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or _name(item) in {"python", "pip"}:
                continue
            out[_name(item)] = item.replace(" ", "")
    return out


def test_same_packages_in_both_files():
    py, env = _pyproject_names(), _environment_names()
    assert set(py) == set(env), f"only in pyproject: {set(py) - set(env)}; only in environment.yml: {set(env) - set(py)}"


def test_same_lower_bounds_in_both_files():
    py, env = _pyproject_names(), _environment_names()
    for name, req in py.items():
        assert req == env[name], f"{name}: pyproject says {req!r}, environment.yml says {env[name]!r}"


def test_every_environment_pin_has_a_comment():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- ") and re.search(r"[<>=]", stripped) and not stripped.startswith("- -e"):
            assert "#" in stripped, f"environment.yml pin without a comment: {stripped}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [l.strip() for l in ci.splitlines() if l.strip() and not l.strip().startswith("#")]
    assert commands[-1] == "make test"
    assert "make test" in readme and "make report" in readme


#: imported modules that come with a declared package (its own requirement), not declared themselves
PROVIDED_BY = {
    "pydantic_core": "pydantic",  # pydantic's compiled core (PydanticCustomError lives there)
    "IPython": "ipykernel",  # the kernel the notebooks run on; display() in reports
    "traitlets": "nbconvert",  # nbconvert's configuration classes
    "annotated_types": "pydantic",  # the schema's bounds (Gt, Ge, Lt, Le) the explorer reads its controls from
    "mistune": "nbconvert",  # the Markdown parser nbconvert renders the reports' text with
    "lxml": "python-docx",  # the XML python-docx builds documents in (footnotes part)
    "markupsafe": "jinja2",  # Markup for the print page's pre-rendered blocks
}


def _imported_top_level_modules() -> dict[str, str]:
    """Third-party top-level modules imported anywhere in xiqu_analysis/ -> one file importing each."""
    out: dict[str, str] = {}
    for path in sorted((ROOT / "xiqu_analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for mod in mods:
                top = mod.split(".")[0]
                if top not in sys.stdlib_module_names and top != "xiqu_analysis":
                    out.setdefault(top, str(path.relative_to(ROOT)))
    return out


def test_every_imported_package_is_declared():
    """A module the package imports must be a declared dependency (psutil once was not), or of the dask extra."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in [*meta["dependencies"], *meta["optional-dependencies"]["dask"]]}
    declared.add("distributed")  # the [distributed] of dask[distributed]
    dists = packages_distributions()
    missing = []
    for module, where in _imported_top_level_modules().items():
        if module in PROVIDED_BY:
            continue
        names = {_name(d) for d in dists.get(module, [module])}
        if not names & declared:
            missing.append(f"{module} ({where})")
    assert not missing, f"imported but not in pyproject.toml dependencies: {missing}"


def test_provided_modules_come_with_their_declared_package():
    declared = {_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
                ["dependencies"]}
    dists = packages_distributions()
    imported = _imported_top_level_modules()
    for module, provider in PROVIDED_BY.items():
        assert module in imported, f"{module} is no longer imported: drop it from PROVIDED_BY"
        assert provider in declared, provider
        needs = {_name(r) for r in requires(provider) or [] if "extra ==" not in r}
        assert {_name(d) for d in dists[module]} & needs, f"{provider} does not require {module}"
