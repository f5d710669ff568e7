"""What changed between two runs: ``xiqu diff RUN_A RUN_B`` and ``xiqu run --compare-with RUN``.

Two run folders (``outputs/<run-id>/``) are compared through what each
recorded: ``manifest.json`` (hashes of the data files and the scenario files,
the options, each notebook's parameters and status, package versions, the
git commit) and the headline tables its reports wrote (scenario headline
figures and target probabilities, the comparison, the audit verdicts, the
review's tracking, outlook, scorecard and targets ahead:
:data:`HEADLINE_TABLES`). Tables are matched by job and file name; rows by
their text columns, numbers cell by cell (a change is a difference above
:data:`RTOL` relative).

:func:`compare_runs` returns a :class:`RunDiff` of tidy frames;
:func:`diff_text` writes it as text for the terminal and
:func:`write_compare_page` as an offline HTML page (jinja2, autoescaped), in
the report language (``locale/<lang>/runs.yaml``).
"""
from __future__ import annotations

import io
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

import pandas as pd

from .. import config
from ..errors import InputError
from ..fileio import atomic_write_text, read_text_limited
from ..reports.words.text import t

__all__ = ["HEADLINE_TABLES", "RTOL", "RunDiff", "find_run", "compare_runs", "diff_text", "write_compare_page"]

#: tables compared between runs (file stems under each job's tables/)
HEADLINE_TABLES = ("headline", "probabilities", "targets", "comparison", "audit_verdicts", "tracking", "outlook",
                   "scorecard", "targets_ahead", "required_growth")
#: relative difference below which two numbers are the same
RTOL = 1e-9
_MAX_MANIFEST = 20_000_000
_MAX_TABLE = 20_000_000


@dataclass(frozen=True)
class RunDiff:
    """What changed from run ``a`` to run ``b``.

    Attributes
    ----------
    a, b : dict
        run_id, status, started, finished, command, commit, folder of each run.
    jobs : pandas.DataFrame
        job, status_a, status_b (a job of one run only has the other blank).
    files : pandas.DataFrame
        kind (``data``/``scenario``), file, change (``added``/``removed``/``changed``), sha_a, sha_b.
    parameters : pandas.DataFrame
        job (``(options)`` for the run's options, ``(packages)`` for versions), name, a, b.
    results : pandas.DataFrame
        job, table, row (the row's text cells), column, a, b, change (b - a; text for a row only in one run).
    compared : pandas.DataFrame
        job, table, rows, changed: every table compared, changed or not.
    """

    a: dict
    b: dict
    jobs: pd.DataFrame = field(repr=False)
    files: pd.DataFrame = field(repr=False)
    parameters: pd.DataFrame = field(repr=False)
    results: pd.DataFrame = field(repr=False)
    compared: pd.DataFrame = field(repr=False)

    @property
    def same(self) -> bool:
        """True when nothing differs but the runs' own ids and times."""
        return self.files.empty and self.parameters.empty and self.results.empty and \
            (self.jobs["status_a"] == self.jobs["status_b"]).all()


# --------------------------------------------------------------------------- finding runs
def find_run(ref: str | os.PathLike, out_root: str | os.PathLike | None = None, field: str = "compare_with", *,
             latest_may_be_missing: bool = False) -> Path | None:
    """The run folder ``ref`` names: a folder with ``manifest.json``, a run id under ``out_root``, or ``latest``.

    With ``latest_may_be_missing``, ``latest`` before any run has completed
    gives None (a scheduled ``xiqu run --compare-with latest`` on its first night).

    Raises
    ------
    InputError
        ``("command line", field, ...)`` when no such run exists or its manifest is unreadable.
    """
    root = Path(out_root).expanduser() if out_root is not None else config.output_dir()
    text = str(ref)
    candidates = [Path(text).expanduser()]
    if text == "latest":
        pointer = root / "LATEST"
        run_id = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
        candidates = [root / run_id] if run_id else [root / "latest"]
    elif os.sep not in text and "/" not in text:
        candidates.append(root / text)
    for cand in candidates:
        if (cand / "manifest.json").is_file():
            _manifest(cand, field)  # readable
            return cand.resolve()
    if text == "latest" and latest_may_be_missing and not (root / "LATEST").exists() and not (root / "latest").exists():
        return None
    raise InputError("command line", field,
                     "no run {text!r}: give a run folder holding manifest.json, a run id under {root}, or 'latest'",
                     text=text, root=root)


def _manifest(folder: Path, field: str = "run") -> dict:
    path = Path(folder) / "manifest.json"
    try:
        data = json.loads(read_text_limited(path, _MAX_MANIFEST))
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError(path, field, "not a readable manifest ({exc})", exc=exc) from None
    if not isinstance(data, dict):
        raise InputError(path, field, "not a manifest (a JSON object)")
    return data


# --------------------------------------------------------------------------- comparing
def _run_info(folder: Path, m: Mapping[str, Any]) -> dict:
    git = m.get("git") or {}
    return {"run_id": m.get("run_id", folder.name), "status": m.get("status"), "started": m.get("started"),
            "finished": m.get("finished"), "command": " ".join(m.get("command") or []),
            "commit": git.get("commit"), "folder": str(folder)}


