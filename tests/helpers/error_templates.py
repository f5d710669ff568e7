"""The English templates of every error message in the package, found by walking its AST.

A problem is written where it is raised: ``InputError(source, field, "template", **values)``,
and the same for the helpers that build one (``fail`` of a CSV cell, ``field_problem`` and
``custom_error`` of the scenario schema, ``type_error`` of a command-line value, ``PeriodError``,
``Message``). :func:`scan` returns every literal template and every raise site whose problem is
not one (an f-string, a sum of strings, a call that returns words).
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "xiqu_analysis"

#: callable name -> index of its problem argument
PROBLEM_ARGUMENT = {"InputError": 2, "fail": 3, "field_problem": 1, "custom_error": 1, "type_error": 0,
                    "PeriodError": 0, "Message": 0}


@dataclass
class Scan:
    templates: dict[str, list[str]] = field(default_factory=dict)  # template -> where it is written
    refused: list[str] = field(default_factory=list)  # "file:line: why"


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _accepted(node: ast.expr) -> bool:
    """A problem that is not a literal but is a message already checked where it was made."""
    if isinstance(node, ast.Name):  # a Message built above (its Message(...) call is checked)
        return True
    if isinstance(node, ast.Attribute) and node.attr == "message":  # another error's message passed on
        return True
    if isinstance(node, ast.Call) and _name(node.func) == "Message":
        return True
    if isinstance(node, ast.IfExp):
        return _accepted(node.body) and _accepted(node.orelse)
    return False


@functools.lru_cache(maxsize=4)
def scan(package: Path = PACKAGE) -> Scan:
    """Every literal template under ``package`` and every refused problem (cached: read it, do not change it)."""
    out = Scan()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent)
        text = path.read_text("utf-8")
        if not any(f"{name}(" in text for name in PROBLEM_ARGUMENT):
            continue
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            index = PROBLEM_ARGUMENT.get(name)
            if index is None or len(node.args) <= index:
                continue
            if name == "fail" and len(node.args) < 4:
                continue
            arg = node.args[index]
            for part in (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else (arg,):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    out.templates.setdefault(" ".join(part.value.split()), []).append(f"{rel}:{node.lineno}")
                elif not _accepted(part):
                    out.refused.append(f"{rel}:{node.lineno}: {name}'s problem is {type(part).__name__}, not a literal")
    return out
