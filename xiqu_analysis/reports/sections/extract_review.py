"""The review page of ``xiqu extract`` proposals: each figure beside its sentence, grouped by indicator.

One self-contained HTML page (no script): a section per indicator (registry
indicators first, by their name in the page's language), a row per proposal
with its value, year or period, region, kind, price basis, the value in the
registry's unit, where it was read (file, page and line, or table cell),
confidence and status, and the sentence or table row it came from with the
quote highlighted and the number in bold. Figures of the same indicator,
region, year or period and kind are flagged: the same value more than once
(a duplicate), or different values (a conflict, to settle before accepting).
All words come from the locale (``extract_review.*``); document text is escaped.
"""
from __future__ import annotations

import html
import re
from collections import defaultdict

from ..words.locales import get_locale
from ..words.text import t

__all__ = ["review_page", "flags"]

_CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:4px 6px;
vertical-align:top;font-size:14px}th{background:#eee;text-align:left}mark{background:#fff3a0}
.conflict{background:#fde2e2}.duplicate{background:#eef3fb}.flag{font-size:12px;color:#a00}
.other h2{color:#555}.ctx{max-width:38em}"""


def _key(r: dict) -> tuple:
    return (r["indicator"], r["region"], r.get("year") or "", r.get("period") or "", r.get("kind") or "")


def flags(rows: list[dict]) -> dict[int, str]:
    """Row index -> ``duplicate`` or ``conflict`` for rows sharing indicator, region, time and kind."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[_key(r)].append(i)
    out: dict[int, str] = {}
    for idx in groups.values():
        if len(idx) < 2:
            continue
        values = {rows[i]["value"] for i in idx}
        for i in idx:
            out[i] = "conflict" if len(values) > 1 else "duplicate"
    return out


def _context(r: dict) -> str:
    ctx, quote, value = r.get("context") or r["quote"], r["quote"], r["value"].lstrip("-")
    pos = ctx.find(quote)
    if pos < 0:
        return html.escape(ctx)
    q = html.escape(quote)
    m = None
    for m in re.finditer(re.escape(html.escape(value)), q):
        pass
    if m is not None:
        q = f"{q[:m.start()]}<b>{q[m.start():m.end()]}</b>{q[m.end():]}"
    return f"{html.escape(ctx[:pos])}<mark>{q}</mark>{html.escape(ctx[pos + len(quote):])}"


def review_page(rows: list[dict], registry: dict, lang: str = "en") -> str:
    """The review page of proposal ``rows`` (:data:`~xiqu_analysis.inputs.extract.rows.PROPOSAL_COLUMNS`
    plus ``context``) as an HTML string."""
    sources = sorted({r.get("source", "") for r in rows if r.get("source")})
    flagged = flags(rows)
    by_ind: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_ind[r["indicator"]].append(i)
    order = sorted(by_ind, key=lambda k: (k not in registry, list(registry).index(k) if k in registry else 0, k))
    n_dup = sum(1 for v in flagged.values() if v == "duplicate")
    n_con = sum(1 for v in flagged.values() if v == "conflict")
    head = [t(f"extract_review.col_{c}", lang) for c in ("value", "when", "region", "kind", "basis", "std",
                                                          "source", "confidence", "status", "context")]
    summary = t("extract_review.summary", lang, groups=len(by_ind), duplicates=n_dup, conflicts=n_con)
    parts = [f'<!DOCTYPE html><html lang="{get_locale(lang).html_lang}"><head><meta charset="utf-8">',
             f"<title>{html.escape(t('extract_review.title', lang, sources=', '.join(sources)))}</title>",
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(t('extract_review.title', lang, sources=', '.join(sources)))}</h1>",
             f"<p>{html.escape(t('extract_review.intro', lang, n=len(rows), command='xiqu actuals merge'))}</p>",
             f"<p>{html.escape(summary)}</p>"]
    if not rows:
        parts.append(f"<p>{html.escape(t('extract_review.none', lang))}</p>")
    for ind in order:
        spec = registry.get(ind)
        name = spec.label(lang) if spec is not None else ind
        what = t("extract_review.registry" if spec is not None else "extract_review.other", lang)
        parts.append(f'<section class="{"registry" if spec is not None else "other"}">')
        parts.append(f"<h2>{html.escape(t('extract_review.group', lang, indicator=name))} "
                     f"<small>({html.escape(ind)}; {html.escape(what)})</small></h2>")
        parts.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>")
        for i in by_ind[ind]:
            r = rows[i]
            flag = flagged.get(i)
            note = f'<div class="flag">{html.escape(t(f"extract_review.flag_{flag}", lang))}</div>' if flag else ""
            cells = [f"{html.escape(r['value'])} {html.escape(r['unit'])}{note}",
                     html.escape(r.get("year") or r.get("period") or ""), html.escape(r["region"]),
                     html.escape(r["kind"]), html.escape(r["price_basis"]),
                     f"{html.escape(r.get('value_std', ''))} {html.escape(r.get('unit_std', ''))}",
                     f"{html.escape(r.get('source', ''))} {html.escape(r.get('location', ''))}",
                     html.escape(r.get("confidence", "")), html.escape(r.get("status", "")),
                     f'<div class="ctx">{_context(r)}</div>']
            parts.append(f'<tr class="{flag or ""}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("</table></section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
