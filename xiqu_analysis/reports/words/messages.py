"""Error messages in a reader's language: an :class:`~xiqu_analysis.errors.InputError` as one line.

An error's problem is an English template with its values
(:class:`~xiqu_analysis.errors.Message`); a language's
``reports/locale/<lang>/errors.yaml`` maps each template to the language's
own (:func:`~.locales.error_catalogue`). A value that is itself a message (an
inner problem, a value described in words) is translated the same way; file
names, keys, numbers and lists of choices stay as they are. A template the
catalogue lacks is shown in English, so a message is never lost.

The line's own words (``field '…'``, the colons, ``command line``) are
templates of the same catalogue. In English every function here gives exactly
``str(error)``.

:func:`template_of` goes the other way: it finds which of a set of templates
an English text was filled from (argparse's own messages arrive as text).
"""
from __future__ import annotations

import functools
import re
import string
from typing import Iterable, Mapping

from ...errors import InputError, Message, printable
from ...inputs.yamlfile import parse_yaml
from .locales import ERRORS_FILE, get_locale, locale_dirs

__all__ = ["error_catalogue", "message_text", "problem_text", "error_text", "template_of", "FIELD", "JOIN",
           "SOURCES"]

#: how a line names the field (English; other languages in their errors.yaml)
FIELD = "field '{field}'"
#: how the parts of a line join: source, field, problem
JOIN = "{part}: {rest}"
#: sources named by a word rather than a file (translated like templates)
SOURCES = ("command line", "notebook parameters", "explorer")


@functools.lru_cache(maxsize=None)
def _read(lang: str) -> dict[str, str]:
    for root in locale_dirs():  # the first locale directory that has the language, as for its words
        folder = root.joinpath(lang)
        if not folder.is_dir():
            continue
        item = folder.joinpath(ERRORS_FILE)
        if not item.is_file():
            return {}
        data = parse_yaml(item.read_text("utf-8"), f"locale/{lang}/{ERRORS_FILE}") or {}
        if not isinstance(data, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in data.items()):
            raise ValueError(f"locale/{lang}/{ERRORS_FILE}: must map English templates to text")
        return dict(data)
    return {}


def error_catalogue(lang: str) -> dict[str, str]:
    """The error messages of ``lang``: English template -> the language's template.

    Read from ``<lang>/errors.yaml`` along the language's fallback chain (a
    language's own entry first); English needs none (its templates are the
    code's). Unlike the words, a message without an entry is shown in English.
    """
    out: dict[str, str] = {}
    for code in reversed(get_locale(lang).chain):
        out.update(_read(code))
    return out


def message_text(message: Message | str, lang: str) -> str:
    """``message`` in ``lang`` (its values translated too when they are messages); one line."""
    if not isinstance(message, Message):
        return str(message)
    catalogue = error_catalogue(lang)
    template = catalogue.get(message.template, message.template)
    if not message.params:
        return " ".join(template.split())
    values = {k: message_text(v, lang) if isinstance(v, Message) else v for k, v in message.params.items()}
    try:
        text = template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that does not fit its values: the English
        text = message.template.format(**values)
    return " ".join(text.split())


def problem_text(error: InputError, lang: str) -> str:
    """The problem of ``error`` in ``lang`` (one line, control characters as escapes)."""
    return printable(message_text(error.message, lang))


def error_text(error: InputError, lang: str) -> str:
    """The whole line of ``error`` in ``lang``: source, field and problem (``str(error)`` in English)."""
    catalogue = error_catalogue(lang)
    parts = []
    if error.source:
        parts.append(catalogue.get(error.source, error.source) if error.source in SOURCES else error.source)
    if error.field:
        parts.append(catalogue.get(FIELD, FIELD).format(field=error.field))
    parts.append(problem_text(error, lang))
    join = catalogue.get(JOIN, JOIN)
    line = parts[-1]
    for part in reversed(parts[:-1]):
        line = join.format(part=part, rest=line)
    return line


def _pattern(template: str) -> re.Pattern:
    """A regular expression matching the texts ``template`` fills (each placeholder any text)."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name:
            out.append(f"(?P<{name}>.+?)" if f"(?P<{name}>" not in "".join(out) else f"(?P={name})")
    return re.compile("".join(out) + r"\Z", re.S)


def template_of(text: str, templates: Iterable[str]) -> Message | None:
    """The first of ``templates`` that ``text`` is a filling of, as a :class:`Message` (None if none).

    The values found are text; a template's placeholders should carry no format spec.
    """
    for template in templates:
        match = _pattern(template).match(text)
        if match:
            return Message(template, **match.groupdict())
    return None
