"""Report paragraphs whose every number carries its provenance.

Every number a narrative prints is a :class:`Quantity` tagged ``sourced``
(with its citation) or ``assumed`` (it depends on an assumption of the
scenario), rendered as ``[1]`` (numbered source note) or ``[a]``. The words
come from the locale files through :func:`~xiqu_analysis.reports.words.text.t`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ...economics.contributions import TOTAL, sector_period
from ...economics.growth import average_growth_pct
from ...economics.uncertainty import is_doubling
from .locales import get_locale
from .text import FORMATTERS, esc, fmt_number, fmt_period, is_finite, missing_text_fields, scenario_text, t

# --------------------------------------------------------------------------- tagged numbers
@dataclass(frozen=True)
class Quantity:
    """A number printed in a narrative, with its provenance.

    Parameters
    ----------
    value : float
        The number in the unit given by ``kind``.
    kind : {"yi", "yuan", "persons", "pct", "pp", "ppu", "prob", "ratio"}
        Unit family and formatter: 亿元, yuan, persons, per cent, percentage
        points (signed; ``ppu`` without a sign, as in 拉动…个百分点),
        probability (0..1).
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
        if self.kind not in FORMATTERS:
            raise ValueError(f"unknown quantity kind {self.kind!r}")
        if self.status not in ("sourced", "assumed"):
            raise ValueError(f"status must be 'sourced' or 'assumed', not {self.status!r}")
        if self.status == "sourced" and not self.citation:
            raise ValueError("a sourced quantity needs a citation")

    def formatted(self, lang: str = "en") -> str:
        """The number alone, formatted for ``lang`` (no tag)."""
        return FORMATTERS[self.kind](self.value, lang)


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
    return get_locale(lang).join_sentences(parts)


# --------------------------------------------------------------------------- narrative builders
# Each builder turns results into paragraphs; a different scenario gives different
# text. Projected numbers are tagged "assumed" when the projection column depends on
# an assumed input (ProjectionResult.assumed_columns), otherwise "sourced" with the
# citations of the inputs they rest on.

#: scenario inputs behind the base-year value of a projection column
_BASE_INPUTS = {
    "gdp_real": ("gdp_base",),
    "gdp_nominal": ("gdp_base",),
    "urban_income": ("urban_income.base",),
    "fiscal_revenue": ("fiscal_revenue.base",),
    "population": ("population.base",),
    "secondary_share": ("sector_shares.secondary",),
    "tertiary_share": ("sector_shares.tertiary",),
    "primary_share": ("sector_shares.primary",),
}


def provenance_rows(provenance) -> list[dict]:
    """Rows (dicts with ``input``, ``status``, ``citation_or_reason``) of a provenance table."""
    if provenance is None:
        return []
    return provenance.to_dict("records") if hasattr(provenance, "to_dict") else list(provenance)


def _input_status(rows: list[dict], inputs: Iterable[str]) -> tuple[str, str | None]:
    cites = []
    for name in inputs:
        matched = [r for r in rows if str(r["input"]) == name or str(r["input"]).startswith(name + ".")]
        if not matched or any(r["status"] != "sourced" for r in matched):
            return "assumed", None
        cites += [str(r["citation_or_reason"]) for r in matched]
    return "sourced", "; ".join(dict.fromkeys(cites))


def projected(projection, column: str, year: int, kind: str, provenance=None, lang: str = "en") -> Quantity:
    """The value of ``column`` in ``year`` as a tagged :class:`Quantity`.

    Base-year values of GDP, income and revenue carry the citation of the
    scenario input they equal (from ``provenance``, the table of
    :func:`xiqu_analysis.reports.tables.scenario.provenance_table`); later values are
    ``assumed`` when the column depends on an assumed input.
    """
    value = float(projection.table.loc[projection.table["year"] == int(year), column].iloc[0])
    if kind == "pct" and column.endswith("_share"):
        value *= 100.0
    rows = provenance_rows(provenance)
    base_year = int(projection.table["year"].iloc[0])
    further = {r.column: (f"indicators.{k}.base",) for k, r in projection.scenario.indicator_rules.items()
               if r.rule in ("own_growth", "buoyancy")} if hasattr(projection, "scenario") else {}
    base_inputs = _BASE_INPUTS.get(column) or further.get(column)
    if int(year) == base_year and base_inputs:
        status, cite = _input_status(rows, base_inputs)
        if status == "sourced":
            return sourced(value, kind, cite)
        return assumed(value, kind)
    if column in set(getattr(projection, "assumed_columns", ()) or ()) or not rows:
        return assumed(value, kind)
    return sourced(value, kind, t("narrative.cite_projection", lang))


