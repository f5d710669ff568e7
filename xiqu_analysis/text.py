"""Every label, heading, caption and sentence of report text.

The words live in ``xiqu_analysis/locale/<lang>.yaml`` (nested mappings,
addressed by dotted keys such as ``"heading.headline"``); code calls
:func:`t`. A key missing from a language falls back to English, so Chinese is
an addition of a file. ``zh.yaml`` lists in ``_declares`` the key prefixes it
claims to cover completely; a test checks it does.

Numbers are formatted by one set of helpers (:func:`fmt_yi` 亿元 with two
decimals, :func:`fmt_yuan` with thousands separators, :func:`fmt_pct` one
decimal, :func:`fmt_pp` percentage points). Narrative builders turn results
into paragraphs; every number they print is a :class:`Quantity` tagged
``sourced`` (with its citation) or ``assumed`` (it depends on an assumption of
the scenario), rendered as ``[1]`` (numbered source note) or ``[a]``.

Text from scenario files is user input: :func:`esc` escapes it before it goes
into Markdown or HTML output.
"""
from __future__ import annotations

import functools
import html
import math
import re
import string
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable, Mapping

import yaml

__all__ = [
    "LANGUAGES",
    "t",
    "has_key",
    "keys",
    "available_languages",
    "declared_prefixes",
    "placeholders",
    "esc",
    "fmt_yi",
    "fmt_yuan",
    "fmt_pct",
    "fmt_pp",
    "fmt_persons",
    "fmt_prob",
    "fmt_number",
    "Quantity",
    "Narrative",
    "NarrativeBuilder",
]

#: languages a report can be written in (one locale file each)
LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"


