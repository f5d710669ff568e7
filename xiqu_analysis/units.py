"""Units of Chinese statistical publications and their conversion.

亿 = 10^8 and 万 = 10^4. The plan's 2020 GDP of 82.91 亿元 is 8.291 billion
yuan (8.291e9 yuan), not "82.91 billion".

Every quantity in the package carries its unit in its name or docstring:
``_yi`` for 亿元, ``_yuan`` for 元, ``_persons``, ``_pct`` for per cent.
"""
from __future__ import annotations

import math

__all__ = ["UNIT_FACTORS", "KNOWN_UNITS", "LAND_AREA_M2", "to_base", "from_base", "convert", "convert_area",
           "base_unit", "yi_to_yuan", "yuan_to_yi", "wan_to_units"]

YI = 1e8
WAN = 1e4

#: unit -> (base unit, factor to base). Base units: yuan, persons, km2, percent,
#: mu (亩), m2, tonnes, count, km, m, m3, year, ratio.
UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "亿元": ("yuan", YI),
    "万元": ("yuan", WAN),
    "元": ("yuan", 1.0),
    "yuan": ("yuan", 1.0),
    "万人": ("persons", WAN),
    "人": ("persons", 1.0),
    "persons": ("persons", 1.0),
    "km2": ("km2", 1.0),
    "平方千米": ("km2", 1.0),
    "%": ("percent", 1.0),
    "亩": ("mu", 1.0),
    "万亩": ("mu", WAN),
    "m2": ("m2", 1.0),
    "万平方米": ("m2", WAN),
    "吨": ("tonnes", 1.0),
    "万吨": ("tonnes", WAN),
    "亿吨": ("tonnes", YI),
    "km": ("km", 1.0),
    "m": ("m", 1.0),
    "m3": ("m3", 1.0),
    "亿m3": ("m3", YI),
    "count": ("count", 1.0),
    "个": ("count", 1.0),
    "hours": ("hours", 1.0),
    "days": ("days", 1.0),
    "degC": ("degC", 1.0),
    "ratio": ("ratio", 1.0),
}
KNOWN_UNITS = frozenset(UNIT_FACTORS)

#: land-area base units in square metres: 1 亩 = 10000/15 m2 (666.67 m2, the statutory 市亩), 1 km2 = 1e6 m2.
#: Areas stay in their own base units (亩 for land, m2 for floor space, km2 for territory); only
#: :func:`convert_area` crosses between them, where a sum of parts needs it.
LAND_AREA_M2: dict[str, float] = {"m2": 1.0, "mu": 10_000.0 / 15.0, "km2": 1e6}


def base_unit(unit: str) -> str:
    """Base unit of ``unit`` (``"亿元"`` -> ``"yuan"``). Raises KeyError if unknown."""
    return UNIT_FACTORS[unit][0]


def to_base(value: float, unit: str) -> float:
    """Convert ``value`` in ``unit`` to its base unit (亿元 -> yuan, 万人 -> persons)."""
    return float(value) * UNIT_FACTORS[unit][1]


def from_base(value: float, unit: str) -> float:
    """Convert ``value`` in the base unit of ``unit`` into ``unit``."""
    return float(value) / UNIT_FACTORS[unit][1]


def convert(value: float, unit_from: str, unit_to: str) -> float:
    """Convert between two units of the same base (``convert(82.91, "亿元", "元")`` = 8.291e9)."""
    b_from, f_from = UNIT_FACTORS[unit_from]
    b_to, f_to = UNIT_FACTORS[unit_to]
    if b_from != b_to:
        raise ValueError(f"cannot convert {unit_from} ({b_from}) to {unit_to} ({b_to})")
    out = float(value) * f_from / f_to
    # Undo binary noise from the factors (82.91 * 1e8 / 1 = 8291000000.000001).
    return float(f"{out:.12g}") if math.isfinite(out) else out


def convert_area(value: float, unit_from: str, unit_to: str) -> float:
    """Convert an area between any of 亩, 万亩, m2, 万平方米, km2 (``convert_area(5000, "m2", "亩")`` = 7.5)."""
    b_from, f_from = UNIT_FACTORS[unit_from]
    b_to, f_to = UNIT_FACTORS[unit_to]
    if b_from not in LAND_AREA_M2 or b_to not in LAND_AREA_M2:
        return convert(value, unit_from, unit_to)
    out = float(value) * f_from * LAND_AREA_M2[b_from] / (LAND_AREA_M2[b_to] * f_to)
    return float(f"{out:.12g}") if math.isfinite(out) else out


def yi_to_yuan(value_yi: float) -> float:
    """亿元 -> 元: ``yi_to_yuan(82.91) == 8.291e9``."""
    return convert(value_yi, "亿元", "元")


def yuan_to_yi(value_yuan: float) -> float:
    """元 -> 亿元."""
    return convert(value_yuan, "元", "亿元")


def wan_to_units(value_wan: float) -> float:
    """万 -> units (万人 -> persons, 万元 -> yuan): ``wan_to_units(12.5) == 125000``."""
    return float(f"{float(value_wan) * WAN:.12g}")
