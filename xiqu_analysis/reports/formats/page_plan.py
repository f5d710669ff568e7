"""Which blocks of a report are printed together: the page plan both the Word and the PDF version follow.

- A heading stands with what it heads: :func:`keep_groups` joins each run of headings to the block after
  it (a table or a figure with its caption, or the first paragraphs), so no page ends on a heading.
- A wide table goes on a landscape page (:func:`landscape_blocks`), with the headings right above it;
  consecutive wide tables share landscape pages; everything else is portrait.
"""
from __future__ import annotations

from typing import Any

__all__ = ["landscape_blocks", "keep_groups"]


def landscape_blocks(blocks: list[dict[str, Any]], wide: dict[int, bool]) -> list[bool]:
    """For each block, True if it is printed on a landscape page; ``wide`` maps the index of each table
    block to whether it needs one."""
    out = [bool(wide.get(i)) if b.get("kind") == "table" else False for i, b in enumerate(blocks)]
    following = False  # whether the next block that is not a heading is a landscape table
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].get("kind") == "heading":
            out[i] = following
        else:
            following = out[i]
    return out


def keep_groups(blocks: list[dict[str, Any]]) -> list[list[int]]:
    """The blocks' indices in groups printed together: each run of headings with the block after it,
    every other block alone."""
    groups: list[list[int]] = []
    pending: list[int] = []
    for i, block in enumerate(blocks):
        pending.append(i)
        if block.get("kind") != "heading":
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    return groups