def _file_changes(kind: str, a: Mapping[str, str], b: Mapping[str, str], base_a: str, base_b: str) -> list[dict]:
    def rel(path: str, base: str) -> str:
        try:
            return Path(path).relative_to(base).as_posix() if base else Path(path).name
        except ValueError:
            return Path(path).name

    ra = {rel(k, base_a): v for k, v in (a or {}).items()}
    rb = {rel(k, base_b): v for k, v in (b or {}).items()}
    rows = []
    for name in sorted(set(ra) | set(rb)):
        sa, sb = ra.get(name), rb.get(name)
        if sa == sb:
            continue
        change = "added" if sa is None else "removed" if sb is None else "changed"
        rows.append(dict(kind=kind, file=name, change=change, sha_a=sa or "", sha_b=sb or ""))
    return rows


def _value_text(v: Any) -> str:
    return "" if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True) if not isinstance(v, str) else v


def _param_changes(job: str, a: Mapping[str, Any], b: Mapping[str, Any], skip=("output_dir",)) -> list[dict]:
    rows = []
    for name in sorted(set(a or {}) | set(b or {})):
        if name in skip:
            continue
        va, vb = (a or {}).get(name), (b or {}).get(name)
        if va != vb:
            rows.append(dict(job=job, name=name, a=_value_text(va), b=_value_text(vb)))
    return rows


