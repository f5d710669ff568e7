"""Findings of the source audit: the inconsistent checks grouped, one finding per inconsistency.

One wrong figure fails against every figure it is checked with (the plan's
per-capita GDP against each population of 2020); counting each failed check
as a problem would inflate a single inconsistency several times.
:func:`findings` groups them (see :mod:`.audit`).
"""
from __future__ import annotations

import itertools

import pandas as pd

__all__ = ["FINDING_COLUMNS", "findings"]

FINDING_COLUMNS = ["finding", "figure_ids", "check_ids", "n_checks", "indicator", "year"]
"""Columns of :func:`findings`: the finding's number, the figures in question (``"; "``), the checks that
support it (their ``check_id``, ``"; "``), their number, and the first check's indicator and year."""


# --------------------------------------------------------------------------
def findings(table: pd.DataFrame) -> pd.DataFrame:
    """Group the inconsistent checks of an audit table into findings, one per inconsistency.

    Two inconsistent checks support the same finding when they check the same
    figure, or when one of them uses the figure the other one checks (the
    plan's per-capita GDP fails against the census count and against the
    plan's own resident population, and that resident population fails
    against the census: one finding about two figures, three checks).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FINDING_COLUMNS`, one row per finding, numbered from 1
        in the order of their first check.
    """
    bad = table[table["verdict"] == "inconsistent"]
    if bad.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    ids = list(bad["check_id"])
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked = dict(zip(bad["check_id"], bad["figure_id"]))
    used = {cid: set(str(s).split("; ")) for cid, s in zip(bad["check_id"], bad["sources"])}
    for a, b in itertools.combinations(ids, 2):
        if checked[a] == checked[b] or checked[a] in used[b] or checked[b] in used[a]:
            parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    rows = []
    for n, members in enumerate(sorted(groups.values(), key=min), start=1):
        first = bad[bad["check_id"] == min(members)].iloc[0]
        figures = list(dict.fromkeys(checked[m] for m in sorted(members)))
        rows.append({"finding": n, "figure_ids": "; ".join(figures), "check_ids": "; ".join(map(str, sorted(members))),
                     "n_checks": len(members), "indicator": first["indicator"], "year": first["year"]})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
