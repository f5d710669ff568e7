"""The region of a figure: the document's, or the place or scope word that opens its clause.

A place named in a comparison (比全市, 比岑河县), a rank (居全市第2位) or a share
(占全区的) is not a scope; a number in brackets right after a place is that place's (全市（6.0%）).
"""
from __future__ import annotations

import re

from .context import SCOPE_WORDS, DocContext
from .mentions import Mention, in_closed_brackets

__all__ = ["region_of_mention"]

def region_of_mention(t: str, s0: int, c0: int, mn: Mention, ctx: DocContext) -> str | None:
    """The region of a number: a place or scope word opening its clause or an earlier clause of the sentence."""
    region = ctx.region
    # a number in brackets right after a place: 全市（6.0%）
    before = t[max(s0, mn.start - 8):mn.start]
    br = re.search(r"(全市|全省|全国)[（(]\s*$", before) or re.search(r"([\u4e00-\u9fff]{2}[市县区])[（(]\s*$", before)
    if br:
        r = ctx.region_of(br.group(1))
        if r:
            return r
    words = list(SCOPE_WORDS) + sorted(ctx.region_names | ctx.city_names | set(ctx.places), key=len, reverse=True)
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if not pattern:
        return region
    for m in re.finditer(pattern, t[s0:mn.start]):
        a = s0 + m.start()
        before = t[max(s0, a - 4):a]
        if re.search(r"(?:比|较|于|占|对|与|拉动|快于|慢于|高于|低于|超过|经|根据|在)$", before) or \
                re.search(r"占[^，；]{0,2}$", before):
            continue
        if re.search(r"^[）)]|^(?:统计局|人民政府|政府|委|人大|第|前列|首位|排名|平均|同类)",
                     t[s0 + m.end():s0 + m.end() + 4]) or re.search(r"(?:位居|居|列|位列|领跑)$", before):
            continue
        if in_closed_brackets(t, a, mn.start):
            continue
        if re.match(r"(?:（|\()?(?:含|不含|以下简称)", t[s0 + m.end():s0 + m.end() + 4]) and \
                SCOPE_WORDS.get(m.group()) in ("jingkaiqu", "kaifaqu", "gaoxinqu"):
            pass
        r = ctx.region_of(m.group())
        if r is not None:
            region = r
    if region in ("province", "country"):
        return None
    return region
