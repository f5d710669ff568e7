"""pydantic validation errors as one line a user can act on.

Every pydantic model of the package (scenario files, ``region.yaml``, the
notebooks' parameters) is validated through :func:`input_error`, which turns
the first problem into an :class:`~xiqu_analysis.errors.InputError` naming the
file, the dotted field and the problem in plain words (the value seen, the
allowed range, a close match for a misspelt field).
"""
from __future__ import annotations

import difflib
import math
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from ..errors import InputError

__all__ = ["FIELD_PROBLEM", "GROWTH_FLOOR_PCT", "field_problem", "describe", "input_error"]

#: error type of a cross-field problem that names its own dotted field
FIELD_PROBLEM = "field_problem"
#: a growth rate at or below this (per cent a year) leaves nothing
GROWTH_FLOOR_PCT = -100.0


def field_problem(field: str, problem: str) -> PydanticCustomError:
    """A cross-field error that names its dotted field (read back by :func:`input_error`)."""
    return PydanticCustomError(FIELD_PROBLEM, "{problem}", {"field": field, "problem": problem})


def describe(value: Any) -> str:
    """Plain words for a value a user wrote (with YAML 1.1 hints)."""
    if isinstance(value, bool):
        return (
            f"the boolean {str(value).lower()} (YAML reads unquoted yes/no/on/off/true/false as a boolean; "
            "quote it if you meant text)"
        )
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text '{shown}'"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "infinity"
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__} ({value})"


_TYPE_WORDS = {
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "bool_type": "must be true or false",
}
_LIMIT_WORDS = {
    "greater_than": ("gt", "must be greater than"),
    "greater_than_equal": ("ge", "must be at least"),
    "less_than": ("lt", "must be less than"),
    "less_than_equal": ("le", "must be at most"),
}


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """Model class reached by following field names ``loc`` from ``root``."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None or part not in model.model_fields:
            return None
        ann = model.model_fields[part].annotation
        nxt = None
        for cand in (ann, *typing.get_args(ann)):
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                nxt = cand
        model = nxt
    return model


def input_error(exc: ValidationError, source: str | Path, root: type[BaseModel]) -> InputError:
    """The first problem of a pydantic ``ValidationError`` as a one-line :class:`InputError`.

    Parameters
    ----------
    exc : pydantic.ValidationError
        Raised by ``root.model_validate``.
    source : str or Path
        The file (or ``"notebook parameters"``) the values came from.
    root : pydantic model class
        The model validated, to list the allowed fields of an unknown one.

    Returns
    -------
    InputError
        ``(source, dotted field, problem)``; a cross-field problem raised with
        :func:`field_problem` names its own field. The count of further
        problems is appended.
    """
    errors = exc.errors(include_url=False)
    # A misspelt key also makes the right one "missing": report the unknown key first.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    loc = [str(p) for p in err["loc"] if p not in ("number", "periods", "[key]")]
    ctx = err.get("ctx") or {}
    kind = err["type"]
    value = err.get("input")
    if kind == FIELD_PROBLEM:
        loc = str(ctx["field"]).split(".")
        problem = str(ctx["problem"])
    elif kind in ("period_key", "text_key"):  # a problem of one key of a mapping value
        loc = loc + [str(ctx["key"])]
        problem = str(ctx["problem"])
    elif kind == "missing":
        problem = "required field is missing"
    elif kind == "extra_forbidden":
        model = _model_at(root, tuple(err["loc"][:-1]))
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(loc[-1], allowed, n=1, cutoff=0.6) if allowed else []
        problem = "unknown field"
        if close:
            problem += f" (did you mean '{close[0]}'?)"
        if allowed:
            problem += f"; allowed here: {', '.join(allowed)}"
    elif kind in _TYPE_WORDS:
        problem = f"{_TYPE_WORDS[kind]}, got {describe(value)}"
    elif kind == "growth_type":
        problem = f"must be a number (% per year) or periods like {{2021-2025: 7.5}}, got {describe(value)}"
    elif kind == "finite_number":
        problem = f"must be a finite number, got {describe(value)} (YAML .nan / .inf are not allowed)"
    elif kind in _LIMIT_WORDS:
        key, words = _LIMIT_WORDS[kind]
        limit = ctx.get(key)
        problem = f"{words} {limit:g}, got {describe(value)}" if isinstance(limit, (int, float)) else err["msg"]
        if kind == "greater_than" and limit == GROWTH_FLOOR_PCT:
            problem += " (a growth rate of -100% or below would leave nothing)"
        elif kind == "greater_than" and limit == 0:
            problem += " (a base level must be positive)"
    elif kind == "value_error":
        problem = str(err["msg"]).removeprefix("Value error, ")
    else:
        problem = str(err["msg"])
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return InputError(source, ".".join(loc) or None, problem)
