"""The one writer of scenario files, used by ``xiqu rebase`` and the explorer's Save.

:func:`scenario_yaml` is the text of a scenario's fields: the fields in
:data:`FIELD_ORDER` (the order of ``scenarios/README.md``), any other after them
in the order given, missing values (None) and :data:`NOT_WRITTEN` left out; UTF-8 block style, a
paragraph (a text with a line break) as a ``|`` block, every value written in
full (no YAML aliases), lines up to 100 characters; an optional comment above
the fields. :func:`write_scenario` writes it atomically. What is written reads
back with :func:`~xiqu_analysis.inputs.scenario.load_scenario` to the same
scenario.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

import yaml

from ...fileio import atomic_write_text

__all__ = ["FIELD_ORDER", "NOT_WRITTEN", "scenario_yaml", "write_scenario"]

#: order of the fields in a written scenario file (as in scenarios/README.md)
FIELD_ORDER = ("name", "title", "description", "region", "base_year", "end_year", "actuals", "gdp_base",
               "sector_shares", "real_growth_pct", "deflator_pct", "population", "urban_income", "fiscal_revenue",
               "indicators", "sources", "assumptions", "reasoning", "uncertainty")
#: fields a scenario carries but a file never holds (each indicator's rule is read from the registry)
NOT_WRITTEN = ("indicator_rules",)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # noqa: ARG002 - every value written in full
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # paragraphs stay paragraphs
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def scenario_yaml(data: Mapping[str, Any], comment: str | None = None) -> str:
    """The YAML text of a scenario's fields (see the module docstring); ``comment``'s lines first, as ``# `` lines."""
    ordered = {k: data[k] for k in FIELD_ORDER if k in data and data[k] is not None}
    ordered.update({k: v for k, v in data.items() if k not in ordered and v is not None and k not in NOT_WRITTEN})
    head = "".join(f"# {line}\n" for line in comment.splitlines()) if comment else ""
    return head + yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                            default_flow_style=False)


def write_scenario(path: str | os.PathLike, data: Mapping[str, Any], comment: str | None = None, *,
                   make_parents: bool = False) -> Path:
    """Write :func:`scenario_yaml` of ``data`` to ``path`` atomically (UTF-8); returns the path."""
    return atomic_write_text(path, scenario_yaml(data, comment), make_parents=make_parents)
