"""A scenario's inputs changed by dotted path (:meth:`Scenario.with_changes`): the data of the new scenario.

A changed input is no longer the sourced figure nor the value its reason
justified: its ``sources`` entry is dropped and ``assumptions`` records the
change (``changed by with_changes (was ..., sourced from ...)``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import InputError
from .paths import canonical_path, is_period_of, short

__all__ = ["changed_data"]


def changed_data(scenario: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """The scenario's data (``model_dump``) with ``changes`` applied and its sources and assumptions updated.

    Raises
    ------
    InputError
        A path that names no field (source ``"with_changes"``).
    """
    data = scenario.model_dump(mode="python")
    sources = dict(data.get("sources") or {})
    assumptions = dict(data.get("assumptions") or {})
    for raw_path, value in changes.items():
        path = canonical_path(raw_path)
        if isinstance(value, np.generic):
            value = value.item()
        parts = path.split(".")
        node: Any = data
        for i, part in enumerate(parts[:-1]):
            if not isinstance(node, dict) or part not in node:
                raise InputError("with_changes", raw_path, "names no field of the scenario")
            node = node[part]
        if not isinstance(node, dict) or (parts[-1] not in node and not is_period_of(parts, data)):
            raise InputError("with_changes", raw_path, "names no field of the scenario")
        was = node.get(parts[-1]) if isinstance(node, dict) else None
        node[parts[-1]] = value
        # The changed input is no longer the sourced figure nor the value its reason
        # justified: record the change; entries for inputs it replaced are dropped.
        replaced = sorted(k for k in sources if k == path or k.startswith(path + "."))
        ids = [sources.pop(k) for k in replaced]
        old_reason = assumptions.get(path)
        if isinstance(old_reason, dict):  # a reason given in several languages: the note keeps the English
            old_reason = old_reason.get("en", next(iter(old_reason.values()), ""))
        for key in [k for k in assumptions if k.startswith(path + ".")]:
            del assumptions[key]
        if scenario.input_unit(path):  # a numeric input (or group): say it was changed
            note = f"changed by with_changes (was {short(was)}"
            if ids:
                note += f", sourced from {', '.join(dict.fromkeys(ids))}"
            elif old_reason:
                note += f"; {old_reason}"
            assumptions[path] = note + ")"
    data["sources"] = sources
    data["assumptions"] = assumptions
    return data
