"""The command line's own words: the language of its messages, help texts, argparse's words.

The language of messages is decided before the parser is built
(:func:`message_language`): ``--language X`` anywhere on the command line
(the report language of the sub-commands that have one, or ``xiqu --language X``),
else ``$XIQU_LANGUAGE``, else the POSIX locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``, ``LANGUAGE``: ``zh_CN.UTF-8`` -> ``zh``; ``C``, ``POSIX`` or unset ->
English). Report languages' defaults do not depend on it.

Every help text comes from ``reports/locale/<lang>/cli.yaml`` (:func:`words`),
argparse's own words too (``usage:``, ``options:``, the ``-h`` help) through
:class:`HelpFormatter`, which also wraps Chinese text by its display width.
argparse's error messages arrive as English text; :func:`usage_message` finds
their template (:data:`ARGPARSE_TEMPLATES`; a value type's problem is kept by :mod:`.argtypes`)
so that they are shown in the language like every other error.
"""
from __future__ import annotations

import argparse
import functools
import os
import re
import unicodedata
from typing import Any, Mapping, Sequence

from ..errors import Message
from ..reports.words.locales import DEFAULT_LANGUAGE, get_locale, languages
from ..reports.words.messages import template_of

__all__ = [
    "LANGUAGE_ENV",
    "LOCALE_ENVS",
    "ARGPARSE_TEMPLATES",
    "message_language",
    "language_of_locale",
    "use_language",
    "current_language",
    "words",
    "CommandWords",
    "region_params",
    "benchmark_name",
    "HelpFormatter",
    "RawDescriptionHelpFormatter",
    "usage_message",
    "display_width",
    "wrap",
]

#: environment variable naming the language of the command line's messages
LANGUAGE_ENV = "XIQU_LANGUAGE"
#: the POSIX locale variables in their order of precedence
LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

#: argparse's error messages (Python 3.11 and later) as templates, most specific first; their
#: words in another language are in its errors.yaml
ARGPARSE_TEMPLATES = (
    "the following arguments are required: {args}",
    "unrecognized arguments: {args}",
    "one of the arguments {args} is required",
    "ambiguous option: {option} could match {matches}",
    "argument {arg}: invalid choice: {value} (choose from {choices})",
    "argument {arg}: invalid {type} value: {value}",
    "argument {arg}: expected one argument",
    "argument {arg}: expected at most one argument",
    "argument {arg}: expected at least one argument",
    "argument {arg}: expected {n} arguments",
    "argument {arg}: not allowed with argument {other}",
    "argument {arg}: ignored explicit argument {value}",
    "argument {arg}: {problem}",
)

_language = DEFAULT_LANGUAGE


# --------------------------------------------------------------------------- the language
def language_of_locale(value: str | None) -> str | None:
    """The message language of a POSIX locale value (``zh_CN.UTF-8`` -> ``zh``), or None.

    ``C`` and ``POSIX`` are English; a language without a folder of words is None (the next
    variable decides; at the end English). ``LANGUAGE`` may list several (``zh_CN:en``).
    """
    if not value:
        return None
    known = languages()
    for item in value.split(":"):
        item = item.strip()
        if not item:
            continue
        if item in ("C", "POSIX") or item.startswith(("C.", "POSIX.")):
            return DEFAULT_LANGUAGE
        tag = re.split(r"[.@]", item)[0].replace("_", "-")
        for candidate in (tag, tag.split("-")[0]):
            if candidate in known:
                return candidate
    return None


def message_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of the command line's messages for ``argv`` (see the module's docstring)."""
    environ = os.environ if environ is None else environ
    known = languages()
    chosen = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--language" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--language="):
            chosen = arg.split("=", 1)[1]
    if chosen is not None:
        return chosen if chosen in known else DEFAULT_LANGUAGE
    explicit = environ.get(LANGUAGE_ENV, "").strip()
    if explicit:
        return language_of_locale(explicit) or DEFAULT_LANGUAGE
    for name in LOCALE_ENVS:
        value = environ.get(name, "").strip()
        if value:  # the first one set decides (a language without words: English)
            return language_of_locale(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def use_language(lang: str) -> None:
    """Make ``lang`` the language of the help texts built from now on."""
    global _language
    _language = lang if lang in languages() else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the command line's messages (set by :func:`use_language`)."""
    return _language


# --------------------------------------------------------------------------- help texts
def words(key: str, lang: str | None = None, **values: Any) -> str:
    """The text of ``cli.<key>`` in ``lang`` (default: the current language)."""
    return get_locale(lang or _language).t(f"cli.{key}", **values)