def _read_table(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(io.StringIO(read_text_limited(path, _MAX_TABLE)), keep_default_na=True)
    except (InputError, OSError, ValueError, pd.errors.ParserError):
        return None


def _tables(folder: Path, entry: Mapping[str, Any]) -> dict[str, Path]:
    out = {}
    for rel in entry.get("tables") or []:
        p = PurePosixPath(str(rel))
        if p.is_absolute() or ".." in p.parts or p.stem not in HEADLINE_TABLES:
            continue
        out[p.stem] = folder / Path(*p.parts)
    return out


def _same(x: float, y: float) -> bool:
    if math.isnan(x) and math.isnan(y):
        return True
    return math.isclose(x, y, rel_tol=RTOL, abs_tol=RTOL)


def _table_changes(job: str, table: str, a: pd.DataFrame, b: pd.DataFrame) -> tuple[list[dict], int]:
    numeric = [c for c in a.columns if c in b.columns and pd.api.types.is_numeric_dtype(a[c])
               and pd.api.types.is_numeric_dtype(b[c])]
    keys = [c for c in a.columns if c in b.columns and c not in numeric]

    def keyed(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        df["_row"] = [" | ".join(str(v) for v in r if not (isinstance(v, float) and math.isnan(v)))
                      for r in df[keys].itertuples(index=False)] if keys else [str(i + 1) for i in range(len(df))]
        df["_row"] = df["_row"] + df.groupby("_row").cumcount().map(lambda n: f" #{n + 1}" if n else "")
        return df.set_index("_row")

    ka, kb = keyed(a), keyed(b)
    rows = []
    for row in list(dict.fromkeys([*ka.index, *kb.index])):
        if row not in kb.index or row not in ka.index:
            rows.append(dict(job=job, table=table, row=row, column="", a="" if row not in ka.index else "present",
                             b="" if row not in kb.index else "present",
                             change="added" if row not in ka.index else "removed"))
            continue
        for col in numeric:
            x, y = float(ka.at[row, col]), float(kb.at[row, col])
            if not _same(x, y):
                rows.append(dict(job=job, table=table, row=row, column=col, a=x, b=y,
                                 change=(y - x) if not (math.isnan(x) or math.isnan(y)) else math.nan))
    return rows, len(ka.index.union(kb.index))


def compare_runs(run_a: str | os.PathLike, run_b: str | os.PathLike) -> RunDiff:
    """Compare two run folders (see the module docstring).

    Raises
    ------
    InputError
        A folder without a readable ``manifest.json``.
    """
    fa, fb = Path(run_a), Path(run_b)
    ma, mb = _manifest(fa, "RUN_A"), _manifest(fb, "RUN_B")
    na, nb = ma.get("notebooks") or {}, mb.get("notebooks") or {}
    jobs = pd.DataFrame([dict(job=j, status_a=(na.get(j) or {}).get("status", ""), status_b=(nb.get(j) or {}).get("status", ""))
                         for j in dict.fromkeys([*na, *nb])], columns=["job", "status_a", "status_b"])
    files = _file_changes("data", ma.get("data_files"), mb.get("data_files"), str(ma.get("data_dir") or ""),
                          str(mb.get("data_dir") or ""))
    files += _file_changes("scenario", ma.get("scenario_files"), mb.get("scenario_files"), "", "")
    # how and where a run executed, not what it computed (a report is the same on every executor)
    skip = ("out", "jobs", "timeout_s", "kernel", "compare_with", "executor", "scheduler")
    params = _param_changes("(options)", ma.get("options"), mb.get("options"), skip=skip)
    params += _param_changes("(packages)", ma.get("packages"), mb.get("packages"), skip=())
    for j in dict.fromkeys([*na, *nb]):
        if j in na and j in nb:
            params += _param_changes(j, na[j].get("parameters"), nb[j].get("parameters"))
    results, compared = [], []
    for j in dict.fromkeys([*na, *nb]):
        if not (j in na and j in nb):
            continue
        ta, tb = _tables(fa, na[j]), _tables(fb, nb[j])
        for name in [n for n in HEADLINE_TABLES if n in ta and n in tb]:
            a, b = _read_table(ta[name]), _read_table(tb[name])
            if a is None or b is None:
                continue
            rows, n = _table_changes(j, name, a, b)
            results += rows
            compared.append(dict(job=j, table=name, rows=n, changed=len(rows)))
    return RunDiff(a=_run_info(fa, ma), b=_run_info(fb, mb), jobs=jobs,
                   files=pd.DataFrame(files, columns=["kind", "file", "change", "sha_a", "sha_b"]),
                   parameters=pd.DataFrame(params, columns=["job", "name", "a", "b"]),
                   results=pd.DataFrame(results, columns=["job", "table", "row", "column", "a", "b", "change"]),
                   compared=pd.DataFrame(compared, columns=["job", "table", "rows", "changed"]))


# --------------------------------------------------------------------------- writing
def _num(v: Any) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return f"{v:,.6g}"
    return str(v)


def _change_word(v: Any, lang: str) -> str:
    if isinstance(v, str):
        return t(f"diff.change_{v}", lang) if v in ("added", "removed", "changed") else v
    if isinstance(v, float) and not math.isnan(v):
        return f"{v:+,.6g}"
    return ""


def diff_text(diff: RunDiff, lang: str = "en") -> str:
    """The diff as plain text (sections with a line per change)."""
    a, b = diff.a, diff.b
    lines = [t("diff.title", lang, a=a["run_id"], b=b["run_id"]),
             t("diff.run_line", lang, which="A", **a), t("diff.run_line", lang, which="B", **b)]
    if diff.same:
        lines.append(t("diff.same", lang))
    lines += ["", t("diff.heading_jobs", lang)]
    for r in diff.jobs.itertuples():
        mark = "" if r.status_a == r.status_b else "  *"
        lines.append(f"  {r.job}: {r.status_a or '-'} -> {r.status_b or '-'}{mark}")
    lines += ["", t("diff.heading_files", lang)]
    lines += [f"  {t('diff.kind_' + r.kind, lang)} {r.file}: {_change_word(r.change, lang)}"
              for r in diff.files.itertuples()] or [f"  {t('diff.none', lang)}"]
    lines += ["", t("diff.heading_parameters", lang)]
    lines += [f"  {r.job} {r.name}: {r.a or '-'} -> {r.b or '-'}" for r in diff.parameters.itertuples()] \
        or [f"  {t('diff.none', lang)}"]
    lines += ["", t("diff.heading_results", lang)]
    lines += [f"  {r.job} {r.table} [{r.row}] {r.column}: {_num(r.a)} -> {_num(r.b)} ({_change_word(r.change, lang)})"
              for r in diff.results.itertuples()] or [f"  {t('diff.none', lang)}"]
    n = int(diff.compared["rows"].sum()) if not diff.compared.empty else 0
    lines.append(t("diff.compared", lang, tables=len(diff.compared), rows=n))
    return "\n".join(lines) + "\n"


def write_compare_page(path: Path, diff: RunDiff, lang: str = "en") -> Path:
    """Write the diff as an offline HTML page (jinja2 with autoescape; no script, no remote resource)."""
    from .render import index_environment

    words = {k: t(f"diff.{k}", lang) for k in (
        "heading_jobs", "heading_files", "heading_parameters", "heading_results", "none", "same", "col_job",
        "col_status_a", "col_status_b", "col_kind", "col_file", "col_change", "col_name", "col_table", "col_row",
        "col_column", "col_a", "col_b", "back")}
    page = index_environment().get_template("compare.html.j2").render(
        lang=lang, title=t("diff.title", lang, a=diff.a["run_id"], b=diff.b["run_id"]), words=words,
        runs=[dict(which="A", **diff.a), dict(which="B", **diff.b)], same=diff.same,
        jobs=diff.jobs.to_dict("records"),
        files=[dict(r, kind=t(f"diff.kind_{r['kind']}", lang), change=_change_word(r["change"], lang))
               for r in diff.files.to_dict("records")],
        parameters=diff.parameters.to_dict("records"),
        results=[dict(r, a=_num(r["a"]), b=_num(r["b"]), change=_change_word(r["change"], lang))
                 for r in diff.results.to_dict("records")],
        compared=t("diff.compared", lang, tables=len(diff.compared),
                   rows=int(diff.compared["rows"].sum()) if not diff.compared.empty else 0))
    atomic_write_text(Path(path), page)
    return Path(path)
