"""Real reports in, real verdicts out: the project's corpus and the shared seeds, each
against its hand labels (corpus/labels.yaml, ../shared/eval/seed-labels.yaml).

Labels are data; nothing in the checker knows a file name. A label is compared as the
shared scorer does: named rules status for status, outline articles present (covered
or partial) vs missing vs not_applicable, and the detected level, year and profile.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.pipeline import Options

from conftest import CORPUS, SEED_LABELS, SEEDS

RANK = {"covered": 3, "partial": 2, "missing": 1, "not_applicable": 0}


def _labels(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _article(results, edition: str, number: str) -> str | None:
    ref = f"{edition}:{number}"
    found = [r for r in results if ref in r.refs]
    if not found:
        return None
    applicable = [r for r in found if r.status != "not_applicable"]
    if not applicable:
        return "not_applicable"
    return max((r.status for r in applicable), key=lambda s: RANK.get(s, 1))


def _present(status):
    return "present" if status in ("covered", "partial") else status


def disagreements(report, want: dict) -> list[str]:
    out = []
    by_id = {r.id: r for r in report.results}
    for rid, status in (want.get("rules") or {}).items():
        got = by_id[rid].status if rid in by_id else None
        if got != status:
            out.append(f"{rid}: want {status}, got {got}")
    for edition in ("outline-2021", "outline-2015"):
        for number, status in (want.get(edition) or {}).items():
            got = _article(report.results, edition, str(number))
            if _present(got) != _present(status):
                out.append(f"{edition}:{number}: want {status}, got {got}")
    meta = {"level": report.level, "year": report.year, "profile": report.profile}
    for key, value in (want.get("meta") or {}).items():
        if key in meta and str(meta[key]) != str(value):
            out.append(f"meta {key}: want {value}, got {meta[key]}")
    return out


CORPUS_LABELS = _labels(CORPUS / "labels.yaml")
SEED_LABEL_DATA = _labels(SEED_LABELS) if SEEDS.is_dir() else {}


@pytest.mark.parametrize("name", sorted(CORPUS_LABELS))
def test_corpus_report_matches_its_labels(auditor, name):
    report = auditor.audit_path(CORPUS / name, Options())
    assert report.error is None
    problems = disagreements(report, CORPUS_LABELS[name])
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.seeds
@pytest.mark.parametrize("name", sorted(SEED_LABEL_DATA) or ["(no seeds)"])
def test_seed_report_matches_its_labels(auditor, name):
    if not SEED_LABEL_DATA:
        pytest.skip("../shared/seeds is not present")
    report = auditor.audit_path(SEEDS / name, Options())
    problems = disagreements(report, SEED_LABEL_DATA[name])
    # the bar: named rules and meta exact; outline presence at most a few misses overall
    named_or_meta = [p for p in problems if not p.startswith("outline-")]
    assert not named_or_meta, f"{name}:\n" + "\n".join(problems)


@pytest.mark.seeds
def test_seed_outline_agreement_overall(auditor):
    if not SEED_LABEL_DATA:
        pytest.skip("../shared/seeds is not present")
    total = misses = 0
    lines = []
    for name, want in SEED_LABEL_DATA.items():
        report = auditor.audit_path(SEEDS / name, Options())
        problems = [p for p in disagreements(report, want) if p.startswith("outline-")]
        total += sum(len(want.get(e) or {}) for e in ("outline-2021", "outline-2015"))
        misses += len(problems)
        lines += [f"{name}: {p}" for p in problems]
    assert total - misses >= round(total * 104 / 107), "\n".join(lines)


def test_every_labelled_corpus_file_exists_and_every_corpus_report_is_labelled():
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".docx")}
    assert set(CORPUS_LABELS) <= files
    assert files <= set(CORPUS_LABELS), f"unlabelled: {sorted(files - set(CORPUS_LABELS))}"
