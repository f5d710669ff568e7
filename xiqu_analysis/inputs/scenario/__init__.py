"""Scenario files: the schema (:mod:`.fields`, :mod:`.model`) and the loader (:mod:`.load`)."""
from .fields import (
    DEFAULT_SEED,
    FIELD_UNITS,
    GROWTH_FIELDS,
    MAX_SEED,
    SECTORS,
    UNCERTAINTY_DEFAULTS,
    FiscalRevenue,
    Population,
    SectorGrowth,
    SectorSd,
    SectorShares,
    Uncertainty,
    UrbanIncome,
    unit_of,
)
from .localtext import TEXT_LANGUAGES, LocalText, text_language
from .load import PROVENANCE_COLUMNS, actuals_file, check_sources, load_scenario, load_scenario_with_region, provenance
from .model import ACTUALS_PREFIX, InputStatus, Scenario, scenario_from_dict
from .write import FIELD_ORDER, scenario_yaml, write_scenario

__all__ = [
    "FIELD_ORDER",
    "scenario_yaml",
    "write_scenario",
    "ACTUALS_PREFIX",
    "actuals_file",
    "SECTORS",
    "DEFAULT_SEED",
    "MAX_SEED",
    "FIELD_UNITS",
    "GROWTH_FIELDS",
    "UNCERTAINTY_DEFAULTS",
    "Scenario",
    "LocalText",
    "TEXT_LANGUAGES",
    "text_language",
    "InputStatus",
    "SectorShares",
    "SectorGrowth",
    "SectorSd",
    "Population",
    "UrbanIncome",
    "FiscalRevenue",
    "Uncertainty",
    "PROVENANCE_COLUMNS",
    "load_scenario",
    "load_scenario_with_region",
    "scenario_from_dict",
    "check_sources",
    "provenance",
    "unit_of",
]
