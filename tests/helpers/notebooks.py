"""The report notebooks as committed: their parameter contract with the batch runner, what a finished run of
each writes, and the checks both the in-process and the kernel tests make of it."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat

from xiqu_analysis.runner.render import check_artifacts as runner_check

from . import ROOT

__all__ = ["NB_DIR", "CONTRACT", "EXPECTED", "read_notebook", "parameters_cell", "assert_help_lists_parameters",
           "check_artifacts"]

NB_DIR = ROOT / "notebooks"

#: the batch notebooks and their parameter contract with the batch runner (name -> type)
CONTRACT = {
    "scenario_report": {"scenario_path": "str", "output_dir": "str", "language": "str", "n_paths": "int", "seed": "int"},
    "scenario_comparison": {"scenario_paths": "list", "output_dir": "str", "language": "str"},
    "data_audit": {"region": "str", "output_dir": "str", "language": "str"},
}
EXPECTED = {
    "scenario_report": (
        ["headline", "main_indicators", "scenario_vs_data", "sectors", "targets", "probabilities", "percentiles",
         "sensitivity", "projection", "inputs"],
        ["gdp_paths", "sector_structure", "contributions", "per_capita", "income_revenue", "target_gaps",
         "fan_gdp_real", "fan_gdp_per_capita", "fan_fiscal_revenue", "tornado"],
    ),
    "scenario_comparison": (["comparison", "comparison_gaps"], ["comparison_paths", "comparison_gaps"]),
    "data_audit": (["audit_checks", "audit_verdicts", "audit_findings", "audit", "pipeline_by_column",
                    "pipeline_by_theme", "pipeline_investment", "pipeline_unstated"], []),
}


def read_notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)


def parameters_cell(nb) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    return cells[0]


def assert_help_lists_parameters(name: str, out: str) -> None:
    """``papermill --help-notebook``'s output lists every parameter with its type, default and comment."""
    source = parameters_cell(read_notebook(name)).source
    flat = " ".join(out.split())
    for line in source.splitlines():
        pname = line.split(":")[0].strip()
        comment = line.partition("  # ")[2].strip()
        assert f"  {pname}: {CONTRACT[name][pname]} (default" in out, out
        assert " ".join(comment.split()) in flat, f"{name}: {pname}'s comment missing"


def check_artifacts(name: str, folder: Path) -> dict:
    """A finished report folder: complete, every table, figure and version written, accepted by the runner."""
    manifest = json.loads((folder / "artifacts.json").read_text("utf-8"))
    assert manifest["complete"] is True
    tables, figures = EXPECTED[name]
    assert manifest["tables"] == [f"tables/{t}.csv" for t in tables]
    assert manifest["figures"] == [f"figures/{f}.png" for f in figures]
    for rel in manifest["tables"] + manifest["figures"] + ["tables.xlsx", "text.md", "document.json"]:
        assert (folder / rel).is_file() and (folder / rel).stat().st_size > 0, rel
    assert runner_check(folder)[0] is None  # the batch runner accepts the folder
    return manifest
