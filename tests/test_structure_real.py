"""The structure stage on the real openings in ../shared/eval/real (skipped when absent).

They are hand-labelled public web pages the project does not hold; the thresholds are the
issue's: is_report >= 97 %, level >= 95 %, body >= 90 % (exact), year 100 %.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker import ingest, structure

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "real"
pytestmark = pytest.mark.skipif(not (REAL / "labels.yaml").is_file(), reason="../shared/eval/real is not present")


@pytest.fixture(scope="module")
def readings():
    labels = yaml.safe_load((REAL / "labels.yaml").read_text(encoding="utf-8")) or {}
    return [(lab or {}, structure.build(ingest.read(REAL / "texts" / name)).meta) for name, lab in sorted(labels.items())]


def share(pairs) -> float:
    pairs = list(pairs)
    return sum(a == b for a, b in pairs) / len(pairs)


def test_what_the_text_is(readings):
    assert share((lab["is_report"], m.is_report) for lab, m in readings if "is_report" in lab) >= 0.97


def test_a_text_that_is_not_the_report_says_what_it_looks_like(readings):
    for lab, m in readings:
        if lab.get("is_report") is False and not m.is_report:
            assert "不是法治政府建设年度报告" in m.kind_reason or "不像" in m.kind_reason


def test_level_body_and_year(readings):
    metas = [(lab["meta"], m) for lab, m in readings if lab.get("meta")]
    assert share((lm["level"], m.level) for lm, m in metas if "level" in lm) >= 0.95
    assert share((lm["body"], m.body) for lm, m in metas if "body" in lm) >= 0.90
    assert share((lm["year"], m.year) for lm, m in metas if "year" in lm) == 1.0
