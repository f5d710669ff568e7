"""The explorer's pieces of input: one :class:`Control` per scenario input, and the :class:`Debouncer` of redraws."""
from __future__ import annotations

import asyncio
import html
import math
import re
from typing import Any, Callable

import ipywidgets as w

from .schema import ControlSpec, slider_range
from ..words.locales import get_locale
from ..words.text import has_key, indicator_name, t

__all__ = ["DEBOUNCE_S", "ERROR_STYLE", "css_name", "Debouncer", "field_label", "Control"]

#: quiet time after the last change before the views are redrawn, seconds
DEBOUNCE_S = 0.15
#: inline style of an error message under a control or the page
ERROR_STYLE = "color:#b00020;font-size:12px"


def css_name(path: str) -> str:
    """A CSS class fragment for an input path (``real_growth_pct.secondary.2021-2025`` -> ``real_growth_pct-secondary-2021-2025``)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", path)


class Debouncer:
    """Call ``fn`` at once after a quiet spell, and once after a burst of :meth:`trigger` calls.

    A change after at least ``delay`` seconds without a call (a value typed and
    Enter pressed) is computed at the loop's next turn, with no wait; changes
    that come within ``delay`` seconds of the last call (a slider dragged)
    are coalesced into one call ``delay`` seconds after the last of them.
    Inside a kernel (a running asyncio loop) calls are scheduled on the loop;
    without one (tests, scripts) or with ``delay == 0`` ``fn`` runs at once.
    """

    def __init__(self, fn: Callable[[], None], delay: float = DEBOUNCE_S):
        self.fn, self.delay, self._handle = fn, float(delay), None
        self._last = -math.inf  # loop time of the last call of fn

    def trigger(self) -> None:
        busy = self._handle is not None
        if busy:
            self._handle.cancel()
            self._handle = None
        loop = None
        if self.delay > 0:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                try:
                    loop = asyncio.get_event_loop_policy().get_event_loop()
                    loop = loop if loop.is_running() else None
                except RuntimeError:
                    loop = None
        if loop is None:
            self.fn()
            return
        quiet = not busy and loop.time() - self._last >= self.delay
        self._handle = loop.call_later(0.0 if quiet else self.delay, self._fire, loop)

    def _fire(self, loop: asyncio.AbstractEventLoop) -> None:
        self._handle = None
        self._last = loop.time()
        self.fn()


def field_label(spec: ControlSpec, lang: str) -> str:
    """The control's label: ``explorer.field.<field>`` in ``lang``, else the name the reports give the
    input (``input.<field>``); the dotted path only for a field neither names."""
    key = f"explorer.field.{spec.field}"
    if spec.names is not None:  # an input of a registry indicator: its name from the registry
        leaf = spec.field.rsplit(".", 1)[-1]
        name = t(f"explorer.indicator_field.{leaf}", lang, name=indicator_name(spec.names, lang, spec.field))
    elif has_key(key, "en"):
        name = t(key, lang)
    else:
        name = t(f"input.{spec.field}", lang) if has_key(f"input.{spec.field}", "en") else spec.field
    # the period as the language writes it: 2021-2025 / 2021—2025年
    return t("explorer.period", lang, name=name, period=get_locale(lang).when(spec.period)) if spec.period else name


class Control:
    """One input: label, slider (numbers), exact value box, unit and the message beside it."""

    def __init__(self, spec: ControlSpec, on_change: Callable[[str, Any], None], lang: str):
        self.spec = spec
        self._on_change = on_change
        self._quiet = False
        self.label = w.HTML(layout=w.Layout(width="230px"))
        self.unit = w.HTML(layout=w.Layout(width="70px"))
        self.message = w.HTML(layout=w.Layout(width="auto"))
        if spec.kind == "int":
            self.text = w.IntText(value=int(spec.value), layout=w.Layout(width="150px"))
            self.slider = None
        else:
            lo, hi, step = slider_range(spec)
            self.text = w.FloatText(value=float(spec.value), step=step, layout=w.Layout(width="100px"))
            self.slider = w.FloatSlider(value=min(max(float(spec.value), lo), hi), min=lo, max=hi, step=step,
                                        readout=False, continuous_update=True, layout=w.Layout(width="170px"))
            self.slider.observe(self._slid, names="value")
            self.slider.add_class("xiqu-slider")
        self.text.observe(self._typed, names="value")
        self.text.add_class("xiqu-input")
        self.text.add_class(f"xiqu-input-{css_name(spec.path)}")
        parts = [self.label] + ([self.slider] if self.slider is not None else []) + [self.text, self.unit, self.message]
        self.box = w.HBox(parts, layout=w.Layout(align_items="center"))
        self.box.add_class("xiqu-control")
        self.relabel(lang)

    def relabel(self, lang: str) -> None:
        self.label.value = html.escape(field_label(self.spec, lang))
        unit_key = f"explorer.unit.{self.spec.unit}"
        self.unit.value = html.escape(t(unit_key, lang) if has_key(unit_key, "en") else self.spec.unit)

    @property
    def value(self) -> Any:
        return self.text.value

    @value.setter
    def value(self, v: Any) -> None:
        """Set as a user would (the explorer reacts)."""
        self.text.value = v

    def show(self, v: Any) -> None:
        """Show a value the explorer set (a rebalanced share) without reacting to it."""
        self._quiet = True
        try:
            self.text.value = v
            self._follow_slider(v)
        finally:
            self._quiet = False

    def say(self, message: str | None) -> None:
        self.message.value = f"<span style='{ERROR_STYLE}'>{html.escape(message)}</span>" if message else ""

    def _follow_slider(self, v: Any) -> None:
        if self.slider is None:
            return
        v = float(v)
        if v < self.slider.min:
            self.slider.min = v
        if v > self.slider.max:
            self.slider.max = v
        self.slider.value = v

    def _slid(self, change) -> None:
        if self._quiet:
            return
        step = self.slider.step
        if abs(float(change["new"]) - float(self.text.value)) <= step / 2 * (1 + 1e-9):
            return  # the browser's slider snapping the value to its step, not a move of the user's
        decimals = max(0, -int(f"{step:e}".split("e")[1]))
        self.text.value = round(float(change["new"]), decimals)

    def _typed(self, change) -> None:
        if self._quiet:
            return
        self._quiet = True
        try:
            self._follow_slider(change["new"])
        finally:
            self._quiet = False
        self._on_change(self.spec.path, change["new"])
