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
# Source audit notebook.
#
# Every figure under `data/regions/<region>/` checked against the figures it
# should agree with (see `xiqu_analysis.audit`), explained for a reader: what
# each check means, how many checks gave each verdict, and the
# inconsistencies found. Run with papermill, e.g.
# `papermill data_audit.ipynb out.ipynb -p region xiqu`.
#
# (The report headings and text come from the package in the chosen language;
# the batch runner hides this code in the HTML report.)
from xiqu_analysis import report
from xiqu_analysis.audit import run_audit

params = report.check_parameters("data_audit", region=region, output_dir=output_dir, language=language)
rep = report.Report(params.output_dir, params.language, notebook="data_audit",
                    parameters={"region": params.region, "language": params.language})

# %%
report.section_audit(rep, params.region, run_audit(params.region))

# %%
rep.finish();
