"""Segmentation: registry terms stay whole, token spans point into the text, and a
missing model is one clear line with exit status 2."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from checker import nlp, structure
from checker.errors import ModelMissing

from conftest import CORPUS, make_source


@pytest.fixture(scope="module")
def segmenter(auditor):
    return auditor.segmenter


@pytest.mark.parametrize("term", ["三项制度", "第一责任人", "法律顾问"])
def test_registry_terms_stay_one_token(segmenter, term):
    words = segmenter.words(f"全面落实行政执法{term}，持续推进依法行政。")
    assert term in words, words


def test_without_the_user_dictionary_pkuseg_splits_them(segmenter):
    plain = nlp.get_segmenter(())  # same model, no registry terms
    assert "三项制度" not in plain.words("全面落实行政执法三项制度。")


def test_token_spans_point_into_the_document_text(segmenter):
    text = "标题\n一、主要举措和成效\n全县落实行政执法三项制度，聘请法律顾问23名。\n"
    doc = structure.build(make_source(text))
    tokens = nlp.LazyTokens(doc, lambda: segmenter)
    spans = [span for p in doc.paragraphs for span in tokens.spans_in(p.start, p.end)]
    words = [text[s:e] for s, e in spans]
    assert "三项制度" in words and "法律顾问" in words
    assert all(text[s:e].strip() == text[s:e] and e > s for s, e in spans)
    start = text.index("三项制度")
    assert tokens.on_boundary(start, start + 4)
    assert not tokens.on_boundary(start + 1, start + 4)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelMissing, match="make model"):
        nlp.check_model(tmp_path)


def test_cli_with_missing_model_prints_one_line_and_exits_2(tmp_path):
    env = dict(os.environ, CHECKER_PKUSEG_MODEL=str(tmp_path / "nowhere"))
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "audit", str(CORPUS / "sample-county-2023.txt")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "make model" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_phrase_segmentations_are_cached_beside_the_model(tmp_path, segmenter):
    calls = []

    def factory():
        calls.append(1)
        return segmenter

    first = nlp.PhraseWords(("三项制度",), factory, folder=tmp_path)
    assert first.words("执法全过程记录") == segmenter.words("执法全过程记录")
    first.save()
    assert len(calls) == 1 and list(tmp_path.glob("phrases-*.json"))

    again = nlp.PhraseWords(("三项制度",), factory, folder=tmp_path)
    assert again.words("执法全过程记录") == segmenter.words("执法全过程记录")
    assert len(calls) == 1  # served from the cache: no model needed

    other_dict = nlp.PhraseWords(("全过程记录",), factory, folder=tmp_path)
    other_dict.words("执法全过程记录")
    assert len(calls) == 2  # another user dictionary is another cache


def test_phrase_cache_that_cannot_be_written_still_works(tmp_path, segmenter):
    folder = tmp_path / "gone"  # the cache's folder does not exist: writing fails with OSError
    cache = nlp.PhraseWords((), lambda: segmenter, folder=folder)
    assert cache.words("法律顾问") == segmenter.words("法律顾问")
    cache.save()  # silently stays in memory
    assert not folder.exists()
    assert cache.words("法律顾问") == segmenter.words("法律顾问")
