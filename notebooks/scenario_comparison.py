# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
scenario_paths: list = []  # scenario YAML files to compare (at least two); empty list: every scenarios/*.yaml (papermill -p also takes a.yaml,b.yaml)
output_dir: str = ""  # folder for tables/, figures/, tables.xlsx and artifacts.json (empty: outputs/notebooks/scenario_comparison-comparison/ in the project)
language: str = "en"  # report language: "en" or "zh"

# %%
# Scenario comparison notebook.
#
# Several scenarios of Xiqu district (攀枝花市西区) side by side: one table,
# overlaid paths and the gap to each plan target. Run with papermill, e.g.
# `papermill scenario_comparison.ipynb out.ipynb -y "scenario_paths: [../scenarios/low.yaml, ../scenarios/high.yaml]"`.
# Tables and figures are also written to `output_dir`.
#
# (The report headings and text come from the package in the chosen language;
# the batch runner hides this code in the HTML report.)
from xiqu_analysis import report

params = report.check_parameters(
    "scenario_comparison", scenario_paths=scenario_paths, output_dir=output_dir, language=language
)
compared = report.compare_scenarios(params.scenario_paths)
rep = report.Report(params.output_dir, params.language, notebook="scenario_comparison",
                    parameters={"scenario_paths": [str(p) for p in params.scenario_paths], "language": params.language})

# %%
report.section_comparison(rep, compared)

# %%
report.section_comparison_charts(rep, compared)

# %%
report.section_comparison_gaps(rep, compared)

# %%
rep.finish();
