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
review_year: int = 2025  # year under review (2021-2100); actual figures after it are ignored
region: str = "xiqu"  # region reviewed: a folder of data/regions/
actuals_path: str = ""  # bulletin CSV of actual figures; empty: data/bulletins/<region>_actuals.csv if it exists, else no actuals
scenario_paths: list = []  # scenario YAML files to score and re-base; empty list: every scenarios/*.yaml
final: bool = False  # True: final review of the whole plan period (base year + 1 to plan_end_year of region.yaml); needs review_year at or after plan_end_year
targets: list = []  # targets to solve on the re-based scenarios, such as gdp_real x2 from 2020 by 2035; empty list: real GDP doubling by the long-range year
output_dir: str = ""  # folder for tables/, figures/, tables.xlsx and artifacts.json; empty: outputs/notebooks/annual_review-<review_year>/
language: str = "en"  # report language: "en" or "zh"

# %%
# Annual review: the district's actual figures (a user-supplied bulletin CSV, see
# data/bulletins/README.md) against the plan's targets and each scenario's projection.
# start() checks the parameters above, loads the inputs once and runs the review
# (xiqu_analysis.economics.review); each section is one call of xiqu_analysis.reports.sections.annual_review.
# Conclusions in words come first, then the charts, then summary tables (long tables: CSV files only).
from xiqu_analysis.reports.sections import annual_review as report

run = report.start(globals())
report.section_intro(run)
report.section_summary(run)

# %%
report.section_conclusions(run)

# %%
report.section_charts(run)

# %%
report.section_scorecard(run)
report.section_required(run)

# %%
report.section_scores(run)

# %%
report.section_rebased(run)

# %%
report.section_solver(run)

# %%
report.section_plan(run)
report.section_calibration(run)
report.section_actuals(run)

# %%
run.finish();
