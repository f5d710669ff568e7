"""Text a scenario file gives in one or more languages (``title``, ``description``, ``reasoning``,
each reason under ``assumptions``).

A text field is either a string or a mapping of language to string::

    title: Plan floors to 2025, slower growth to 2035            # one language
    title:                                                       # both
      en: Plan floors to 2025, slower growth to 2035
      zh: 2025年前按规划底线增长、此后放缓

A mapping's keys are language tags (:data:`LANGUAGE_TAG`: ``en``, ``zh``,
``en-XA``); which of them a report shows is the reports' business (a
language is a folder of their locale files), so a scenario may carry a text
in a language the reports do not know yet. A plain string counts as written in
the language its script says: Chinese when it has at least as many Chinese
characters as Latin-script words, English otherwise (so an English sentence
quoting 不低于 stays English). A report in a language the scenario does not
give shows the text as written and says so once (the reports decide the words).

:class:`LocalText` is a ``str`` whose value is the English text (or the only
text given), so every place that prints a title as it always did -- the
command line, log lines, file names -- keeps doing so; the reports ask it for
their language with :meth:`LocalText.get`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ...errors import Message
from ..validation import custom_error

__all__ = ["LANGUAGE_TAG", "LocalText", "ScenarioText", "text_language", "parse_text"]

#: a key of a text field: a language tag (a primary language, then subtags: ``en``, ``zh``, ``en-XA``)
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def text_language(text: str) -> str:
    """``"zh"`` when ``text`` has at least as many Chinese characters as Latin-script words, else ``"en"``."""
    n_cjk = len(_CJK.findall(text))
    n_latin = len(_LATIN_WORD.findall(text))
    return "zh" if n_cjk and n_cjk >= n_latin else "en"


class LocalText(str):
    """A text of a scenario file in one or more languages.

    As a ``str`` it is the English text, or the only text given. ``get(lang)``
    is the text in ``lang`` or None; :attr:`languages` lists those given.
    """

    def __new__(cls, texts: Mapping[str, str], *, plain: bool = False) -> "LocalText":
        if not texts:
            raise ValueError("a LocalText needs at least one language")
        default = texts.get("en", next(iter(texts.values())))
        obj = super().__new__(cls, default)
        obj._texts = {k: str(v) for k, v in texts.items()}
        obj._plain = bool(plain)
        return obj

    @classmethod
    def plain(cls, text: str) -> "LocalText":
        """A text written as one string (its language read from its script, :func:`text_language`)."""
        return cls({text_language(text): text}, plain=True)

    def get(self, lang: str) -> str | None:
        """The text in ``lang``, or None when the file does not give it."""
        return self._texts.get(lang)

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages the file gives this text in."""
        return tuple(self._texts)

    @property
    def texts(self) -> dict[str, str]:
        """``{language: text}`` (a copy)."""
        return dict(self._texts)

    def to_data(self) -> str | dict[str, str]:
        """What the file said: the string, or the mapping (for :meth:`Scenario.to_parameters`)."""
        return str(self._texts[next(iter(self._texts))]) if self._plain else dict(self._texts)

    def __reduce__(self):
        return (_rebuild, (self._texts, self._plain))

    def __repr__(self) -> str:
        return f"LocalText({self.to_data()!r})"


def _rebuild(texts: dict[str, str], plain: bool) -> LocalText:
    return LocalText(texts, plain=plain)


def parse_text(value: Any) -> LocalText:
    """Validate a text field: a non-empty string, or a mapping of language tags (:data:`LANGUAGE_TAG`)
    to non-empty strings."""
    if isinstance(value, LocalText):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise custom_error("blank", "must not be empty")
        return LocalText.plain(value)
    if isinstance(value, Mapping):
        if not value:
            raise custom_error("blank", "must not be empty: give a text per language, e.g. en and zh")
        texts: dict[str, str] = {}
        for key, text in value.items():
            if not isinstance(key, str) or not LANGUAGE_TAG.fullmatch(key):
                raise PydanticCustomError(
                    "text_key", "{problem}",
                    {"key": str(key), "problem": Message("'{key}' is not a language tag (such as en, zh or en-XA)",
                                                         key=key)})
            if not isinstance(text, str):
                raise PydanticCustomError("text_key", "{problem}", {"key": key, "problem": Message("must be text")})
            if not text.strip():
                raise PydanticCustomError("text_key", "{problem}",
                                          {"key": key, "problem": Message("must not be empty")})
            texts[key] = text
        return LocalText(texts)
    raise custom_error("string_type", "must be text")


#: the pydantic type of a scenario text field
ScenarioText = Annotated[
    LocalText,
    PlainValidator(parse_text),
    PlainSerializer(lambda v: v.to_data() if isinstance(v, LocalText) else v),
    WithJsonSchema({"anyOf": [{"type": "string"},
                              {"type": "object", "patternProperties": {f"^{LANGUAGE_TAG.pattern}$": {"type": "string"}},
                               "additionalProperties": False}]}),
]
