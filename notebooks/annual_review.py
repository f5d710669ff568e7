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
actuals_path: str = ""  # bulletin CSV of actual figures; empty: data/bulletins/xiqu_actuals.csv if it exists, else no actuals
scenario_paths: list = []  # scenario YAML files to score and re-base; empty list: every scenarios/*.yaml
output_dir: str = ""  # folder for tables/, figures/, tables.xlsx and artifacts.json; empty: outputs/notebooks/annual_review-<review_year>/
language: str = "en"  # report language: "en" or "zh"

# %%
# Annual review (developer note; the report's own text comes from the locale files)
#
# The district's actual figures (a user-supplied bulletin CSV, see
# `data/bulletins/README.md`; none ships with the project) against the plan's
# 2021-2025 growth floors applied from 2020 and against each scenario's
# projection; each projection re-based on the latest actual; the growth now
# required for each floor. Run with papermill, e.g.
# `papermill annual_review.ipynb out.ipynb -p review_year 2025 -p actuals_path ../data/bulletins/xiqu_actuals.csv`.
# Every table and figure is also written to `output_dir` (`tables/*.csv`,
# `figures/*.png`, `tables.xlsx`, `artifacts.json`). All arithmetic is in
# `xiqu_analysis.review`; this notebook only calls it.
from xiqu_analysis import review
from xiqu_analysis.report import Report

params = review.check_review_parameters(review_year, actuals_path, scenario_paths, output_dir, language)
rep = Report(params.output_dir, params.language, notebook="annual_review", parameters=params.as_dict())
lang = params.language
rep.heading(review.text("review.title", lang, year=params.review_year), level=1);
rep.markdown(review.text("review.intro", lang));

# %%
result = review.annual_review(params.review_year, params.actuals_path, params.scenario_paths, language=lang)
rep.markdown(review.summary_text(result, params.actuals_path, lang));
rep.table(result.actuals, "actuals", review.text("review.caption_actuals", lang));

# %%
rep.heading(review.text("review.heading_plan", lang));
rep.table(result.plan_comparison, "plan_comparison", review.text("review.caption_plan", lang));

# %%
rep.heading(review.text("review.heading_scores", lang));
rep.table(result.scenario_scores, "scenario_scores", review.text("review.caption_scores", lang));

# %%
rep.heading(review.text("review.heading_rebased", lang));
rep.table(result.rebased, "rebased", review.text("review.caption_rebased", lang));
fig = review.review_figure(result, "gdp_nominal", lang)
if fig is not None:
    rep.figure(fig, "gdp_rebased", review.text("review.caption_figure", lang));
else:
    rep.markdown(review.text("review.nothing_to_compare", lang));

# %%
rep.heading(review.text("review.heading_required", lang));
rep.table(result.required, "required_growth", review.text("review.caption_required", lang));

# %%
rep.heading(review.text("review.heading_calibration", lang));
rep.table(result.calibration, "calibration", review.text("review.caption_calibration", lang));

# %%
rep.finish();
