"""argparse value types shared by the sub-commands.

A value that does not parse raises :class:`argparse.ArgumentTypeError` made by
:func:`type_error` from an English template and its values; the CLI's parser
turns it into one line on stderr (in the language of the messages) and exit
status 2.
"""
from __future__ import annotations

import argparse
import math
from typing import Callable

from ..errors import Message

__all__ = ["whole_number", "open_interval", "type_error", "raised_message"]

#: the English text of each value-type error raised in this process -> its message (argparse keeps only text)
_RAISED: dict[str, Message] = {}


def type_error(template: str | Message, /, **params: object) -> argparse.ArgumentTypeError:
    """An :class:`argparse.ArgumentTypeError` whose English text is ``template`` filled from ``params``;
    the message is kept (:func:`raised_message`) so that it can be shown in another language."""
    message = template if isinstance(template, Message) else Message(template, **params)
    text = str(message)
    _RAISED[text] = message
    return argparse.ArgumentTypeError(text)


def raised_message(text: str) -> Message | None:
    """The message of a value-type error whose English text argparse reports (None if none)."""
    return _RAISED.get(text)


def _seen(text: str) -> str:
    return text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."


def whole_number(minimum: int | None = None, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type`` accepting a base-10 integer in ``[minimum, maximum]``."""

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise type_error("not a whole number: {text}", text=repr(text)) from None
        if minimum is not None and value < minimum:
            raise type_error("must be >= {minimum}, got {value}", minimum=f"{minimum:,}", value=_seen(text))
        if maximum is not None and value > maximum:
            raise type_error("must be <= {maximum}, got {value}", maximum=f"{maximum:,}", value=_seen(text))
        return value

    return parse


def open_interval(lower: float, upper: float = math.inf, what: Message | None = None) -> Callable[[str], float]:
    """An argparse ``type`` accepting a finite float strictly between ``lower`` and ``upper``;
    ``what`` names the value (default ``a number``)."""
    what = what or Message("a number")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise type_error("not {what}: {text}", what=what, text=repr(text)) from None
        if not (lower < value < upper) or not math.isfinite(value):
            if upper == math.inf:
                raise type_error("must be {what} > {lower}, got {text}", what=what, lower=f"{lower:g}", text=text)
            raise type_error("must be {what} strictly between {lower} and {upper}, got {text}", what=what,
                             lower=f"{lower:g}", upper=f"{upper:g}", text=text)
        return value

    return parse
