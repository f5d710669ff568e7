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
# Scenario comparison: several scenarios side by side. Every section is one call of
# xiqu_analysis.reports.sections.comparison; start() checks the parameters above, loads each scenario and
# its region once and opens the report.
from xiqu_analysis.reports.sections import comparison as report

run = report.start(globals())
report.section_comparison(run)

# %%
report.section_comparison_charts(run)

# %%
report.section_comparison_gaps(run)

# %%
run.finish();
