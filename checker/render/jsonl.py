"""JSON Lines: one report object (the single-report JSON contract) per line."""
from __future__ import annotations

import json


def render(reports, **_opts) -> str:
    return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in reports)
