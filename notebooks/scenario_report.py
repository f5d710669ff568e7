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
scenario_path: str = "../scenarios/plan_targets.yaml"  # scenario YAML file (see scenarios/README.md); tried relative to the current folder, then to notebooks/
output_dir: str = ""  # folder for tables/, figures/, tables.xlsx and artifacts.json (empty: outputs/notebooks/scenario_report-<scenario file name>/ in the project)
language: str = "en"  # report language: "en" or "zh"
n_paths: int = 5000  # number of Monte Carlo paths for fan charts and probabilities (1 to 1,000,000; 500 or more for readable fan charts)
seed: int = 20210801  # random seed of the Monte Carlo simulation (same seed, same report)

# %%
# Scenario report notebook.
#
# One scenario of Xiqu district (攀枝花市西区) from its 2020 base to 2035:
# projection, plan targets, uncertainty, sensitivity and the source of every
# input. Run with papermill, e.g.
# `papermill scenario_report.ipynb out.ipynb -p scenario_path ../scenarios/plan_targets.yaml`.
# Every table and figure is also written to `output_dir` (`tables/*.csv`,
# `figures/*.png`, `tables.xlsx`, `artifacts.json`). The words of the report
# come from `xiqu_analysis/locale/<language>.yaml`; the numbers from the
# package. This notebook only calls the package, one call per section.
#
# (The report headings and text come from the package in the chosen language;
# the batch runner hides this code in the HTML report.)
from xiqu_analysis import report
from xiqu_analysis.projection import project
from xiqu_analysis.scenario import load_scenario
from xiqu_analysis.sensitivity import sensitivity
from xiqu_analysis.targets import analyse_targets
from xiqu_analysis.uncertainty import simulate

params = report.check_parameters(
    "scenario_report", scenario_path=scenario_path, output_dir=output_dir, language=language, n_paths=n_paths, seed=seed
)
scenario = load_scenario(params.scenario_path)
rep = report.Report(params.output_dir, params.language, notebook="scenario_report",
                    parameters={"scenario_path": str(params.scenario_path), "language": params.language,
                                "n_paths": params.n_paths, "seed": params.seed})
report.section_intro(rep, scenario)

# %%
# The deterministic projection, and the plan's targets set against it.
projection = project(scenario)
analysis = analyse_targets(scenario, result=projection)
report.section_headline(rep, projection, analysis)

# %%
report.section_gdp(rep, projection)

# %%
report.section_structure(rep, projection)

# %%
report.section_per_capita(rep, projection)

# %%
report.section_income_revenue(rep, projection)

# %%
report.section_targets(rep, analysis)

# %%
# Monte Carlo paths around the scenario's growth (see xiqu_analysis.uncertainty).
simulation = simulate(scenario, n_paths=params.n_paths, random_state=params.seed)
report.section_uncertainty(rep, simulation, projection, analysis)

# %%
# Each input moved down and up one step, the others held (see xiqu_analysis.sensitivity).
report.section_sensitivity(rep, sensitivity(scenario))

# %%
# Every input: sourced (with citation) or assumed (with reason).
report.section_inputs(rep, scenario)

# %%
rep.finish();
