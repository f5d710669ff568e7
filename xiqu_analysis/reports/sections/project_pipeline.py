"""The plan's project pipeline as a report section (in the data-audit notebook).

The numbers come from :func:`xiqu_analysis.economics.pipeline.project_pipeline`;
the words from ``locale/<lang>/project_pipeline.yaml``. The section shows the
stated investment of the plan's 专栏 projects by 专栏 and by theme (the plan's
own ch.3 sections), the total against base-year GDP with the project listed
twice counted once, the repeats, and every project without a stated investment.
"""
from __future__ import annotations

import pandas as pd

from ...economics.pipeline import Pipeline, project_pipeline
from ...inputs.regions import RegionData
from ..words.citations import cite
from ..words.narrative import Narrative, NarrativeBuilder, sourced
from ..words.locales import get_locale
from ..words.text import esc, fmt_number, t

__all__ = ["section_pipeline", "pipeline_narrative", "NAMED_GROUP_COLUMNS", "named_groups", "group_table",
           "projects_table"]

#: :data:`~xiqu_analysis.economics.pipeline.GROUP_COLUMNS` with the group's names from ``project_columns.csv``:
#: ``group_zh`` (the group as a Chinese reader cites it), ``title`` (the 专栏's or section's title in the
#: plan's words), ``theme_en`` (an English gloss); the table the report writes as CSV
NAMED_GROUP_COLUMNS = ["group", "group_zh", "title", "theme_en", "projects", "with_investment", "investment_yi",
                       "share_pct", "to_gdp_pct"]


def named_groups(groups: pd.DataFrame, pipe: Pipeline, region: RegionData, *, by: str) -> pd.DataFrame:
    """``pipe.by_column`` (``by="column"``) or ``pipe.by_theme`` (``by="theme"``) with the names of each group
    from the region's ``project_columns.csv``; a group the file does not name keeps its code, no title and
    its first project's ``theme`` as the gloss."""
    cols = region.project_columns
    if by == "column":
        titles = {c: (title, theme) for c, title, theme in zip(cols["column"], cols["title"], cols["theme_en"])}
        zh: dict = {}
    else:
        titles = {sec: (title, theme) for sec, title, theme in
                  zip(cols["section"], cols["section_title"], cols["theme_en"])}
        zh = dict(zip(cols["section"], cols["section_zh"]))
    key = "column" if by == "column" else "section"
    first_theme = {name: str(group["theme"].iloc[0]) for name, group in pipe.projects.groupby(key, sort=False)}
    named = groups.copy()
    names = [titles.get(g, ("", first_theme.get(g, ""))) for g in named["group"]]
    named.insert(1, "group_zh", [zh.get(g, g) for g in named["group"]])
    named.insert(2, "title", [n[0] for n in names])
    named.insert(3, "theme_en", [n[1] for n in names])
    return named[NAMED_GROUP_COLUMNS]


def _cite_projects(region: RegionData, lang: str = "en") -> str:
    return t("pipeline.cite", lang, n=len(region.projects))


def pipeline_narrative(pipe: Pipeline, region: RegionData, lang: str = "en") -> Narrative:
    """How big the pipeline is, counted once, against GDP, and what the numbers are not."""
    b = NarrativeBuilder(lang)
    if pipe.n_projects == 0:
        b.add("pipeline.none", region=esc(region.info.name(lang)))
        return b.build()
    total = sourced(pipe.total_yi, "yi", _cite_projects(region, lang))
    repeats = pipe.repeats
    parts = [b.render("pipeline.intro", n=pipe.n_projects, n_stated=int(pipe.projects["stated"].sum()),
                      n_counted=pipe.n_counted, total=total)]
    for r in repeats.to_dict("records"):
        first = pipe.projects[pipe.projects["id"] == r["duplicate_of"]].iloc[0]
        parts.append(b.render("pipeline.repeat", name=esc(r["name"]), column=r["column"], first=first["column"],
                              amount=sourced(r["investment_yi"], "yi", _cite_projects(region, lang))))
    if pipe.gdp_yi:
        gdp_fig = region.figure(pipe.gdp_figure_id)
        gdp = sourced(pipe.gdp_yi, "yi", cite(region, gdp_fig, lang))
        parts.append(b.render("pipeline.to_gdp", ratio=sourced(pipe.ratio_to_gdp, "ratio", _cite_projects(region, lang)),
                              year=pipe.gdp_year, gdp=gdp))
    loc = get_locale(lang)
    b.add_text(loc.join_sentences(parts))
    top = named_groups(pipe.by_theme, pipe, region, by="theme").sort_values("investment_yi", ascending=False,
                                                                           kind="stable").iloc[0]
    name = loc.data_name(en=top["theme_en"], zh=top["title"])
    b.add("pipeline.largest", theme=esc(name), section=esc(loc.data_name(en=top["group"], zh=top["group_zh"])),
          share=sourced(top["share_pct"], "pct", _cite_projects(region, lang)))
    b.add("pipeline.caveats", n_unstated=len(pipe.unstated))
    return b.build()


