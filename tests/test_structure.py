"""Structure stage on the real seeds (one module's tests per tests/test_structure_*.py).

The report passages below are written for these tests (no seed text is copied). The seed
tests at the end run on ../shared/seeds when that folder exists and are driven by the
hand labels in ../shared/eval/seed-labels.yaml.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from checker.model import Source
from checker.structure import build

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
LABELS = SHARED / "eval" / "seed-labels.yaml"

from structure_support import assert_consistent, parts_of


# --- seeds ------------------------------------------------------------------------------

_PINYIN = re.compile(r"[(（][a-zA-Z\u00c0-\u024f\u0300-\u036f]{1,8}[)）]")


def _read_seed(path: Path) -> Source:
    try:
        from checker.ingest import read
    except ImportError:  # ingest not there yet: decode, drop pinyin, convert to simplified
        read = None
    if read is not None:
        return read(path)
    import opencc

    text = _PINYIN.sub("", path.read_text(encoding="utf-8"))
    text = opencc.OpenCC("t2s").convert(text)
    return Source(path=str(path), text=text, encoding="utf-8", sha256="0")


def _seed_labels() -> dict:
    if not (LABELS.is_file() and SEEDS.is_dir()):
        return {}
    return yaml.safe_load(LABELS.read_text(encoding="utf-8")) or {}


_LABELS = _seed_labels()
_SEED_PARAMS = sorted(_LABELS) or [pytest.param(None, marks=pytest.mark.skip(reason="../shared/seeds is not present"))]


@pytest.mark.seeds
@pytest.mark.parametrize("name", _SEED_PARAMS)
def test_seed(name):
    label = _LABELS[name]
    source = _read_seed(SEEDS / name)
    doc = build(source)
    assert_consistent(doc)
    meta = doc.meta
    assert meta.level == label["meta"]["level"], meta.level_reason
    assert meta.year == label["meta"]["year"], meta.year_reason
    assert meta.is_report, meta.report_reason
    assert meta.body
    runs = parts_of(doc)
    assert runs.count("achievements") == 1, runs
    rules = label.get("rules", {})
    assert doc.part_present("shortcomings") == (rules.get("shortcomings-section") != "missing"), runs
    assert doc.part_present("plan") == (rules.get("next-year-plan") != "missing"), runs
