"""A region's ``region.yaml``: :class:`RegionInfo` and :func:`load_region_info` (no pandas).

Kept apart from :mod:`.regions` (figures, indicators, projects: the CSV
files) so that what needs only a region's name and years (the command
line's help texts, a run's plan) reads no other file. The file's format is
in :mod:`.regions`'s docstring.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import config
from ..config import data_root
from ..errors import InputError
from ..periods import YEAR_MAX, YEAR_MIN
from .validation import custom_error, input_error
from .yamlfile import read_yaml

__all__ = ["REGION_KEY", "RegionInfo", "data_field", "load_region_info"]

#: a region's key: the folder name under ``data/regions/`` (a-z, 0-9, _, starting with a letter)
REGION_KEY = re.compile(r"[a-z][a-z0-9_]*")

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


class RegionInfo(BaseModel):
    """A region's ``region.yaml`` (see the module docstring)."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    key: str
    code: str
    name_en: Annotated[str, Field(min_length=1)]
    name_zh: Annotated[str, Field(min_length=1)]
    parent: str | None = None
    benchmark_region: str | None = None
    base_year: Year
    plan_end_year: Year | None = None
    long_range_year: Year | None = None

    @field_validator("key")
    @classmethod
    def _region_key(cls, v: str) -> str:
        # a validator, not Field(pattern=...): pydantic patterns match anywhere in the text
        if not REGION_KEY.fullmatch(v):
            raise custom_error("region_key", "'{key}' is not a region key (a-z, 0-9, _, starting with a letter)", key=v)
        return v

    @field_validator("code")
    @classmethod
    def _six_digits(cls, v: str) -> str:
        if not re.fullmatch(r"\d{6}", v):
            raise custom_error("region_code", "expected a 6-digit administrative code (e.g. \"510403\"), got '{code}'",
                               code=v)
        return v

    @field_validator("parent", "benchmark_region")
    @classmethod
    def _empty_is_none(cls, v: str | None) -> str | None:
        return v or None

    def name(self, lang: str) -> str:
        """The region's name in ``lang`` (``name_zh``: 攀枝花市西区; a language the file has no name in: English)."""
        return str(getattr(self, data_field("name", lang, type(self).model_fields)))


def data_field(prefix: str, lang: str, have) -> str:
    """Of the data's fields or columns ``<prefix>_<language>`` (``have``), the one a reader of ``lang`` sees:
    its own, else its base language's (``en-XA`` reads ``_en``), else the English one."""
    for code in (lang, lang.split("-")[0]):
        if f"{prefix}_{code}" in have:
            return f"{prefix}_{code}"
    return f"{prefix}_en"


def load_region_info(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None) -> RegionInfo:
    """``data/regions/<region>/region.yaml`` as a frozen :class:`RegionInfo`.

    Raises
    ------
    InputError
        The file is missing or invalid, or ``key`` differs from the folder name.
    """
    path = data_root(data_dir) / "regions" / region / "region.yaml"
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise InputError(path, None, "expected a mapping of keys (key: ..., code: ...)")
    if isinstance(raw.get("code"), int) and not isinstance(raw.get("code"), bool):
        raise InputError(path, "code", 'write the code in quotes ("{code}"): a number loses leading zeros',
                         code=raw['code'])
    try:
        info = RegionInfo.model_validate(raw)
    except ValidationError as exc:
        raise input_error(exc, path, RegionInfo) from None
    if info.key != region:
        raise InputError(path, "key", "{key!r} differs from the folder name {region!r}", key=info.key, region=region)
    return info