def group_table(groups: pd.DataFrame, lang: str, *, by: str) -> pd.DataFrame:
    """A by-专栏 or by-theme table with headers in ``lang`` (by: ``column`` or ``theme``)."""
    loc = get_locale(lang)
    title = groups["title"] if by == "column" else loc.data_name(en=groups["theme_en"], zh=groups["title"])
    return pd.DataFrame({
        t(f"pipeline_column.{by}", lang): loc.data_name(en=groups["group"], zh=groups["group_zh"]),
        t("pipeline_column.title", lang): title,
        t("pipeline_column.projects", lang): groups["projects"],
        t("pipeline_column.with_investment", lang): groups["with_investment"],
        t("pipeline_column.investment_yi", lang): groups["investment_yi"].round(3),
        t("pipeline_column.share_pct", lang): groups["share_pct"].round(1),
        t("pipeline_column.to_gdp_pct", lang): groups["to_gdp_pct"].round(1),
    })


def projects_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Projects (id, name, 专栏, stated investment in 亿元, the plan's words; notes in English reports)."""
    out = pd.DataFrame({
        t("pipeline_column.id", lang): rows["id"],  # (dropped below in Chinese: a code, the name says it)
        t("pipeline_column.name", lang): rows["name"],
        t("pipeline_column.column", lang): rows["column"],
        t("pipeline_column.investment_yi", lang): rows["investment_yi"].round(3),
        t("pipeline_column.quote", lang): rows["quote"],
    })
    if get_locale(lang).english_data:  # the data's notes are in English
        out[t("pipeline_column.note", lang)] = rows["note"]
    else:
        out = out.drop(columns=[t("pipeline_column.id", lang)])
    return out


def section_pipeline(run) -> None:
    """The plan's project pipeline (a run with ``report``, ``region`` and ``lang``, e.g. the data audit's)."""
    rep, region, lang = run.report, run.region, run.lang
    pipe = project_pipeline(region)
    rep.heading(t("pipeline.heading", lang, region=region.info.name(lang)))
    rep.markdown(pipeline_narrative(pipe, region, lang))
    if pipe.n_projects == 0:
        return
    by_column = named_groups(pipe.by_column, pipe, region, by="column")
    by_theme = named_groups(pipe.by_theme, pipe, region, by="theme")
    rep.table(by_column, "pipeline_by_column", t("pipeline.caption_by_column", lang),
              show=group_table(by_column, lang, by="column"))
    rep.table(by_theme, "pipeline_by_theme", t("pipeline.caption_by_theme", lang),
              show=group_table(by_theme, lang, by="theme"))
    counted = pipe.projects[pipe.projects["stated"]]
    rep.table(counted, "pipeline_investment", t("pipeline.caption_investment", lang,
                                                total=fmt_number(pipe.total_yi, 2)),
              show=projects_table(counted, lang))
    rep.table(pipe.unstated, "pipeline_unstated", t("pipeline.caption_unstated", lang, n=len(pipe.unstated)),
              show=projects_table(pipe.unstated, lang).drop(columns=[t("pipeline_column.investment_yi", lang)]))
