"""JSON: the stable contract documented in README (one object, or a list for several files)."""
from __future__ import annotations

import json


def render(reports, **_opts) -> str:
    data = [r.to_json() for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
