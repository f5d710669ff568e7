"""Shared test set-up: headless matplotlib, a hypothesis profile for slow CI machines."""
from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
