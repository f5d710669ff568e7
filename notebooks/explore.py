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
scenario_path: str = "../scenarios/plan_targets.yaml"  # starting scenario: a YAML file (see scenarios/README.md) or a shipped scenario's name; another can be loaded in the page
output_dir: str = ""  # folder for saved scenarios (scenarios/) and rendered runs (runs/) (empty: outputs/explorer/ in the project)
language: str = "en"  # language of the page when neither its address (lang in the query string) nor the browser names one: "en" or "zh" (switchable in the page)
n_paths: int = 1000  # Monte Carlo paths of the fan chart (0: no fan chart; up to 20,000)

# %%
# Scenario explorer: one control per numeric input of the scenario schema; every change redraws the
# tables and charts, the starting scenario beside the changed one. Save writes a scenario file that
# `xiqu run` accepts; Render runs the report suite on it. All of it lives in
# xiqu_analysis.reports.explorer; start() checks the parameters above and loads the scenario once.
from xiqu_analysis.reports import explorer

app = explorer.start(globals())
app.show();
