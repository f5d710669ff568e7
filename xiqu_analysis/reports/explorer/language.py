"""The language the explorer opens in: the page's address, then the browser's, then the notebook's parameter.

Voilà starts each page's kernel with the request's query string in ``QUERY_STRING``
and, for the headers it is told to pass (``--VoilaConfiguration.http_header_envs``,
:func:`~.serve.voila_command` passes ``Accept-Language``), each header as
``HTTP_<NAME>`` (RFC 3875). So ``http://127.0.0.1:8866/?lang=zh`` opens in
Chinese, and a browser whose languages are Chinese first (``navigator.language``
``zh-CN``, which it sends as ``Accept-Language: zh-CN,zh;q=0.9``) does too. A
language is one of the report languages (the folders of ``reports/locale``);
``zh-CN`` or ``zh-Hans`` is ``zh``. In a notebook outside Voilà none of these
variables is set and the notebook's ``language`` parameter decides.
"""
from __future__ import annotations

import os
from typing import Iterable, Mapping
from urllib.parse import parse_qs

from ..words.text import LANGUAGES

__all__ = ["QUERY_KEYS", "HEADER", "HEADER_ENV", "match_language", "accepted_languages", "page_language"]

#: the query parameters that name the page's language (``?lang=zh``)
QUERY_KEYS = ("lang", "language")
#: the request header Voilà is told to pass to the kernel, and the variable it arrives in
HEADER = "Accept-Language"
HEADER_ENV = "HTTP_ACCEPT_LANGUAGE"


def match_language(tag: str, languages: Iterable[str] = LANGUAGES) -> str | None:
    """The report language of a language tag: itself (any case, ``_`` or ``-``), else its primary subtag
    (``zh-CN`` -> ``zh``, ``en-GB`` -> ``en``); None when there is no such language."""
    langs = list(languages)
    clean = str(tag).strip().replace("_", "-").lower()
    if not clean:
        return None
    for lang in langs:
        if lang.lower() == clean:
            return lang
    primary = clean.split("-")[0]
    return next((lang for lang in langs if lang.lower() == primary), None)


def accepted_languages(header: str) -> list[str]:
    """The tags of an ``Accept-Language`` header, most wanted first (``zh-CN,zh;q=0.9,en;q=0.8``
    -> ``["zh-CN", "zh", "en"]``); tags with ``q=0`` or an unreadable weight are left out."""
    weighted = []
    for i, part in enumerate(str(header or "").split(",")):
        tag, *params = [p.strip() for p in part.split(";")]
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            weighted.append((-q, i, tag))
    return [tag for _, _, tag in sorted(weighted)]


def page_language(default: str, environ: Mapping[str, str] | None = None,
                  languages: Iterable[str] = LANGUAGES) -> str:
    """The page's language: ``?lang=`` of its address, else the first of the browser's languages the
    reports have, else ``default`` (the notebook's ``language`` parameter)."""
    env = os.environ if environ is None else environ
    langs = list(languages)
    query = parse_qs(str(env.get("QUERY_STRING", "")).lstrip("?"))
    for key in QUERY_KEYS:
        for value in query.get(key, []):
            found = match_language(value, langs)
            if found:
                return found
    for tag in accepted_languages(env.get(HEADER_ENV, "")):
        found = match_language(tag, langs)
        if found:
            return found
    return default
