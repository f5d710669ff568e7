"""The report languages: one folder each, its words and its way of writing numbers.

A language is a folder ``<lang>/`` of YAML files in a locale directory: the
package's ``reports/locale/`` first, then the folders named in the
environment variable ``XIQU_LOCALE_DIRS`` (separated by ``os.pathsep``). The
languages the reports know are the folders present (:func:`languages`);
nothing else lists them. Adding a language is copying a folder and
translating it.

The words of a language are every key of its ``*.yaml`` files (nested
mappings addressed by dotted keys). Its ``formats.yaml`` also holds, under
``settings``, how the language writes what is not a word: decimal and
grouping marks, the space between a number and its unit, how sentences and
pieces of text join, whether words have letter case, which of the data's
names it reads (the data files give names in English and Chinese), citation
style, chart wrapping widths, and the fonts of figures, Word and PDF files.
A setting or word a language does not give comes from the language named by
its ``settings.fallback`` (``en-XA`` falls back to ``en``), then from English.

:func:`get_locale` returns the :class:`Locale` of a language; every formatter
of the reports takes one (or a language tag it turns into one).
"""
from __future__ import annotations

import functools
import os
import string
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Mapping

from ...inputs.yamlfile import parse_yaml
from .values import is_finite, is_missing, is_number

__all__ = [
    "DEFAULT_LANGUAGE",
    "LOCALE_DIRS_ENV",
    "SETTINGS_KEY",
    "ERRORS_FILE",
    "Locale",
    "locale_dirs",
    "languages",
    "load_words",
    "ERRORS_FILE",
    "get_locale",
    "flatten",
    "is_finite",
    "is_missing",
    "is_number",
    "LARGE",
    "SMALL",
    "WHOLE_FROM",
]

#: the language every other one falls back to for a missing word or setting
DEFAULT_LANGUAGE = "en"
#: environment variable naming further folders of languages (``os.pathsep``-separated)
LOCALE_DIRS_ENV = "XIQU_LOCALE_DIRS"
#: the section of ``formats.yaml`` that holds a language's settings (not words)
SETTINGS_KEY = "settings"
_SETTINGS_FILE = "formats.yaml"
#: a language's catalogue of error messages: English template -> the language's template (not words)
ERRORS_FILE = "errors.yaml"

#: the table-cell rule (page, Word, PDF, workbook): whole numbers from WHOLE_FROM up, two decimals
#: below, significant digits from LARGE up or under SMALL (but not zero)
WHOLE_FROM = 1000
LARGE = 1e15
SMALL = 0.005
NOISE = 1e-9  #: below this a computed difference is float noise (7.5 - 7.499999999999992): shown as 0