def _years_in(projection, *years: int | None) -> list[int]:
    have = set(int(y) for y in projection.table["year"])
    return [int(y) for y in years if y is not None and int(y) in have]


def missing_text_note(scenario, lang: str = "en") -> str:
    """The one sentence saying which of the scenario's texts are not given in ``lang`` ('' when all are)."""
    fields = missing_text_fields(scenario, lang)
    if not fields:
        return ""
    names = [t(f"scenario_text.{f}", lang) for f in fields]
    return t("scenario_text.missing", lang, fields=t("unit.list_separator", lang).join(names))


def scenario_intro(scenario, lang: str = "en", *, region_name: str) -> Narrative:
    """Opening paragraphs: the scenario's title, name, years and (escaped) description and reasoning,
    in ``lang`` where the file gives them; a text it gives only in another language is shown as
    written, after one sentence saying so."""
    b = NarrativeBuilder(lang)
    flag = missing_text_note(scenario, lang)
    if flag:
        b.add_text(esc(flag))
    b.add("narrative.intro", title=esc(scenario_text(scenario.title, lang)[0]), name=esc(scenario.name),
          region=esc(region_name), base_year=int(scenario.base_year), end_year=int(scenario.end_year))
    if getattr(scenario, "description", None):
        b.add("narrative.description", description=esc(scenario_text(scenario.description, lang)[0]))
    if getattr(scenario, "reasoning", None):
        b.add("narrative.reasoning", reasoning=esc(scenario_text(scenario.reasoning, lang)[0]))
    return b.build()


def growth_narrative(projection, provenance, lang: str = "en", *, mid_year: int | None, end_year: int | None,
                     implied_pct: float | None = None, implied_citation: str | None = None,
                     implied_status: str = "sourced") -> Narrative:
    """Real GDP growth from the base year to ``mid_year`` and ``end_year``, against the
    aggregate growth the plan's sector floors imply (``implied_pct``, % a year)."""
    b = NarrativeBuilder(lang)
    y0 = int(projection.table["year"].iloc[0])
    years = _years_in(projection, mid_year, end_year) or [int(projection.table["year"].iloc[-1])]
    y1 = years[0]
    g0 = projected(projection, "gdp_real", y0, "yi", provenance, lang)
    g1 = projected(projection, "gdp_real", y1, "yi", provenance, lang)
    rate_value = average_growth_pct(g0.value, g1.value, y1 - y0)
    rate = Quantity(rate_value, "pct", g1.status, g1.citation)
    parts = [b.render("narrative.growth", gdp0=g0, year0=y0, gdp1=g1, year1=y1, rate=rate)]
    if implied_pct is not None and is_finite(implied_pct):
        q = (sourced(implied_pct, "pct", implied_citation) if implied_status == "sourced" and implied_citation
             else assumed(implied_pct, "pct"))
        key = ("narrative.implied_equal" if round(rate_value, 1) == round(float(implied_pct), 1)
               else "narrative.implied_above" if rate_value > implied_pct else "narrative.implied_below")
        parts.append(b.render(key, implied=q, year0=y0))
    nominal1 = projected(projection, "gdp_nominal", y1, "yi", provenance, lang)
    if len(years) > 1:
        y2 = years[1]
        g2 = projected(projection, "gdp_real", y2, "yi", provenance, lang)
        ratio = g2.value / g0.value
        ratio_key = "narrative.ratio_doubled" if ratio >= 2.0 else "narrative.ratio_not_doubled"
        ratio_text = b.render(ratio_key, ratio=Quantity(ratio, "ratio", g2.status, g2.citation), year0=y0)
        parts.append(b.render("narrative.growth_2035", year2=y2, gdp2=g2, ratio_text=ratio_text, year0=y0))
        # real and nominal are never chained: the current-price levels get a sentence of their own
        parts.append(b.render("narrative.nominal_both", nominal1=nominal1, year1=y1, year2=y2,
                              nominal2=projected(projection, "gdp_nominal", y2, "yi", provenance, lang)))
    else:
        parts.append(b.render("narrative.nominal", nominal1=nominal1, year1=y1))
    b.add_text(join_sentences(parts, lang))
    return b.build()


