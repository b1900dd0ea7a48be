"""Shared fixtures: one Auditor (the segmentation model loads once per test session),
the project's corpus, and the shared seeds when ../shared is present."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
SEED_LABELS = SHARED / "eval" / "seed-labels.yaml"


@pytest.fixture(scope="session")
def auditor():
    from checker.pipeline import Auditor

    return Auditor()


@pytest.fixture(scope="session")
def seed_labels() -> dict:
    if not SEED_LABELS.is_file() or not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return yaml.safe_load(SEED_LABELS.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_labels() -> dict:
    return yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))


def make_source(text: str, path: str = "t.txt"):
    from checker.model import Source

    return Source(path=path, text=text, encoding="utf-8", sha256="0")
