"""Where every benchmark writes its result: ``bench/results/<name>-<UTC time>.json`` (git-ignored)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_result(name: str, result: dict, when: datetime | None = None) -> Path:
    """Write ``result`` as indented JSON to ``results/<name>-<YYYYmmdd-HHMMSS>.json``; return the path."""
    stamp = (when or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