def structure_narrative(projection, provenance, lang: str = "en", *, year1: int | None = None) -> Narrative:
    """Sector shares at the base year and ``year1`` and the sector pulling growth most."""
    b = NarrativeBuilder(lang)
    tab = projection.table
    y0 = int(tab["year"].iloc[0])
    y1 = int(year1) if year1 is not None and int(year1) in set(tab["year"]) else int(tab["year"].iloc[-1])
    parts = [b.render("narrative.structure", year0=y0, year1=y1,
                      sec0=projected(projection, "secondary_share", y0, "pct", provenance, lang),
                      sec1=projected(projection, "secondary_share", y1, "pct", provenance, lang),
                      ter0=projected(projection, "tertiary_share", y0, "pct", provenance, lang),
                      ter1=projected(projection, "tertiary_share", y1, "pct", provenance, lang))]
    if y1 > y0:
        sectors = sector_period(projection, y0, y1)
        sectors = sectors[sectors["part"] != TOTAL]
        contribution, pull = sectors["contribution_pct"].to_numpy(), sectors["pull_pp"].to_numpy()
        top = int(max(range(len(sectors)), key=lambda i: pull[i]))
        sector = str(sectors["part"].iloc[top])
        assumed_any = bool({f"{sector}_pull", f"{sector}_contribution"} & set(projection.assumed_columns))
        cite = None if assumed_any else t("narrative.cite_projection", lang)
        q_pull = assumed(pull[top], "ppu") if assumed_any else sourced(pull[top], "ppu", cite)
        q_share = assumed(contribution[top], "pct") if assumed_any else sourced(contribution[top], "pct", cite)
        parts.append(b.render("narrative.contributions", period=fmt_period(y0 + 1, y1, lang),
                              sector=t(f"sector.{sector}", lang), pull=q_pull, share=q_share))
    b.add_text(join_sentences(parts, lang))
    return b.build()


def per_capita_narrative(projection, provenance, benchmark, lang: str = "en", *, year1: int | None,
                         reported: Quantity | None = None, region_name: str = "") -> Narrative:
    """Per-capita GDP against the benchmark region's level.

    ``benchmark`` is a :class:`xiqu_analysis.reports.tables.scenario.Benchmark` (value,
    year, citation, the benchmark region's record).
    """
    b = NarrativeBuilder(lang)
    names = dict(region=esc(region_name), benchmark=esc(benchmark.region.name(lang)))
    tab = projection.table
    y0 = int(tab["year"].iloc[0])
    y1 = (_years_in(projection, year1) or [int(tab["year"].iloc[-1])])[0]
    bench = sourced(benchmark.value_yuan, "yuan", benchmark.citation)
    parts = [b.render("narrative.per_capita", year0=y0, year1=y1, bench_year=benchmark.year, bench=bench, **names,
                      pc0=projected(projection, "gdp_per_capita", y0, "yuan", provenance, lang),
                      pc1=projected(projection, "gdp_per_capita", y1, "yuan", provenance, lang))]
    # Like with like: the benchmark is a level at its year's prices, so the region's path is compared at
    # constant prices of that year (the projection's base year), never at later years' current prices.
    constant = int(benchmark.year) == y0 and "gdp_per_capita_real" in tab.columns
    column = "gdp_per_capita_real" if constant else "gdp_per_capita"
    if constant:
        parts.append(b.render("narrative.per_capita_constant", year0=y0, year1=y1, bench_year=benchmark.year,
                              bench=bench, **names,
                              pc1=projected(projection, "gdp_per_capita_real", y1, "yuan", provenance, lang)))
    above = tab[tab[column] >= benchmark.value_yuan]
    if len(above):
        parts.append(b.render("narrative.per_capita_reach", bench_year=benchmark.year, **names,
                              year_reached=int(above["year"].iloc[0])))
    else:
        parts.append(b.render("narrative.per_capita_not_reached", bench_year=benchmark.year, **names,
                              end_year=int(tab["year"].iloc[-1])))
    if reported is not None:
        parts.append(b.render("narrative.per_capita_reported", reported=reported, year0=y0))
    b.add_text(join_sentences(parts, lang))
    return b.build()


def income_revenue_narrative(projection, provenance, lang: str = "en", *, year1: int | None) -> Narrative:
    """Urban income and budget revenue, base year to ``year1``."""
    b = NarrativeBuilder(lang)
    y0 = int(projection.table["year"].iloc[0])
    y1 = (_years_in(projection, year1) or [int(projection.table["year"].iloc[-1])])[0]
    b.add("narrative.income_revenue", year0=y0, year1=y1,
          inc0=projected(projection, "urban_income", y0, "yuan", provenance, lang), inc1=projected(projection, "urban_income", y1, "yuan", provenance, lang),
          rev0=projected(projection, "fiscal_revenue", y0, "yi", provenance, lang), rev1=projected(projection, "fiscal_revenue", y1, "yi", provenance, lang))
    return b.build()