# --------------------------------------------------------------------------- locale files
def _flatten(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = value
    return out


@functools.lru_cache(maxsize=None)
def _load(lang: str) -> dict[str, Any]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    try:
        raw = resources.files("xiqu_analysis").joinpath("locale", f"{lang}.yaml").read_text("utf-8")
    except FileNotFoundError:
        return {}
    data = yaml.safe_load(raw) or {}
    return _flatten(data)


def available_languages() -> tuple[str, ...]:
    """Languages that have a locale file."""
    return tuple(lang for lang in LANGUAGES if _load(lang))


def keys(lang: str = "en") -> list[str]:
    """Every text key the locale file of ``lang`` defines (meta keys starting with ``_`` excluded)."""
    return sorted(k for k in _load(lang) if not k.startswith("_"))


def declared_prefixes(lang: str) -> list[str]:
    """Key prefixes the locale file of ``lang`` declares complete (its ``_declares`` list)."""
    return list(_load(lang).get("_declares", []) or [])


def has_key(key: str, lang: str = "en") -> bool:
    """True if ``key`` is defined in ``lang`` itself (no fallback)."""
    return key in _load(lang) and not key.startswith("_")


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in a template string."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"heading.headline"``.
    lang : {"en", "zh"}
        Report language; a key missing in ``lang`` falls back to English.
    **values
        Values for the placeholders (already formatted strings, or numbers
        formatted with ``str``).

    Raises
    ------
    KeyError
        If the key is not defined in English either (a programming error).
    """
    table = _load(lang)
    template = table.get(key)
    if template is None:
        template = _load(DEFAULT_LANGUAGE).get(key)
    if template is None:
        raise KeyError(f"no report text for key {key!r}")
    template = str(template)
    try:
        return template.format(**values)
    except KeyError as exc:
        raise KeyError(f"report text {key!r} needs a value for {exc.args[0]!r}") from None


def label(name: str, lang: str = "en") -> str:
    """Label of a projection column / indicator (``label.<name>``), or ``name`` itself if none."""
    key = f"label.{name}"
    if key in _load(lang) or key in _load(DEFAULT_LANGUAGE):
        return t(key, lang)
    return name


# --------------------------------------------------------------------------- escaping
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")


def esc(text: Any) -> str:
    """Escape text from a scenario file (or any user input) for Markdown/HTML output.

    HTML special characters become entities (``<`` -> ``&lt;``) and Markdown
    control characters are backslash-escaped, so a scenario's title or
    description cannot inject markup or script into a report.
    """
    escaped = html.escape(str(text), quote=True)
    return _MD_SPECIAL.sub(r"\\\1", escaped)


# --------------------------------------------------------------------------- numbers
def _finite(value: float) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def fmt_number(value: float, decimals: int = 0) -> str:
    """``value`` with thousands separators and ``decimals`` decimals ("n/a" if not finite)."""
    if not _finite(value):
        return "n/a"
    return f"{float(value):,.{decimals}f}"


def fmt_yi(value_yi: float, lang: str = "en", decimals: int = 2) -> str:
    """An amount in 亿元 (1 亿 = 1e8 yuan): ``fmt_yi(82.91)`` -> ``"82.91 亿元"``."""
    return t("unit.yi", lang, value=fmt_number(value_yi, decimals))


def fmt_yuan(value_yuan: float, lang: str = "en") -> str:
    """An amount in yuan, whole yuan with thousands separators: ``"65,801 yuan"``."""
    return t("unit.yuan", lang, value=fmt_number(value_yuan, 0))


def fmt_persons(value: float, lang: str = "en") -> str:
    """A number of persons with thousands separators: ``"137,000 persons"``."""
    return t("unit.persons", lang, value=fmt_number(value, 0))


def fmt_pct(value_pct: float, lang: str = "en", decimals: int = 1) -> str:
    """A percentage given in per cent (4.9 -> ``"4.9%"``)."""
    if not _finite(value_pct):
        return "n/a"
    return t("unit.pct", lang, value=f"{float(value_pct):.{decimals}f}")


def fmt_pp(value_pp: float, lang: str = "en", decimals: int = 1) -> str:
    """A difference of percentages in percentage points, signed (``"+0.3 pp"``, ``"-1.2 pp"``)."""
    if not _finite(value_pp):
        return "n/a"
    v = float(value_pp)
    if round(v, decimals) == 0:
        v = 0.0
    return t("unit.pp", lang, value=f"{v:+.{decimals}f}")


def fmt_prob(probability: float, lang: str = "en") -> str:
    """A probability in 0..1 as a percentage with one decimal (0.4231 -> ``"42.3%"``)."""
    if not _finite(probability):
        return "n/a"
    return fmt_pct(100.0 * float(probability), lang)


_FORMATTERS = {
    "yi": fmt_yi,
    "yuan": fmt_yuan,
    "persons": fmt_persons,
    "pct": fmt_pct,
    "pp": fmt_pp,
    "prob": fmt_prob,
}


# --------------------------------------------------------------------------- tagged numbers
@dataclass(frozen=True)
class Quantity:
    """A number printed in a narrative, with its provenance.

    Parameters
    ----------
    value : float
        The number in the unit given by ``kind``.
    kind : {"yi", "yuan", "persons", "pct", "pp", "prob"}
        Unit family and formatter: 亿元, yuan, persons, per cent, percentage
        points, probability (0..1).
    status : {"sourced", "assumed"}
        ``sourced``: read from (or computed only from) cited figures;
        ``assumed``: depends on at least one assumption of the scenario.
    citation : str or None
        The source (required when ``status == "sourced"``).
    """

    value: float
    kind: str
    status: str
    citation: str | None = None

    def __post_init__(self):
        if self.kind not in _FORMATTERS:
            raise ValueError(f"unknown quantity kind {self.kind!r}")
        if self.status not in ("sourced", "assumed"):
            raise ValueError(f"status must be 'sourced' or 'assumed', not {self.status!r}")
        if self.status == "sourced" and not self.citation:
            raise ValueError("a sourced quantity needs a citation")

    def formatted(self, lang: str = "en") -> str:
        """The number alone, formatted for ``lang`` (no tag)."""
        return _FORMATTERS[self.kind](self.value, lang)


def sourced(value: float, kind: str, citation: str) -> Quantity:
    """Shorthand for a sourced :class:`Quantity`."""
    return Quantity(float(value), kind, "sourced", str(citation))


def assumed(value: float, kind: str, reason: str | None = None) -> Quantity:
    """Shorthand for an assumption-dependent :class:`Quantity`."""
    return Quantity(float(value), kind, "assumed", reason)


@dataclass(frozen=True)
class Narrative:
    """Paragraphs of report text with the provenance notes of their numbers.

    Attributes
    ----------
    paragraphs : tuple of str
        Markdown paragraphs; each number is followed by a tag ``[n]`` (source
        note n) or ``[a]`` (assumption-dependent).
    notes : tuple of str
        Source notes, ``notes[n-1]`` is the citation of tag ``[n]``.
    quantities : tuple of Quantity
        Every number printed, in order.
    lang : str
    """

    paragraphs: tuple[str, ...]
    notes: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    lang: str = "en"

    @property
    def text(self) -> str:
        """The paragraphs without the notes."""
        return "\n\n".join(self.paragraphs)

    def markdown(self) -> str:
        """Paragraphs followed by the source notes (Markdown)."""
        parts = list(self.paragraphs)
        legend = []
        for i, note in enumerate(self.notes, start=1):
            legend.append(f"[{i}] {esc(note)}")
        if any(q.status == "assumed" for q in self.quantities):
            legend.append(t("narrative.tag_assumed", self.lang))
        if legend:
            parts.append("<small>" + "<br>".join(legend) + "</small>")
        return "\n\n".join(parts)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.markdown()

    def _repr_markdown_(self) -> str:  # Jupyter shows it as Markdown
        return self.markdown()


@dataclass
class NarrativeBuilder:
    """Collects paragraphs, numbering the citations of the numbers they print.

    ``builder.add("narrative.growth", year0=2020, gdp0=sourced(82.91, "yi", "plan ch.1"))``
    renders every :class:`Quantity` value as ``"82.91 亿元 [1]"``; other values
    (years, names already escaped) are inserted as they are.
    """

    lang: str = "en"
    _paragraphs: list[str] = field(default_factory=list)
    _notes: list[str] = field(default_factory=list)
    _quantities: list[Quantity] = field(default_factory=list)

    def tag(self, q: Quantity) -> str:
        """``q`` formatted and tagged; registers its citation."""
        self._quantities.append(q)
        if q.status == "sourced":
            if q.citation not in self._notes:
                self._notes.append(q.citation)
            ref = str(self._notes.index(q.citation) + 1)
        else:
            ref = "a"
        return f"{q.formatted(self.lang)} [{ref}]"

    def render(self, key: str, **values: Any) -> str:
        """The text of ``key`` with quantities tagged (not added as a paragraph)."""
        filled = {k: (self.tag(v) if isinstance(v, Quantity) else v) for k, v in values.items()}
        return t(key, self.lang, **filled)

    def add(self, key: str, **values: Any) -> str:
        """Render ``key`` and append it as a new paragraph."""
        text = self.render(key, **values)
        self._paragraphs.append(text)
        return text

    def add_text(self, text: str) -> None:
        """Append an already-rendered paragraph (e.g. joined from :meth:`render` pieces)."""
        self._paragraphs.append(text)

    def build(self) -> Narrative:
        return Narrative(tuple(self._paragraphs), tuple(self._notes), tuple(self._quantities), self.lang)


def join_sentences(parts: Iterable[str], lang: str = "en") -> str:
    """Join rendered sentences with the language's separator."""
    sep = "" if lang == "zh" else " "
    return sep.join(p for p in parts if p)
