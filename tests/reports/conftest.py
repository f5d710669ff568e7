"""Fixtures of the reports layer's tests."""
from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture(scope="session")
def plan_projected(plan, region):
    """The shipped plan_targets scenario with what its report shows: region, projection, target analysis and
    the inputs' provenance table in each language."""
    from xiqu_analysis.economics.projection import project
    from xiqu_analysis.economics.targets import analyse_targets
    from xiqu_analysis.reports.words import text as T
    from xiqu_analysis.reports.tables.scenario import provenance_table

    projection = project(plan)
    analysis = analyse_targets(plan, region, result=projection)
    return SimpleNamespace(scenario=plan, region=region, projection=projection, analysis=analysis,
                           provenance={lang: provenance_table(plan, region, lang) for lang in T.LANGUAGES})