def targets_narrative(rows, lang: str = "en") -> Narrative:
    """One sentence per plan target from a table with columns ``label`` (text),
    ``projected`` and ``target`` (% a year), ``met`` (bool) and ``citation``;
    projected values are assumption-dependent, targets sourced."""
    b = NarrativeBuilder(lang)
    if rows is None or len(rows) == 0:
        b.add("narrative.targets_none")
        return b.build()
    parts = [b.render("narrative.targets_intro", n=len(rows))]
    met = 0
    for r in rows.itertuples(index=False):
        key = "narrative.target_met" if bool(r.met) else "narrative.target_missed"
        met += bool(r.met)
        parts.append(b.render(key, target=esc(r.label), projected=assumed(float(r.projected), "pct"),
                              target_value=sourced(float(r.target), "pct", str(r.citation))))
    parts.append(b.render("narrative.targets_summary", met=met, n=len(rows)))
    b.add_text(join_sentences(parts, lang))
    return b.build()


def uncertainty_narrative(percentiles, probabilities, lang: str = "en", *, year: int, n_paths: int = 0,
                          seed: int | None = None, labels: Mapping[str, str] | None = None) -> Narrative:
    """Median and 90% range of real GDP in ``year`` and the probability of each target."""
    b = NarrativeBuilder(lang)
    rows = percentiles[(percentiles["indicator"] == "gdp_real")]
    if int(year) not in set(rows["year"]):
        year = int(rows["year"].max())
    r = rows[rows["year"] == int(year)].iloc[0]
    parts = [b.render("narrative.uncertainty", n=fmt_number(n_paths, 0, lang), seed=seed, year=int(year),
                      median=assumed(float(r["p50"]), "yi"), low=assumed(float(r["p5"]), "yi"),
                      high=assumed(float(r["p95"]), "yi"))]
    labels = labels or {}
    for p in probabilities.itertuples(index=False):
        if not is_finite(p.probability):
            continue
        # the doubling row is an analytic benchmark, not a target of the plan: it is not "met"
        key = "narrative.probability_benchmark" if is_doubling(str(p.target)) else "narrative.probability"
        parts.append(b.render(key, target=esc(labels.get(p.target, p.target)),
                              probability=assumed(float(p.probability), "prob")))
    b.add_text(join_sentences(parts, lang))
    return b.build()


def sensitivity_narrative(table, lang: str = "en", *, output_label: str = "", year: int | None = None,
                          kind: str = "yi") -> Narrative:
    """The input with the widest swing in a tornado table (``input`` or ``label``, ``base``, ``low``, ``high``).

    The step is not printed here (the chart and table show it): the sentence names the input only.
    """
    b = NarrativeBuilder(lang)
    if table is None or len(table) == 0:
        b.add("narrative.sensitivity_none")
        return b.build()
    swing = (table["high"] - table["low"]).abs()
    top = table.loc[swing.idxmax()]
    b.add("narrative.sensitivity", output=esc(output_label), year=year if year is not None else "",
          input=esc(top["input"] if "input" in top else top["label"]), low=assumed(float(top["low"]), kind), high=assumed(float(top["high"]), kind),
          base=assumed(float(top["base"]), kind))
    return b.build()


def inputs_narrative(provenance, lang: str = "en") -> Narrative:
    """How many inputs are sourced and how many assumed."""
    b = NarrativeBuilder(lang)
    n = len(provenance)
    n_sourced = int((provenance["status"] == "sourced").sum())
    b.add("narrative.inputs", n=n, n_sourced=n_sourced, n_assumed=n - n_sourced)
    return b.build()


def comparison_narrative(projections: Mapping[str, Any], provenances: Mapping[str, Any], lang: str = "en", *,
                         year: int) -> Narrative:
    """Range of real GDP in ``year`` across scenarios (``{name: ProjectionResult}``, ``{name: provenance table}``;
    the names are what the reader calls the scenarios, their titles)."""
    b = NarrativeBuilder(lang)
    parts = [b.render("narrative.comparison_intro", n=len(projections))]
    values = {}
    for name, proj in projections.items():
        if _years_in(proj, year):
            values[name] = projected(proj, "gdp_real", year, "yi", provenances.get(name), lang)
    if values:
        lo = min(values, key=lambda k: values[k].value)
        hi = max(values, key=lambda k: values[k].value)
        parts.append(b.render("narrative.comparison_range", year=year, low=values[lo], high=values[hi],
                              low_name=esc(lo), high_name=esc(hi)))
    b.add_text(join_sentences(parts, lang))
    return b.build()
