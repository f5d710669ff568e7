"""The explorer's controls, read from the scenario schema itself.

:func:`control_specs` walks the pydantic model of a scenario
(:class:`~xiqu_analysis.inputs.scenario.Scenario` and its sections) and
returns one :class:`ControlSpec` per numeric input of the scenario at hand:
every number of every section, every period of a growth input given as
periods (``real_growth_pct.secondary.2021-2025``), the uncertainty settings.
Bounds come from the schema's own constraints (``gt``, ``ge``, ``lt``, ``le``)
and units from :func:`~xiqu_analysis.inputs.scenario.unit_of`. A field added
to the schema gets a control without a line here.

Two things are not controls: the frame of the scenario (``base_year`` and
``end_year``, which decide which periods exist) and text (names, sources,
reasons).

A section whose numbers are all shares (each bounded by 0 and 1) and whose
values sum to 1 is a *share group* (``sector_shares``): moving one share
rescales the others so the group keeps summing to 1 (:func:`rebalance`).
"""
from __future__ import annotations

import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ...inputs.scenario import unit_of

__all__ = ["FRAME_FIELDS", "ControlSpec", "control_specs", "share_groups", "rebalance", "slider_range",
           "SHARE_TOLERANCE"]

#: integer fields that frame the scenario (the periods depend on them): shown, not edited
FRAME_FIELDS = ("base_year", "end_year")
#: how far a share group may be from summing to 1 and still count as one (the schema's tolerance)
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class ControlSpec:
    """One numeric input of a scenario, as the explorer offers it.

    Attributes
    ----------
    path : str
        Dotted input path (``"real_growth_pct.secondary.2021-2025"``), as
        :meth:`Scenario.with_changes` takes it.
    field : str
        The schema field the value belongs to (the path without a period part).
    period : str or None
        ``"2021-2025"`` for one period of a growth input given as periods.
    section : str
        Top-level field the input belongs to (``"real_growth_pct"``), for grouping.
    kind : {"float", "int"}
    unit : str
        Unit code of :data:`~xiqu_analysis.inputs.scenario.FIELD_UNITS` (``"%"``, ``"亿元"``, ...) or ``""``.
    lower, upper : float
        Bounds from the schema (``-inf``/``inf`` when it sets none).
    lower_open, upper_open : bool
        True when the bound itself is excluded (``gt``/``lt``).
    value : float or int
        The value in the scenario the specs were read from.
    group : str or None
        The share group (section path) the input belongs to, if any.
    names : mapping or None
        For an input of a registry indicator (``indicators.<key>.*``), the indicator's names by
        language (from ``data/indicators.csv``).
    """

    path: str
    field: str
    period: str | None
    section: str
    kind: str
    unit: str
    lower: float
    upper: float
    lower_open: bool
    upper_open: bool
    value: float | int
    group: str | None = None
    names: Mapping[str, str] | None = None


def _constraints(metadata: list[Any]) -> tuple[float, float, bool, bool]:
    """(lower, upper, lower_open, upper_open) from annotated-types metadata (nested FieldInfo too)."""
    lower, upper, lower_open, upper_open = -math.inf, math.inf, False, False
    for item in metadata:
        if isinstance(item, FieldInfo):
            nested = _constraints(list(item.metadata))
            if nested[0] > -math.inf:
                lower, lower_open = nested[0], nested[2]
            if nested[1] < math.inf:
                upper, upper_open = nested[1], nested[3]
        elif isinstance(item, at.Gt):
            lower, lower_open = float(item.gt), True
        elif isinstance(item, at.Ge):
            lower, lower_open = float(item.ge), False
        elif isinstance(item, at.Lt):
            upper, upper_open = float(item.lt), True
        elif isinstance(item, at.Le):
            upper, upper_open = float(item.le), False
    return lower, upper, lower_open, upper_open