# --------------------------------------------------------------------------- files
def flatten(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as one mapping of dotted keys (``{"a": {"b": 1}}`` -> ``{"a.b": 1}``)."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, full + "."))
        else:
            out[full] = value
    return out


def locale_dirs() -> tuple[Traversable, ...]:
    """The folders that hold languages: the package's ``reports/locale`` and ``$XIQU_LOCALE_DIRS``."""
    dirs: list[Traversable] = [resources.files("xiqu_analysis.reports").joinpath("locale")]
    for entry in os.environ.get(LOCALE_DIRS_ENV, "").split(os.pathsep):
        if entry.strip():
            dirs.append(Path(entry.strip()))
    return tuple(dirs)


def _folders() -> dict[str, Traversable]:
    """Language tag -> its folder (the first locale directory that has it wins)."""
    out: dict[str, Traversable] = {}
    for root in locale_dirs():
        if not root.is_dir():
            continue
        for p in root.iterdir():
            if p.is_dir() and not p.name.startswith((".", "_")) and p.name not in out:
                out[p.name] = p
    return out


def languages() -> tuple[str, ...]:
    """The report languages: the folders present in the locale directories, sorted."""
    return tuple(sorted(_folders()))


def _words_file(lang: str, name: str) -> dict[str, Any]:
    """The file ``name`` of ``lang`` alone, parsed (empty when it has none; ValueError for an unknown
    language): a command that needs a few words reads a few files."""
    folder = _folders().get(lang)
    if folder is None:
        return _read(lang)[0]  # raises ValueError: unknown language
    item = folder.joinpath(name)
    if name == ERRORS_FILE or not item.is_file():
        return {}
    return parse_yaml(item.read_text("utf-8"), f"locale/{lang}/{name}") or {}


@functools.lru_cache(maxsize=None)
def _read(lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(words, settings)`` of ``reports/locale/<lang>/``: every key of its ``*.yaml`` files merged
    (``_declares`` lists joined), and the ``settings`` section of its ``formats.yaml``.

    Raises
    ------
    ValueError
        Unknown language, or a key defined in two files of the language.
    """
    folder = _folders().get(lang)
    if folder is None:
        raise ValueError(f"unknown report language {lang!r}; choose one of {', '.join(languages())}")
    words: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    declares: list[str] = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml") or item.name == ERRORS_FILE:
            continue
        data = _words_file(lang, item.name)
        if item.name == _SETTINGS_FILE:
            settings = dict(data.pop(SETTINGS_KEY, None) or {})
        declares += list(data.pop("_declares", []) or [])
        for key, value in flatten(data).items():
            if key in words:
                raise ValueError(f"locale/{lang}/{item.name}: key {key!r} is defined twice in {lang}")
            words[key] = value
    if declares:
        words["_declares"] = declares
    return words, settings


def load_words(lang: str) -> dict[str, Any]:
    """Every word of ``lang`` itself (no fallback), keyed by dotted key; ``_declares`` kept."""
    return _read(lang)[0]


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and isinstance(out.get(key), Mapping) \
            else value
    return out


def get_locale(lang: "str | Locale") -> "Locale":
    """The :class:`Locale` of ``lang`` (a folder of a locale directory).

    Raises
    ------
    ValueError
        Unknown language, a fallback cycle, or a key defined twice in a language.
    """
    return lang if isinstance(lang, Locale) else _locale(str(lang))


@functools.lru_cache(maxsize=None)
def _locale(lang: str) -> "Locale":
    chain = [lang]
    while chain[-1] != DEFAULT_LANGUAGE:
        fallback = (_words_file(chain[-1], _SETTINGS_FILE).get(SETTINGS_KEY) or {}).get("fallback")
        if not fallback:
            break
        if fallback in chain:
            raise ValueError(f"locale/{lang}: the fallbacks of {lang!r} make a cycle ({' -> '.join(chain)})")
        chain.append(str(fallback))
    own = tuple(chain)  # the language and the ones it declares it falls back to: its own words (has)
    if DEFAULT_LANGUAGE not in chain:
        chain.append(DEFAULT_LANGUAGE)
    settings: dict[str, Any] = {}
    for code in reversed(chain):
        settings = _merge(settings, _words_file(code, _SETTINGS_FILE).get(SETTINGS_KEY) or {})
    settings.pop("fallback", None)
    return Locale(lang, tuple(chain), own, settings)


# --------------------------------------------------------------------------- the object
@dataclass(frozen=True)
class Locale:
    """A report language: its words (:meth:`t`) and its way of writing numbers, periods, lists and fonts.

    ``chain`` is the order words are looked up in (the language, its fallbacks, English);
    ``own`` the part of it that counts as the language's own words (:meth:`has`).
    """

    tag: str
    chain: tuple[str, ...]
    own: tuple[str, ...]
    settings: Mapping[str, Any] = field(repr=False, compare=False, hash=False)
    _files: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    # -- settings -----------------------------------------------------------------------
    def setting(self, dotted: str, default: Any = None) -> Any:
        """A setting of ``formats.yaml`` (``"number.group"``), or ``default`` when no language gives it."""
        node: Any = self.settings
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return default
            node = node[part]
        return node

    @property
    def html_lang(self) -> str:
        """The ``lang`` attribute of an HTML page (``zh-CN``)."""
        return str(self.setting("html_lang") or self.tag)

    @property
    def data_language(self) -> str:
        """Which of the data's names (English or Chinese columns) this language shows."""
        return str(self.setting("data_language", DEFAULT_LANGUAGE))

    @property
    def english_data(self) -> bool:
        """True when this language shows the data's English names and notes as they are."""
        return self.data_language == DEFAULT_LANGUAGE

    def data_name(self, **by_language: Any) -> Any:
        """Of a name the data give in several languages (``en=..., zh=...``), the one this language
        shows; the English one when that is missing or empty."""
        value = by_language.get(self.data_language)
        if value is None or (isinstance(value, str) and not value):
            return by_language.get(DEFAULT_LANGUAGE)
        return value  # a column of names (a Series) is taken as it is

    @property
    def letter_case(self) -> bool:
        """True when the script has capitals (a label is lower-cased inside a sentence, capitalised at its start)."""
        return bool(self.setting("text.letter_case", False))

    # -- words --------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        """True if ``key`` is a word of this language (or of its declared fallbacks), not only of English."""
        return not key.startswith("_") and any(key in load_words(code) for code in self.own)

    def template(self, key: str) -> str | None:
        """The word of ``key`` along the fallback chain, unfilled; None when no language has it."""
        for code in self.chain:
            value = self._word(code, key)
            if value is not None:
                return str(value)
        return None

    def t(self, key: str, **values: Any) -> str:
        """The text of ``key`` with ``{placeholders}`` filled from ``values``.

        Raises
        ------
        KeyError
            The key is in no language of the chain (a programming error), or a placeholder has no value.
        """
        template = self.template(key)
        if template is None:
            raise KeyError(f"no report text for key {key!r}")
        try:
            return template.format(**values)
        except KeyError as exc:
            raise KeyError(f"report text {key!r} needs a value for {exc.args[0]!r}") from None

    def _word(self, code: str, key: str) -> Any:
        """The word of ``key`` in language ``code`` itself: from the file its first part names when that file
        holds it (``cli.project.help`` in ``cli.yaml``), else from all of the language's words (:func:`load_words`,
        which refuses a key defined in two files)."""
        stem = key.split(".", 1)[0]
        if (code, stem) not in self._files:
            self._files[(code, stem)] = flatten(_words_file(code, f"{stem}.yaml"))
        words = self._files[(code, stem)]
        return words[key] if key in words else load_words(code).get(key)

    # -- numbers ------------------------------------------------------------------------
    @property
    def na(self) -> str:
        """What a missing number reads (``n/a``, ``—``)."""
        return self.t("unit.na")

    @property
    def group_mark(self) -> str:
        """The thousands separator ("," in English; none in Chinese, as the statistical bulletins write 41794元)."""
        return str(self.setting("number.group", ""))

    @property
    def decimal_mark(self) -> str:
        return str(self.setting("number.decimal", "."))

    def _marks(self, text: str) -> str:
        group, decimal = self.group_mark, self.decimal_mark
        if group in ("", ",") and decimal == ".":
            return text
        return text.replace(",", "\0").replace(".", decimal).replace("\0", group)

    def number(self, value: Any, decimals: int = 0, *, grouped: bool = True, sign: bool = False) -> str:
        """``value`` with ``decimals`` decimals in this language's marks (:attr:`na` if not a finite number):
        1234567.891 with one decimal is ``1,234,567.9`` in English, ``1234567.9`` in Chinese."""
        if not is_finite(value):
            return self.na
        group = "," if grouped and self.group_mark else ""
        return self._marks(f"{float(value):{'+' if sign else ''}{group}.{decimals}f}")

    def integer(self, value: Any) -> str:
        """A whole number with this language's grouping (``129,406`` / ``129406``)."""
        return self._marks(f"{int(value):{',' if self.group_mark else ''}}")

    def significant(self, value: Any, digits: int = 10) -> str:
        """``value`` with at most ``digits`` significant digits, grouped (a sum as it adds up: 1,007.5)."""
        if not is_finite(value):
            return self.na
        return self._marks(f"{float(value):{',' if self.group_mark else ''}.{digits}g}")

    def plain(self, value: Any, decimals: int) -> str:
        """A number for a placeholder of a unit word: no grouping (percentages, ratios)."""
        return self._marks(f"{float(value):.{decimals}f}")

    def with_unit(self, number: str, unit: str) -> str:
        """A number and a unit as printed data write them: ``41,794 元`` (English), ``41794元`` (Chinese),
        never a space before ``%``."""
        space = "" if unit == "%" else str(self.setting("number.unit_space", " "))
        return f"{number}{space}{unit}"

    def pct(self, value: Any, decimals: int = 1) -> str:
        """A percentage given in per cent (4.9 -> ``4.9%``)."""
        if not is_finite(value):
            return self.na
        return self.t("unit.pct", value=self.plain(value, decimals))

    def pp(self, value: Any, decimals: int = 1, signed: bool = True) -> str:
        """A difference of percentages in percentage points (``+0.3 pp`` / ``+0.3个百分点``); never ``-0.0``."""
        if not is_finite(value):
            return self.na
        v = float(value)
        if round(v, decimals) == 0:
            v = 0.0
        return self.t("unit.pp", value=self._marks(f"{v:{'+' if signed else ''}.{decimals}f}"))

    def year(self, year: Any) -> str:
        """A year as a plain integer (``2029``; never ``2,029`` or ``2029.0``); ``""`` when missing."""
        if not is_finite(year):
            return ""
        return str(int(round(float(year))))

    def period(self, start: int, end: int) -> str:
        """Growth years ``start..end`` as the reader writes them: ``2021-2025`` / ``2021—2025年``."""
        if int(start) == int(end):
            return self.t("unit.year", year=int(start))
        return self.t("unit.period", start=int(start), end=int(end))

    def when(self, value: Any) -> str:
        """A year (``2020``) or a period (``2016-2020``) as the data write them, in this language's words."""
        text = str(value or "")
        if "-" in text and all(p.isdigit() for p in text.split("-")) and text.count("-") == 1:
            a, b = text.split("-")
            return self.period(int(a), int(b))
        return self.t("unit.year", year=text) if text.isdigit() else text

    def cell(self, value: Any, kind: str = "number") -> str:
        """The text of one table cell (page, Word, PDF): a year as ``2029``; an integer grouped; a float
        whole from 1,000 up (grouped), with two decimals below (float noise 7.499999999999996 reads 7.50),
        significant digits for tiny or huge values; a missing value empty; text as it is."""
        if is_missing(value):
            return ""
        if kind == "year":
            return self.year(value)
        if is_number(value):
            if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
                return self.integer(value)
            x = 0.0 if abs(float(value)) < NOISE else float(value)
            if abs(x) >= LARGE or (x != 0 and abs(x) < SMALL):
                return self._marks(f"{x:.4g}")
            return self.number(x, 0) if abs(x) >= WHOLE_FROM else self.number(x, 2, grouped=False)
        return str(value)

    def axis_format(self, decimals: int = 0) -> str:
        """A matplotlib ``StrMethodFormatter`` pattern of axis numbers, grouped as the language groups."""
        return "{x:" + ("," if self.group_mark else "") + f".{decimals}f}}"

    # -- text ---------------------------------------------------------------------------
    def join_list(self, items: Any) -> str:
        """Items joined with the language's list separator (``a, b`` / ``a、b``)."""
        return self.t("unit.list_separator").join(str(x) for x in items)

    def join_sentences(self, parts: Any) -> str:
        """Rendered sentences joined (a space between them in English, nothing in Chinese); empty ones left out."""
        return str(self.setting("text.sentence_separator", " ")).join(p for p in parts if p)

    def join_words(self, *parts: Any) -> str:
        """Pieces of a phrase joined (a name and its amount: a space in English, nothing in Chinese)."""
        return str(self.setting("text.word_separator", " ")).join(str(p) for p in parts)

    @property
    def comma(self) -> str:
        """The comma between parts of a unit's description (``, `` / ``，``)."""
        return str(self.setting("text.comma", ", "))

    def tidy(self, text: str) -> str:
        """Text of a folded YAML template with its line breaks made single spaces, where the script uses
        spaces between words (Chinese keeps it as written)."""
        return " ".join(text.split()) if self.setting("text.collapse_spaces", True) else text

    def capitalise(self, text: str) -> str:
        """``text`` with a capital first letter where the script has capitals."""
        return text[:1].upper() + text[1:] if self.letter_case else text

    def mid_sentence(self, text: str) -> str:
        """A label as it reads inside a sentence ("Real GDP" -> "real GDP"; "GDP" kept; scripts without case as is)."""
        if not self.letter_case or len(text) < 2 or not text[1].islower():
            return text
        return text[0].lower() + text[1:]

    def wrap_width(self, what: str) -> int:
        """Characters on one line of a chart's ``legend`` or ``tick`` label."""
        return int(self.setting(f"chart.{what}_chars", 48 if what == "legend" else 36))

    # -- citations ----------------------------------------------------------------------
    @property
    def plan_places_in_words(self) -> bool:
        """True when a place in the plan is cited in words (规划第一章第二节); else as the data write it."""
        return bool(self.setting("citation.plan_places_in_words", False))

    def ordinal(self, n: int) -> str:
        """An ordinal number (the 7th census: ``7th`` / ``七``)."""
        if self.setting("citation.ordinals") == "chinese":
            from .citations import chinese_number

            return chinese_number(n)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    def place_name(self, name: str) -> str:
        """A region's name shortened as a source's name uses it (Panzhihua City -> Panzhihua; 攀枝花市 -> 攀枝花)."""
        suffixes = tuple(self.setting("citation.place_suffixes", []) or [])
        if suffixes:
            return name[:-1] if len(name) > 2 and name.endswith(suffixes) else name
        return name.split()[0]

    @property
    def figure_references_in_words(self) -> bool:
        """True when the data audit names a figure by its indicator, year and qualifier, not its id."""
        return bool(self.setting("audit.figure_references_in_words", False))

    # -- fonts --------------------------------------------------------------------------
    def docx_fonts(self) -> dict[str, tuple[str, str]]:
        """(Latin, East Asian) font of ``body`` and ``heading`` runs of a Word file."""
        fonts = self.setting("fonts.word", {}) or {}
        return {role: (str(fonts[role]["latin"]), str(fonts[role]["east_asian"])) for role in ("body", "heading")}

    @property
    def word_lang(self) -> str:
        """The language tag of a Word file's properties (``en-GB``, ``zh-CN``)."""
        return str(self.setting("fonts.word.lang") or self.html_lang)

    @property
    def bold_headings(self) -> bool:
        """Whether Word headings are bold (黑体 is heavy enough without)."""
        return bool(self.setting("fonts.word.bold_headings", True))

    @property
    def first_line_indent_pt(self) -> float:
        """Indent of a body paragraph's first line in a Word file (two characters in Chinese, as in a 公报)."""
        return float(self.setting("fonts.word.first_line_indent_pt", 0) or 0)

    def pdf_fonts(self) -> list[str]:
        """The CSS font families of the print page after the embedded CJK font."""
        return [str(f) for f in (self.setting("fonts.pdf", []) or [])]

    def figure_fonts(self) -> list[str]:
        """The sans-serif families of the language's figures (matplotlib), first choice first."""
        return [str(f) for f in (self.setting("fonts.figure", []) or [])]


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in a template string."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
