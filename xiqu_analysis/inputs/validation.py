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

from ..errors import InputError, Message

__all__ = ["FIELD_PROBLEM", "GROWTH_FLOOR_PCT", "TYPE_TEMPLATES", "LIMIT_NOTES", "custom_error", "field_problem",
           "describe", "type_message",
           "input_error"]

#: error type of a cross-field problem that names its own dotted field
FIELD_PROBLEM = "field_problem"
#: a growth rate at or below this (per cent a year) leaves nothing
GROWTH_FLOOR_PCT = -100.0


def field_problem(field: str, problem: str | Message, /, **params: object) -> PydanticCustomError:
    """A cross-field error that names its dotted field (read back by :func:`input_error`); ``problem`` is an
    English template filled from ``params`` (shown in another language like every error's)."""
    message = problem if isinstance(problem, Message) else Message(problem, **params)
    return PydanticCustomError(FIELD_PROBLEM, "{problem}", {"field": field, "problem": message})


def custom_error(kind: str, template: str, /, **params: object) -> PydanticCustomError:
    """A pydantic error of type ``kind`` whose problem is an English template filled from ``params``
    (the command line and the explorer show it in the reader's language)."""
    return PydanticCustomError(kind, "{problem}", {**params, "problem": Message(template, **params)})


def describe(value: Any) -> Message:
    """Plain words for a value a user wrote (with YAML 1.1 hints)."""
    if isinstance(value, bool):
        return Message("the boolean {value} (YAML reads unquoted yes/no/on/off/true/false as a boolean; quote it "
                       "if you meant text)", value=str(value).lower())
    if value is None:
        return Message("nothing (an empty value)")
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return Message("text '{text}'", text=shown)
    if isinstance(value, float):
        if math.isnan(value):
            return Message("NaN")
        if math.isinf(value):
            return Message("infinity")
        return Message("{value:g}", value=value)
    if isinstance(value, int):
        return Message("{value}", value=value)
    if isinstance(value, Mapping):
        return Message("a mapping")
    if isinstance(value, (list, tuple)):
        return Message("a list")
    return Message("a {type} ({value})", type=type(value).__name__, value=value)


#: pydantic's error types in words: the English templates (other languages: their errors.yaml); ``{value}`` is
#: the value seen (:func:`describe`), other placeholders the error's context
TYPE_TEMPLATES = {
    "missing": "required field is missing",
    "float_type": "must be a number, got {value}",
    "float_parsing": "must be a number, got {value}",
    "int_type": "must be a whole number, got {value}",
    "int_parsing": "must be a whole number, got {value}",
    "int_from_float": "must be a whole number, got {value}",
    "string_type": "must be text, got {value}",
    "dict_type": "must be a mapping, got {value}",
    "model_type": "must be a mapping, got {value}",
    "model_attributes_type": "must be a mapping, got {value}",
    "list_type": "must be a list, got {value}",
    "bool_type": "must be true or false, got {value}",
    "bool_parsing": "must be true or false, got {value}",
    "growth_type": "must be a number (% per year) or periods like {{2021-2025: 7.5}}, got {value}",
    "finite_number": "must be a finite number, got {value} (YAML .nan / .inf are not allowed)",
    "greater_than": "must be greater than {gt:g}, got {value}",
    "greater_than_equal": "must be at least {ge:g}, got {value}",
    "less_than": "must be less than {lt:g}, got {value}",
    "less_than_equal": "must be at most {le:g}, got {value}",
    "literal_error": "must be one of {expected}, got {value}",
    "enum": "must be one of {expected}, got {value}",
    "string_too_short": "must have at least {min_length} character(s), got {value}",
    "string_too_long": "must have at most {max_length} characters, got {value}",
    "too_short": "must have at least {min_length} item(s), got {actual_length}",
    "too_long": "must have at most {max_length} items, got {actual_length}",
    "string_pattern_mismatch": "must match the pattern {pattern}, got {value}",
}
#: a limit's own reason, after the words of its type
LIMIT_NOTES = {
    ("greater_than", GROWTH_FLOOR_PCT): "{problem} (a growth rate of -100% or below would leave nothing)",
    ("greater_than", 0): "{problem} (a base level must be positive)",
}


def type_message(kind: str, ctx: Mapping[str, Any], value: Any, msg: str) -> Message:
    """The words of one pydantic error: its ``type``, its context ``ctx``, the value seen and pydantic's own
    ``msg`` (used for a type without words here). The explorer shows the same messages."""
    problem = ctx.get("problem")
    if isinstance(problem, Message):  # field_problem, custom_error
        return problem
    if kind == FIELD_PROBLEM or kind in ("period_key", "text_key"):
        return Message("{problem}", problem=str(problem))
    if kind == "value_error":
        return Message("{problem}", problem=str(msg).removeprefix("Value error, "))
    template = TYPE_TEMPLATES.get(kind)
    if template is None:
        return Message("{problem}", problem=str(msg))
    params = {k: v for k, v in ctx.items() if f"{{{k}" in template}
    if "expected" in params:
        params["expected"] = str(params["expected"]).replace("' or '", "', '")
    if any(not isinstance(params.get(k), (int, float)) for k in ("gt", "ge", "lt", "le") if f"{{{k}" in template):
        return Message("{problem}", problem=str(msg))
    if "{value}" in template:
        params["value"] = describe(value)
    message = Message(template, **params)
    limit = next((ctx.get(k) for k in ("gt",) if kind == "greater_than"), None)
    note = LIMIT_NOTES.get((kind, limit))
    return Message(note, problem=message) if note else message


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
    if kind == FIELD_PROBLEM:
        loc = str(ctx["field"]).split(".")
    elif kind in ("period_key", "text_key"):  # a problem of one key of a mapping value
        loc = loc + [str(ctx["key"])]
    if kind == "extra_forbidden":
        model = _model_at(root, tuple(err["loc"][:-1]))
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(loc[-1], allowed, n=1, cutoff=0.6) if allowed else []
        if close and allowed:
            problem = Message("unknown field (did you mean '{close}'?); allowed here: {allowed}", close=close[0],
                              allowed=", ".join(allowed))
        elif allowed:
            problem = Message("unknown field; allowed here: {allowed}", allowed=", ".join(allowed))
        else:
            problem = Message("unknown field")
    else:
        problem = type_message(kind, ctx, err.get("input"), err["msg"])
    if len(errors) == 2:
        problem = Message("{problem} (and 1 more problem)", problem=problem)
    elif len(errors) > 2:
        problem = Message("{problem} (and {n} more problems)", problem=problem, n=len(errors) - 1)
    return InputError(source, ".".join(loc) or None, problem)
