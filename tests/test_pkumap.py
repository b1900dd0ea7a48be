"""The memory-mapped pkuseg model (checker.pkumap) gives the original model's tokens and
verdicts, and a mapped form whose checksums do not match is made again."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker import ingest, nlp, pkumap
from checker.rules import all_terms

from conftest import CORPUS, SEEDS

ORIGINALS = ("features.pkl", "weights.npz")


def _have_originals() -> bool:
    try:
        path = nlp.check_model()
    except Exception:
        return False
    return all((path / name).is_file() for name in ORIGINALS)


pytestmark = pytest.mark.skipif(not _have_originals(), reason="the original pkuseg model is not installed")


def _corpus_texts() -> list[str]:
    """corpus/ and, when ../shared is there, the seed reports."""
    texts = []
    for folder in (CORPUS, SEEDS):
        for f in sorted(folder.glob("*")) if folder.is_dir() else ():
            if f.suffix in (".txt", ".docx"):
                texts.append(ingest.read(f).text)
    return texts


@pytest.fixture(scope="module")
def terms(auditor) -> tuple[str, ...]:
    return tuple(all_terms(auditor.registry))


@pytest.fixture(scope="module")
def both(terms):
    mapped = nlp.get_segmenter(terms, mapped=True)
    original = nlp.get_segmenter(terms, mapped=False)
    assert isinstance(mapped, pkumap.MappedSegmenter), "setup left no usable mapped model"
    assert not isinstance(original, pkumap.MappedSegmenter)
    return mapped, original


def _pieces() -> list[str]:
    """Every paragraph of corpus/, whole texts, and text shaped to reach pkuseg's corners:
    digits and Latin letters (normalised to **Num/**Letter), ASCII punctuation pkuseg
    renames, runs of whitespace of several kinds, one-character pieces, empty strings."""
    texts = _corpus_texts()
    pieces = [p for t in texts for p in t.split("\n")]
    pieces += texts[:3]
    sample = "".join(p for p in pieces if len(p) > 40)[:400]
    pieces += [
        sample[:60] + " 2023.5-7/8 ABC_x|y:z*w, " + sample[60:120],
        sample[:30] + "\u3000\u3000" + sample[30:50] + "\t\n  " + sample[50:90] + "\xa0" + sample[90:110],
        "ＡＢＣ１２３％" + sample[:20] + "二〇二三年十一月",
        sample[:1], " " + sample[:1] + " ", "", "   ", "\n",
        "".join(reversed(sample[:200])),
    ]
    return pieces


def test_mapped_model_segments_exactly_as_the_original(both):
    mapped, original = both
    pieces = _pieces()
    assert len(pieces) > 500
    differ = [p for p in pieces if mapped.cut(p) != original.cut(p)]
    assert not differ, f"{len(differ)} of {len(pieces)} texts segmented differently, first: {differ[0][:80]!r}"


def test_mapped_model_keeps_the_user_dictionary_and_spans(both, terms):
    mapped, original = both
    for term in terms[:50]:
        text = f"全面落实{term}，持续推进。"
        assert mapped.words(text) == original.words(text)
    plain_mapped, plain_original = nlp.get_segmenter((), mapped=True), nlp.get_segmenter((), mapped=False)
    text = _corpus_texts()[0][:2000]
    assert plain_mapped.cut(text) == plain_original.cut(text)
    assert all(text[s:e].strip() == text[s:e] and e > s for s, e in plain_mapped.cut(text))


def test_verdicts_are_identical_with_the_mapped_and_the_original_model(auditor, both):
    from checker.pipeline import Auditor, Options

    mapped, original = both
    with_mapped = Auditor(registry=auditor.registry, segmenter=mapped)
    with_original = Auditor(registry=auditor.registry, segmenter=original)
    files = [f for folder in (CORPUS, SEEDS) if folder.is_dir()
             for f in sorted(folder.glob("*")) if f.suffix in (".txt", ".docx")]
    assert len(files) >= 20
    for f in files:
        a = with_mapped.audit_path(f, Options()).to_json()
        b = with_original.audit_path(f, Options()).to_json()
        assert json.dumps(a, ensure_ascii=False, sort_keys=True) == json.dumps(b, ensure_ascii=False, sort_keys=True), f.name


def test_a_mapped_file_that_does_not_match_its_checksum_is_refused_and_made_again(tmp_path):
    source = nlp.check_model()
    model = tmp_path / "model"
    model.mkdir()
    for name in ORIGINALS:
        (model / name).symlink_to(source / name)
    dest = pkumap.mapped_dir(model)
    shutil.copytree(pkumap.mapped_dir(source), dest)
    assert pkumap.verify(dest, model) is not None

    victim = dest / "unigram.marisa"
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other content
    victim.write_bytes(bytes(data))
    assert pkumap.verify(dest, model) is None

    assert pkumap.ensure(model) == dest  # converted again from the originals
    assert pkumap.verify(dest, model, full=True) is not None
    assert victim.read_bytes() == (pkumap.mapped_dir(source) / "unigram.marisa").read_bytes()


def test_no_originals_and_no_valid_mapped_form_means_the_original_loader(tmp_path):
    assert pkumap.ensure(tmp_path) is None  # nothing to convert from: nlp falls back and check_model says so
    manifest = pkumap.read_manifest(pkumap.mapped_dir(nlp.check_model()))
    assert manifest is not None and set(manifest["sha256"]) == set(pkumap.FILES)


def test_the_mapped_files_are_read_ahead_when_the_model_loads(terms, both, monkeypatch):
    """The system is asked to read every mapped file into its page cache in the background
    (a first text after the files left the cache would otherwise read its pages one at a
    time); the segmenter is unchanged by it."""
    import os

    if not hasattr(os, "posix_fadvise"):
        pytest.skip("no posix_fadvise here")
    asked = []
    real = os.posix_fadvise

    def spy(fd, offset, length, advice):
        asked.append((os.path.basename(os.readlink(f"/proc/self/fd/{fd}")), offset, length, advice))
        return real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", spy)
    seg = pkumap.MappedSegmenter(pkumap.ensure(nlp.check_model()), terms)  # a new load, not the cached one
    assert {(name, 0, 0, os.POSIX_FADV_WILLNEED) for name in pkumap.FILES} <= set(asked)
    text = _corpus_texts()[0]
    assert seg.cut(text) == both[1].cut(text)
