"""The computations' codes in words: target reasons, probability tests, sensitivity notes,
calibration reasons and forecast fallbacks.

The economics return codes and numbers (``reason="no_projection_column"``,
``test="at_least"``, ``note="low_outside_unit_interval;no_effect"``); the
reports and the command line turn them into a sentence of the reader's
language here, from ``locale/<lang>/codes.yaml``. The command line always
asks for English.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

from .text import fmt_period, has_key, label, mid_sentence, t

__all__ = ["target_reason", "probability_note", "sensitivity_note", "calibration_reason", "calibration_table",
           "forecast_reason", "forecast_note", "candidate_note"]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(key: str, lang: str, **values: Any) -> str:
    """``key`` in words; an unknown code is shown as it is (never an exception in a report)."""
    return t(key, lang, **values) if has_key(key, "en") else key.rsplit(".", 1)[-1]


def target_reason(row: Mapping[str, Any], lang: str = "en", *, base_year: int | None = None,
                  end_year: int | None = None) -> str:
    """Why a plan target (a row of :func:`~xiqu_analysis.economics.targets.target_gaps`) is not
    evaluated, or evaluated with a caveat."""
    code = str(row.get("reason") or "")
    if not code:
        return ""
    period = str(row.get("period") or "")
    year = row.get("year")
    values = {"period": period,
              "year": "" if year is None or (isinstance(year, float) and math.isnan(year)) else str(year),
              "base_year": "" if base_year is None else base_year, "end_year": "" if end_year is None else end_year}
    if period and "-" in period:
        a, b = (int(x) for x in period.split("-"))
        values["period"] = fmt_period(a, b, lang)
    return _words(f"codes.target.{code}", lang, **values)


def _column_name(column: str, lang: str) -> str:
    name = t(f"name.{column}", lang) if has_key(f"name.{column}", "en") else label(column, lang)
    return mid_sentence(name, lang)


def probability_note(row: Mapping[str, Any], lang: str = "en", region=None) -> str:
    """What a row of :attr:`SimulationResult.probabilities` tests, with the target's source when
    ``region`` (a RegionData holding the target's figure) is given."""
    from .citations import cite

    test = str(row.get("test") or "")
    a, b = int(row["start_year"]), int(row["end_year"])
    if test == "doubling":
        text = t("codes.probability.doubling", lang, year=b, year0=a, needed=f"{float(row['bound_pct']):.2f}",
                 name=mid_sentence(label(str(row["column"]), lang, year=a), lang))
    else:
        text = _words(f"codes.probability.{test}", lang, name=_column_name(str(row["column"]), lang),
                      period=fmt_period(a + 1, b, lang), bound=f"{float(row['bound_pct']):g}")
        target = str(row.get("target") or "")
        if region is not None and region.has_figure(target):
            text = t("codes.probability.with_source", lang, text=text, source=cite(region, target, lang))
    if str(row.get("status")) == "outside_projection":
        text = t("codes.probability.outside_projection", lang, text=text)
    return text


def sensitivity_note(note: str, lang: str = "en") -> str:
    """The codes of a sensitivity row's ``note`` (``low_invalid;no_effect``) in words, joined."""
    codes = [c for c in str(note or "").split(";") if c]
    return t("unit.list_separator", lang).join(_words(f"codes.sensitivity.{c}", lang) for c in codes)


def calibration_reason(code: str, details: Mapping[str, Any], lang: str = "en") -> str:
    """Why a calibrated uncertainty setting has its value (:class:`~xiqu_analysis.economics.calibration.Calibration`)."""
    values = dict(details)
    if "sector" in values:
        values["sector"] = t(f"sector.{values['sector']}", lang)
    if "first" in values and "last" in values:
        values["span"] = t("codes.calibration.span", lang, indicator=values.get("indicator", ""),
                           period=fmt_period(int(values["first"]), int(values["last"]), lang), n=values.get("n", ""))
    if "where" in values:
        values["where"] = t(f"codes.calibration.where.{values['where']}", lang)
    if "phis" in values:
        values["detail"] = t("unit.list_separator", lang).join(
            t("codes.calibration.phi", lang, sector=t(f"sector.{s}", lang), phi=f"{phi:.2f}", se=f"{se:.2f}")
            for s, phi, se in values["phis"])
    text = _words(f"codes.calibration.{code}", lang, **{k: v for k, v in values.items() if k != "phis"})
    if values.get("clipped_from") is not None:
        text += t("codes.calibration.clipped", lang, raw=f"{float(values['clipped_from']):.2f}")
    return text


def candidate_note(problem: str, details: Mapping[str, Any], lang: str = "en") -> str:
    """What happened to one forecasting candidate (:attr:`CandidateScore.problem` and ``detail``), in words."""
    if not problem:
        return ""
    values = {k: (f"{v:g}" if isinstance(v, float) else v) for k, v in dict(details).items()}
    text = _words(f"codes.forecast.candidate.{problem}", lang, **values)
    if values.get("in_backtest"):
        text = t("codes.forecast.candidate.in_backtest", lang, text=text)
    return text


def forecast_reason(code: str | None, details: Mapping[str, Any], lang: str = "en") -> str:
    """Why a forecast fell back (:attr:`ForecastResult.fallback`, ``"requested"`` or
    ``"no_usable_model"``) and what the fallback is (``fallback_detail``), in words."""
    if not code:
        return ""
    values = dict(details)
    reason = _words(f"codes.forecast.fallback.{code}", lang, **values)
    summary = values.get("summary")
    if summary:
        value = float(values.get("value", math.nan))
        shown = f"{value:.2f}" if summary in ("growth", "mean") else f"{value:.4g}"
        text = t(f"codes.forecast.summary.{summary}", lang, value=shown, years=values.get("years", ""))
        reason = t("codes.forecast.fallback.with_summary", lang, reason=reason, summary=text)
    return reason


def forecast_note(code: str, lang: str = "en", **values: Any) -> str:
    """A note about a forecast's interval (:attr:`ForecastResult.notes`) in words (``widened_by`` for
    ``interval_widened``)."""
    return _words(f"codes.forecast.note.{code}", lang, **values)


def calibration_table(frame, lang: str = "en", names=None):
    """:attr:`Calibration.table` with its reasons in words (the ``detail`` column dropped).

    ``names``: indicator code -> its name for readers (the region's data dictionary); else codes.
    """
    if "reason" not in getattr(frame, "columns", ()):
        return frame
    out = frame.copy()
    details = [dict(d) if isinstance(d, Mapping) else {} for d in frame.get("detail", [{}] * len(frame))]
    if names is not None:
        for d in details:
            if isinstance(d.get("indicator"), str):
                d["indicator"] = names(d["indicator"])
    out["reason"] = [calibration_reason(c, d, lang) for c, d in zip(frame["reason"], details)]
    return out.drop(columns=[c for c in ("detail",) if c in out.columns])
