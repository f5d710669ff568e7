"""The registry of indicators, data/indicators.csv: the vocabulary, a name per language, one-line refusals."""
from __future__ import annotations

import pytest

from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.indicators import indicator_registry, load_indicators

from tests.helpers.registry import data_with as _data_with


def test_the_registry_holds_the_vocabulary_documents_are_read_into():
    registry = indicator_registry(load_indicators())
    vocabulary = {"gdp", "gdp_growth", "primary_va", "secondary_va", "tertiary_va", "primary_va_growth",
                  "secondary_va_growth", "tertiary_va_growth", "primary_share", "secondary_share", "tertiary_share",
                  "gdp_per_capita", "gdp_per_capita_growth", "general_budget_revenue",
                  "general_budget_revenue_growth", "tax_revenue", "general_budget_expenditure",
                  "urban_disposable_income", "urban_disposable_income_growth", "rural_disposable_income",
                  "rural_disposable_income_growth", "disposable_income", "disposable_income_growth",
                  "resident_population", "registered_population", "urbanisation_rate", "retail_sales",
                  "retail_sales_growth", "fixed_investment_growth", "industrial_va_growth", "industrial_va"}
    assert vocabulary <= set(registry)
    gdp = registry["gdp"]
    assert (gdp.rule, gdp.unit, gdp.price_basis, gdp.higher_is_better) == ("sectors", "亿元", "current", True)
    assert "生产总值" in gdp.synonyms and gdp.label("zh") == "地区生产总值"
    assert registry["retail_sales_growth"].rule == "own_growth"  # a growth row takes its level's rule
    assert registry["urbanisation_rate"].rule == "tracked"


def test_a_language_is_a_pair_of_columns(tmp_path):
    data = _data_with(tmp_path, [dict(indicator="night_lights", label_en="night lights", label_fr="lumières",
                                      unit_family="percent", population_like="false", rule="tracked")])
    spec = indicator_registry(load_indicators(data))["night_lights"]
    assert spec.label("fr") == "lumières" and spec.label("fr-CA") == "lumières" and spec.label("de") == "night lights"


@pytest.mark.parametrize("row, column, words", [
    (dict(indicator="x_level", label_en="x", label_zh="x", unit_family="yuan", population_like="false",
          rule="own_growth", unit="亿元"), "projection_column", "rule 'own_growth' needs a projection_column"),
    (dict(indicator="x_level", label_en="x", label_zh="x", unit_family="yuan", population_like="false",
          rule="buoyancy", unit="亿元", projection_column="x_level"), "driver", "needs a driver"),
    (dict(indicator="x_level", label_en="x", label_zh="x", unit_family="yuan", population_like="false",
          rule="own_growth", unit="亿元", projection_column="retail_sales"), "projection_column", "already the column"),
    (dict(indicator="x_level", label_en="x", label_zh="x", unit_family="yuan", population_like="false",
          rule="grows_somehow"), "rule", "grows_somehow"),
    (dict(indicator="x_level", label_en="x", label_zh="x", unit_family="yuan", population_like="false",
          wording="?"), "wording", "unknown column"),
])
def test_a_bad_registry_row_is_one_line_naming_row_and_column(tmp_path, row, column, words):
    data = _data_with(tmp_path, [row])
    with pytest.raises(InputError) as err:
        load_indicators(data)
    assert column in str(err.value.field)
    assert words in str(err.value)
