"""Normalisation of document text, keeping the way back to the original characters.

Documents write numbers in many ways: full-width digits (``６．５％``),
Chinese numerals (``百分之五点二``, ``三成``), traditional characters
(``增長``, ``億元``), thousands separators (``43,518``) and stray spaces
inside numbers (``1 234.5``, ``83. 5``). :func:`normalise` turns a text into
simplified characters and ASCII numbers and keeps, for every character of the
result, the span of the original text it came from, so a figure found in the
normalised text is quoted verbatim from the original (:meth:`NormText.original`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["NormText", "normalise", "chinese_number"]


@dataclass(frozen=True)
class NormText:
    """A normalised text and, per character, the ``(start, end)`` span of the original it came from."""

    orig: str
    text: str
    spans: tuple[tuple[int, int], ...]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised ``text[start:end]``."""
        if end <= start:
            s = self.spans[start][0] if start < len(self.spans) else len(self.orig)
            return s, s
        return self.spans[start][0], self.spans[end - 1][1]

    def original(self, start: int, end: int) -> str:
        """The original text of the normalised ``text[start:end]`` (verbatim)."""
        a, b = self.orig_span(start, end)
        return self.orig[a:b]


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - a dependency of the package
        return None
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _simplified_char(ch: str) -> str:
    conv = _t2s()
    if conv is None or ord(ch) < 0x2E80:
        return ch
    out = conv.convert(ch)
    return out if len(out) == 1 else ch


#: full-width characters mapped to ASCII (digits, decimal point, per cent, minus, plus, letters)
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({"．": ".", "％": "%", "－": "-", "＋": "+", "／": "/", "\u2212": "-", "﹪": "%",
                   "\u00a0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ",
                   "︰": "：", "∶": ":"})
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"


def chinese_number(text: str) -> str | None:
    """A number written in Chinese numerals as an ASCII string (``五点二`` -> ``5.2``), or None."""
    try:
        import cn2an
    except ImportError:  # pragma: no cover
        return None
    try:
        value = cn2an.cn2an(text, "strict")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if "点" in text:  # keep the decimals as written (五点二零 -> 5.20)
        whole, _, frac = text.partition("点")
        w = cn2an.cn2an(whole, "strict") if whole else 0
        digits = "".join(str("零一二三四五六七八九".index(c)) if c in "零一二三四五六七八九" else
                         ("0" if c == "〇" else "") for c in frac)
        if len(digits) != len(frac):
            return None
        return f"{int(w)}.{digits}"
    return str(int(value)) if float(value).is_integer() else str(value)


def _rewrite(text: str, spans: list, pattern: re.Pattern, repl) -> tuple[str, list]:
    """Replace each match of ``pattern`` by ``repl(match)`` (None: keep), carrying the spans along."""
    out: list[str] = []
    out_spans: list = []
    pos = 0
    for m in pattern.finditer(text):
        new = repl(m)
        if new is None:
            continue
        out.append(text[pos:m.start()])
        out_spans.extend(spans[pos:m.start()])
        if new:
            if m.end() > m.start():
                span = (spans[m.start()][0], spans[m.end() - 1][1])
            else:
                span = spans[m.start()] if m.start() < len(spans) else (spans[-1][1], spans[-1][1])
            out.append(new)
            out_spans.extend([span] * len(new))
        pos = m.end()
    out.append(text[pos:])
    out_spans.extend(spans[pos:])
    return "".join(out), out_spans


_YEAR_CN = re.compile("([〇零一二][〇零一二三四五六七八九]{3})年")
_PERCENT_CN = re.compile(f"百分之([{_CN_DIGITS}]+)")
_CHENG_CN = re.compile("(?<=[增长降下低提高])([一二三四五六七八九十])成")
#: 翻一番 doubles, 翻两番 quadruples: the multiple as a number of 倍
_FAN = re.compile("翻([一两二三])番")
_SPACE_IN_NUMBER = re.compile(r"(?<=\d) (?=\d{3}(?:\D|$))|(?<=\d\.) (?=\d)|(?<=\d) (?=\.\d)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:[^\d]|$))")


def normalise(orig: str) -> NormText:
    """Simplified characters, ASCII digits and signs, Chinese numerals as digits, no separators in numbers.

    Each character of the result keeps the span of the original it came from
    (a replaced numeral's characters all keep the numeral's span).
    """
    chars = []
    for ch in orig:
        c = _FULLWIDTH.get(ch, ch)
        if len(c) == 1 and ord(c) >= 0x2E80:
            c = _simplified_char(c)
        chars.append(c)
    text = "".join(chars)
    spans = [(i, i + 1) for i in range(len(orig))]

    def percent(m: re.Match) -> str | None:
        n = chinese_number(m.group(1))
        return f"{n}%" if n is not None else None

    def cheng(m: re.Match) -> str | None:
        n = chinese_number(m.group(1))
        return f"{n}成" if n is not None else None

    text, spans = _rewrite(text, spans, _YEAR_CN, lambda m: "".join(
        str("〇一二三四五六七八九".index(c)) if c in "〇一二三四五六七八九" else "0" for c in m.group(1)) + "年")
    text, spans = _rewrite(text, spans, _PERCENT_CN, percent)
    text, spans = _rewrite(text, spans, _CHENG_CN, cheng)
    text, spans = _rewrite(text, spans, _FAN, lambda m: f"翻{2 ** {'一': 1, '两': 2, '二': 2, '三': 3}[m.group(1)]}倍")
    text, spans = _rewrite(text, spans, _SPACE_IN_NUMBER, lambda m: "")
    text, spans = _rewrite(text, spans, _THOUSANDS, lambda m: "")
    return NormText(orig=orig, text=text, spans=tuple(spans))
