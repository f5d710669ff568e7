"""xiqu_analysis: economic scenarios for Xiqu district (攀枝花市西区), Panzhihua, and any region given as files.

Layers, imports running one way (each may use the ones before it):

- :mod:`xiqu_analysis.inputs`: read and validate files, return frozen records;
- :mod:`xiqu_analysis.economics`: pure functions over those records;
- :mod:`xiqu_analysis.reports`: every word, chart and written file;
- :mod:`xiqu_analysis.runner` and :mod:`xiqu_analysis.cli`: batch runs and the ``xiqu`` command.

The public API below covers what a user of the package calls; everything
else is reachable through the sub-packages. Names are imported on first use
(PEP 562), so ``import xiqu_analysis`` and the ``xiqu`` command start fast.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

__all__ = [
    "__version__",
    "InputError",
    "Scenario",
    "RegionData",
    "load_region",
    "load_scenario",
    "load_scenario_with_region",
    "load_bulletin",
    "provenance",
    "project",
    "check_projection",
    "ProjectionResult",
    "analyse_targets",
    "TargetAnalysis",
    "simulate",
    "SimulationResult",
    "sensitivity",
    "audit_region",
    "findings",
    "scenario_vs_data",
    "project_pipeline",
]

#: public name -> the module that defines it
_API: dict[str, str] = {
    "InputError": "xiqu_analysis.errors",
    "Scenario": "xiqu_analysis.inputs.scenario",
    "load_scenario": "xiqu_analysis.inputs.scenario",
    "load_scenario_with_region": "xiqu_analysis.inputs.scenario",
    "provenance": "xiqu_analysis.inputs.scenario",
    "RegionData": "xiqu_analysis.inputs.regions",
    "load_region": "xiqu_analysis.inputs.regions",
    "load_bulletin": "xiqu_analysis.inputs.bulletins",
    "project": "xiqu_analysis.economics.projection",
    "check_projection": "xiqu_analysis.economics.projection",
    "ProjectionResult": "xiqu_analysis.economics.projection",
    "analyse_targets": "xiqu_analysis.economics.targets",
    "TargetAnalysis": "xiqu_analysis.economics.targets",
    "simulate": "xiqu_analysis.economics.uncertainty",
    "SimulationResult": "xiqu_analysis.economics.uncertainty",
    "sensitivity": "xiqu_analysis.economics.sensitivity",
    "audit_region": "xiqu_analysis.economics.audit",
    "findings": "xiqu_analysis.economics.audit",
    "scenario_vs_data": "xiqu_analysis.economics.observed",
    "project_pipeline": "xiqu_analysis.economics.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'xiqu_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