def _split_annotated(tp: Any) -> tuple[Any, list[Any]]:
    """``Annotated[float, a, b]`` -> ``(float, [a, b])``; other types unchanged."""
    if typing.get_origin(tp) is typing.Annotated:
        base, *meta = typing.get_args(tp)
        inner, more = _split_annotated(base)
        return inner, more + meta
    return tp, []


def _number_type(tp: Any) -> str | None:
    """``"float"`` or ``"int"`` for a plain number type (``bool`` is not a number)."""
    if tp is float:
        return "float"
    if tp is int:
        return "int"
    return None


def _union_members(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        return list(typing.get_args(tp))
    import types

    if isinstance(tp, types.UnionType):
        return list(typing.get_args(tp))
    return []


def _number_or_periods(tp: Any) -> tuple[tuple[float, float, bool, bool], tuple[float, float, bool, bool]] | None:
    """Bounds of (the number, each period) of a "number or periods" union type, else None."""
    members = _union_members(tp)
    number = periods = None
    for member in members:
        base, meta = _split_annotated(member)
        if _number_type(base) == "float":
            number = _constraints(meta)
        elif typing.get_origin(base) is dict:
            key_t, value_t = typing.get_args(base)
            vbase, vmeta = _split_annotated(value_t)
            if key_t is str and _number_type(vbase) == "float":
                periods = _constraints(vmeta)
    if number is not None and periods is not None:
        return number, periods
    return None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _without_none(tp: Any, meta: list[Any]) -> tuple[Any, list[Any]]:
    """An optional field (``X | None``) as ``X``: it gets a control when the scenario gives it."""
    members = _union_members(tp)
    if type(None) in members:
        rest = [m for m in members if m is not type(None)]
        if len(rest) == 1:
            inner, more = _split_annotated(rest[0])
            return inner, meta + more
    return tp, meta


def control_specs(scenario: BaseModel) -> list[ControlSpec]:
    """Every numeric input of ``scenario``, in the schema's field order.

    Parameters
    ----------
    scenario : pydantic model instance
        A :class:`~xiqu_analysis.inputs.scenario.Scenario` (or a model built
        like one): the walk reads ``type(scenario).model_fields`` recursively
        and the instance's values (which decide whether a growth input has
        periods, and which).

    Returns
    -------
    list of ControlSpec
    """
    specs: list[ControlSpec] = []
    _walk(type(scenario), scenario, "", specs, getattr(scenario, "input_unit", unit_of))
    rules = getattr(scenario, "indicator_rules", {}) or {}
    specs = [ControlSpec(**{**s.__dict__, "names": dict(rules[s.path.split(".")[1]].names)})
             if s.section == "indicators" and s.path.split(".")[1] in rules else s for s in specs]
    groups = share_groups(specs)
    member = {path: g for g, paths in groups.items() for path in paths}
    return [_with_group(s, member.get(s.path)) for s in specs]


def _with_group(spec: ControlSpec, group: str | None) -> ControlSpec:
    if group is None:
        return spec
    return ControlSpec(**{**spec.__dict__, "group": group})


def _walk(model: type[BaseModel], instance: Any, prefix: str, out: list[ControlSpec], unit_of=unit_of) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        if not prefix and name in FRAME_FIELDS:
            continue
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("derived"):
            continue  # filled by the loader (the registry's rules), not an input
        value = getattr(instance, name, None)
        section = path.split(".")[0]
        tp, meta = _split_annotated(info.annotation)
        tp, meta = _without_none(tp, meta + list(info.metadata))
        if _is_model(tp):
            if value is not None:
                _walk(tp, value, path + ".", out, unit_of)
            continue
        if typing.get_origin(tp) is dict and _is_model(typing.get_args(tp)[1]):
            for key, item in (value or {}).items():  # a section keyed by name (indicators.<key>)
                _walk(typing.get_args(tp)[1], item, f"{path}.{key}.", out, unit_of)
            continue
        kind = _number_type(tp)
        if kind is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            lo, hi, lo_open, hi_open = _constraints(meta)
            out.append(ControlSpec(path, path, None, section, kind, unit_of(path), lo, hi, lo_open, hi_open, value))
            continue
        either = _number_or_periods(tp)
        if either is None:
            continue  # text, mappings of text: not numeric inputs
        bounds_number, bounds_period = either
        if isinstance(value, Mapping):
            for key, v in value.items():
                out.append(ControlSpec(f"{path}.{key}", path, str(key), section, "float", unit_of(path),
                                       *bounds_period, float(v)))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(ControlSpec(path, path, None, section, "float", unit_of(path), *bounds_number, float(value)))


def share_groups(specs: list[ControlSpec]) -> dict[str, list[str]]:
    """Sections of shares that sum to 1: ``{"sector_shares": ["sector_shares.primary", ...]}``.

    A group is the set of inputs sharing a parent path when every one of them
    is a float bounded by 0 and 1 inclusive and their values sum to 1
    (within :data:`SHARE_TOLERANCE`), and there are at least two.
    """
    parents: dict[str, list[ControlSpec]] = {}
    for s in specs:
        if s.period is None and "." in s.path:
            parents.setdefault(s.path.rsplit(".", 1)[0], []).append(s)
    groups = {}
    for parent, members in parents.items():
        if len(members) < 2:
            continue
        if all(s.kind == "float" and s.lower == 0.0 and s.upper == 1.0 and not s.lower_open and not s.upper_open
               for s in members) and abs(sum(float(s.value) for s in members) - 1.0) <= SHARE_TOLERANCE:
            groups[parent] = [s.path for s in members]
    return groups


def rebalance(values: Mapping[str, float], members: list[str], changed: str, new_value: float) -> dict[str, float]:
    """New values of a share group after one share is set to ``new_value``.

    The other shares keep their proportions to each other and take up
    ``1 - new_value`` together (equal parts when they were all 0); the last
    one absorbs the rounding so the sum is 1 to the float. A ``new_value``
    outside 0..1 is returned as is with the others unchanged: the schema
    refuses it with its own message.

    Returns
    -------
    dict
        path -> value for every member of the group.
    """
    out = {p: float(values[p]) for p in members}
    out[changed] = float(new_value)
    if not (0.0 <= new_value <= 1.0) or not math.isfinite(new_value):
        return out
    others = [p for p in members if p != changed]
    rest = 1.0 - new_value
    total = sum(out[p] for p in others)
    for p in others[:-1]:
        out[p] = rest * (out[p] / total) if total > 0 else rest / len(others)
    out[others[-1]] = max(0.0, 1.0 - new_value - sum(out[p] for p in others[:-1]))
    return out


def slider_range(spec: ControlSpec, value: float | None = None) -> tuple[float, float, float]:
    """(min, max, step) of a slider for ``spec``: the schema's bounds where it sets them, else around the value.

    Growth rates (%) get -10..20 around typical values, levels 0..twice the
    value, unbounded ratios the value +- 2; the range always holds the value.
    """
    v = float(spec.value if value is None else value)
    if spec.unit == "%":
        lo, hi = min(-10.0, v - 5.0), max(20.0, v + 5.0)
    elif spec.lower >= 0 and spec.upper <= 1:
        lo, hi = spec.lower, spec.upper
    elif spec.lower >= 0 and spec.upper == math.inf:
        lo, hi = 0.0, max(2.0 * abs(v), 1.0)
    else:
        lo, hi = v - 2.0, v + 2.0
    lo = max(lo, spec.lower) if math.isfinite(spec.lower) else lo
    hi = min(hi, spec.upper) if math.isfinite(spec.upper) else hi
    span = hi - lo if hi > lo else 1.0
    step = 10.0 ** (math.floor(math.log10(span)) - 3)
    return lo, hi, step