class CommandWords:
    """The help texts of one command: ``w("help")``, ``w("description")``, ``w("opt.jobs", cpus=8)``.

    Texts go to argparse, which fills ``%(default)s`` in them: a ``%`` of the words is doubled.
    """

    def __init__(self, command: str, lang: str | None = None):
        self.command = command
        self.lang = lang or _language

    def __call__(self, key: str, **values: Any) -> str:
        return words(f"{self.command}.{key}", self.lang, **values).replace("%", "%%")

    def plain(self, key: str, **values: Any) -> str:
        """A text argparse does not %-format (a description or an epilog)."""
        return words(f"{self.command}.{key}", self.lang, **values)


@functools.lru_cache(maxsize=None)
def _region_info(key: str):
    from ..inputs.region_info import load_region_info

    try:
        return load_region_info(key)
    except Exception:  # noqa: BLE001 - a broken data folder must not break --help (the command says why)
        return None


def region_params(lang: str | None = None) -> dict[str, Any]:
    """The default region's name and years for the help texts (``{region}``, ``{base_year}``, ...)."""
    from .. import config

    info = _region_info(config.DEFAULT_REGION)
    if info is None:
        return {"region": config.DEFAULT_REGION, "base_year": "?", "plan_end_year": "?", "long_range_year": "?"}
    loc = get_locale(lang or _language)
    return {"region": loc.data_name(en=info.name_en, zh=info.name_zh), "base_year": info.base_year,
            "plan_end_year": info.plan_end_year or "?", "long_range_year": info.long_range_year or "?"}


def benchmark_name(lang: str | None = None) -> str:
    """The name of the default region's benchmark region (the region's own name when it has none)."""
    from .. import config

    info = _region_info(config.DEFAULT_REGION)
    bench = _region_info(info.benchmark_region) if info is not None and info.benchmark_region else info
    if bench is None:
        return config.DEFAULT_REGION
    return get_locale(lang or _language).data_name(en=bench.name_en, zh=bench.name_zh)


# --------------------------------------------------------------------------- the formatter
_WIDE = ("W", "F")
#: characters a line does not start with (Chinese line-breaking rules, 避头尾)
_NO_LINE_START = set("，。、；：？！）》」』”’…—")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in _WIDE else 1 for c in text)


def _tokens(text: str) -> list[str]:
    """Words with their following spaces, and each wide character alone (a line may break after it)."""
    out: list[str] = []
    for piece in re.findall(r"\S+\s*", text):
        buf = ""
        for c in piece:
            if unicodedata.east_asian_width(c) in _WIDE:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(c)
            else:
                buf += c
        if buf:
            out.append(buf)
    return out


#: full-width punctuation: the spaces of a folded line beside it are not spaces of the text
_FULL_WIDTH_SPACE = re.compile(r"(?<=[\u3000-\u303f\uff01-\uff1f])\s+|\s+(?=[\u3000-\u303f\uff01-\uff1f])")


def wrap(text: str, width: int) -> list[str]:
    """``text`` (whitespace collapsed) in lines of at most ``width`` columns where it can break."""
    lines: list[str] = []
    line = ""
    for token in _tokens(_FULL_WIDTH_SPACE.sub("", " ".join(text.split()))):
        if line and display_width((line + token).rstrip()) > width and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter in the current language: its own words translated, Chinese wrapped by width."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = words("argparse.usage")
        super().add_usage(usage, actions, groups, prefix)

    def start_section(self, heading):
        titles = {"options": "argparse.options", "positional arguments": "argparse.positional"}
        super().start_section(words(titles[heading]) if heading in titles else heading)

    def format_help(self):
        # argparse ends a section's heading with ":"; the language says how it ends one (Chinese: "：")
        text = super().format_help()
        colon = words("argparse.heading_end")
        if colon == ":":
            return text
        return re.sub(r"^(\S[^\n]*):$", lambda m: m.group(1) + colon if " " not in m.group(1) else m.group(0),
                      text, flags=re.M)

    def _split_lines(self, text, width):  # argparse's hook for help texts
        return wrap(text, width)

    def _fill_text(self, text, width, indent):  # argparse's hook for descriptions and epilogs
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class RawDescriptionHelpFormatter(HelpFormatter):
    """:class:`HelpFormatter` that keeps the lines of a description or epilog as written."""

    def _fill_text(self, text, width, indent):
        if "\n" not in text:  # a paragraph (folded in the words file): one line, as written
            text = _FULL_WIDTH_SPACE.sub("", text)
        return "".join(indent + line for line in text.splitlines(keepends=True))


# --------------------------------------------------------------------------- argparse's messages
def usage_message(text: str) -> Message:
    """argparse's English error ``text`` as a message of :data:`ARGPARSE_TEMPLATES` (with its
    inner problem, a value type's, as the message it was raised with: :func:`~.argtypes.type_error`)."""
    from .argtypes import raised_message

    found = template_of(text, ARGPARSE_TEMPLATES)
    if found is None:
        return Message("{text}", text=text)
    inner = raised_message(str(found.params.get("problem", "")))
    if inner is not None:
        found.params["problem"] = inner
    return found
