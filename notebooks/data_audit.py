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
region: str = "xiqu"  # region key: a folder of data/regions/ (e.g. xiqu, panzhihua)
output_dir: str = ""  # folder for tables/, figures/, tables.xlsx and artifacts.json (empty: outputs/notebooks/data_audit-<region>/ in the project)
language: str = "en"  # report language: "en" or "zh"

# %%
# Source audit: every figure of the region checked against the figures it should agree with.
# start() checks the parameters above, loads the region (and its benchmark) once and runs the audit
# (xiqu_analysis.economics.audit); the section explains it in the report's language.
from xiqu_analysis.reports.sections import data_audit as report

run = report.start(globals())
report.section_audit(run)

# %%
# The plan's project pipeline: stated investment by 专栏 and theme, each project once, against GDP.
report.section_projects(run)

# %%
run.finish();
