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
scenario_path: str = "../scenarios/plan_targets.yaml"  # scenario YAML file (see scenarios/README.md), or a shipped scenario's name; tried relative to the current folder, then to notebooks/
output_dir: str = ""  # folder for tables/, figures/, tables.xlsx and artifacts.json (empty: outputs/notebooks/scenario_report-<scenario file name>/ in the project)
language: str = "en"  # report language: "en" or "zh"
n_paths: int = 5000  # number of Monte Carlo paths for fan charts and probabilities (1 to 1,000,000; 500 or more for readable fan charts)
seed: int = 20210801  # random seed of the Monte Carlo simulation (same seed, same report)

# %%
# Scenario report: one scenario from its base year to its horizon. Every section is one call of
# xiqu_analysis.reports.sections.scenario_report; start() checks the parameters above (an unknown or
# misspelt name stops the run), loads the scenario and its region once and opens the report.
from xiqu_analysis.reports.sections import scenario_report as report

run = report.start(globals())
report.section_intro(run)

# %%
report.section_headline(run)

# %%
report.section_main_indicators(run)

# %%
report.section_observed(run)

# %%
report.section_gdp(run)

# %%
report.section_structure(run)

# %%
report.section_per_capita(run)

# %%
report.section_income_revenue(run)

# %%
report.section_targets(run)

# %%
report.section_uncertainty(run)

# %%
report.section_sensitivity(run)

# %%
report.section_yearly(run)

# %%
report.section_inputs(run)

# %%
report.section_method(run)

# %%
run.finish();
