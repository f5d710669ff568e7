"""environment.yml (conda-forge) and pyproject.toml must list the same packages."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_names() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(meta["dependencies"]) + list(meta["optional-dependencies"]["test"])
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
