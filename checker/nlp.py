"""Word segmentation: spaCy's Chinese tokenizer with the pkuseg segmenter.

The model (pkuseg's "default" model: features.pkl + weights.npz) is not shipped by
spacy-pkuseg and cannot be downloaded at run time here; `make model` extracts it from the
checksum-pinned pkuseg 0.0.25 sdist into the venv (see checker.modelfetch). The checker
looks for it in $CHECKER_PKUSEG_MODEL, else <venv>/share/checker/pkuseg/default.

At setup the model is also converted into a memory-mapped form (checker.pkumap: a
MARISA trie of the features, the weights as .npy, checked by SHA-256); get_segmenter uses
it when it is there (loading in milliseconds, its pages shared by every worker) and
spaCy's own pkuseg loader otherwise, or when CHECKER_PKUSEG_ORIGINAL=1. Both give the same
tokens (tests/test_pkumap.py).

Registry phrases go into pkuseg's user dictionary, so 三项制度, 第一责任人, 法律顾问 stay
one token. Tokens are returned as character spans into Document.text; the matcher uses
them for token-boundary checks and for token-order fuzzy matching.
"""
from __future__ import annotations

import bisect
import contextlib
import hashlib
import io
import json
import os
import sys
import threading
from pathlib import Path

from checker.errors import ModelMissing
from checker.model import Document

MODEL_FILES = ("features.pkl", "weights.npz")
_LOCK = threading.Lock()
_SEGMENTERS: dict[tuple[str, tuple[str, ...]], "Segmenter"] = {}


def model_dir() -> Path:
    env = os.environ.get("CHECKER_PKUSEG_MODEL")
    if env:
        return Path(env)
    prefix = Path(sys.prefix) / "share" / "checker" / "pkuseg" / "default"
    if not (prefix / MODEL_FILES[-1]).is_file():  # `checker setup` without a writable prefix
        from checker.modelfetch import user_model_dir

        if (user_model_dir() / MODEL_FILES[-1]).is_file():
            return user_model_dir()
    return prefix


def check_model(path: Path | None = None) -> Path:
    path = path or model_dir()
    missing = [name for name in MODEL_FILES if not (path / name).is_file()]
    if missing:
        raise ModelMissing(
            f"分词模型缺失：{path} 下没有 {', '.join(missing)}。请运行 `checker setup`（在项目目录也可运行 `make model`）"
            f"（或设置 CHECKER_PKUSEG_MODEL 指向含 features.pkl 和 weights.npz 的目录）"
        )
    return path


class Segmenter:
    """A loaded pkuseg segmenter (inside spaCy's Chinese tokenizer): the original loader,
    about 10 s and 860 MiB per process; see MappedSegmenter for the one normally used."""

    def __init__(self, path: Path, user_terms: tuple[str, ...] = ()):
        from spacy.lang.zh import Chinese  # heavy: import only when a segmenter is needed

        self.path = path
        nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
        # spacy_pkuseg prints a harmless "features.msgpack does not exist" notice to stderr
        with contextlib.redirect_stderr(io.StringIO()):
            nlp.tokenizer.initialize(pkuseg_model=str(path), pkuseg_user_dict="default")
        if user_terms:
            nlp.tokenizer.pkuseg_update_user_dict(list(user_terms))
        self._nlp = nlp

    def cut(self, text: str) -> list[tuple[int, int]]:
        """Token spans (start, end) within ``text``; whitespace is not a token."""
        spans = []
        for tok in self._nlp.tokenizer(text):
            if tok.text.strip():
                spans.append((tok.idx, tok.idx + len(tok.text)))
        return spans

    def words(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.cut(text)]


class LazyTokens:
    """Tokens computed paragraph by paragraph, only where the matcher asks.

    The matcher asks on_boundary and spans_in. Most rules are decided by
    exact phrases; segmenting only the paragraphs around candidate hits keeps a warm
    audit fast, and a report that needs no token check never loads the model.
    """

    def __init__(self, doc: Document, segmenter_factory):
        self._doc = doc
        self._factory = segmenter_factory
        self._starts = [p.start for p in doc.paragraphs]
        self._cache: dict[int, list[tuple[int, int]]] = {}

    def _paragraph_spans(self, pos: int) -> list[tuple[int, int]]:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return []
        spans = self._cache.get(i)
        if spans is None:
            para = self._doc.paragraphs[i]
            spans = [(para.start + s, para.start + e) for s, e in self._factory().cut(para.text)]
            self._cache[i] = spans
        return spans

    def on_boundary(self, start: int, end: int) -> bool:
        spans = self._paragraph_spans(start)
        return any(s == start for s, _ in spans) and any(e == end for _, e in spans)

    def spans_in(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self._paragraph_spans(start) if s >= start and e <= end]

    @property
    def segmented_paragraphs(self) -> int:
        return len(self._cache)


class LazySegmenter:
    """A segmenter that loads the model on first use; registry phrases come from the
    phrase cache when one is given (see PhraseWords)."""

    def __init__(self, segmenter_factory, phrases: "PhraseWords | None" = None):
        self._factory = segmenter_factory
        self._phrases = phrases

    def cut(self, text: str) -> list[tuple[int, int]]:
        return self._factory().cut(text)

    def words(self, text: str) -> list[str]:
        return self._phrases.words(text) if self._phrases is not None else self._factory().words(text)


class PhraseWords:
    """Segmentations of registry phrases, cached on disk beside the model.

    A phrase's words depend only on the model and the user dictionary, so they are kept
    in ``phrases-<hash of the user terms>.json`` and an audit that needs no document
    tokens never loads the model. The cache is rewritten atomically; if its folder is
    not writable it simply stays in memory.
    """

    def __init__(self, user_terms: tuple[str, ...], segmenter_factory, folder: Path | None = None):
        key = hashlib.sha256("\n".join(user_terms).encode("utf-8")).hexdigest()[:16]
        self._path = (folder or model_dir().parent) / f"phrases-{key}.json"
        self._factory = segmenter_factory
        self._words: dict[str, list[str]] | None = None
        self._dirty = False

    def _load(self) -> dict[str, list[str]]:
        if self._words is None:
            try:
                self._words = json.loads(self._path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._words = {}
        return self._words

    def words(self, phrase: str) -> list[str]:
        cache = self._load()
        got = cache.get(phrase)
        if got is None:
            got = self._factory().words(phrase)
            cache[phrase] = got
            self._dirty = True
        return got

    def save(self) -> None:
        if not self._dirty or self._words is None:
            return
        import tempfile  # here: only a run that segmented a new phrase writes

        try:
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".phrases.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._words, fh, ensure_ascii=False, sort_keys=True)
            os.chmod(tmp, 0o644)
            os.replace(tmp, self._path)
            self._dirty = False
        except OSError:
            pass  # a read-only install still works, it just segments phrases again next time


def _use_mapped() -> bool:
    return os.environ.get("CHECKER_PKUSEG_ORIGINAL", "") in ("", "0")


def get_segmenter(user_terms: tuple[str, ...] = (), path: Path | None = None, mapped: bool | None = None):
    """A process-wide cached segmenter: the memory-mapped model (checker.pkumap) when it
    can be had — converted now if setup did not — else spaCy's pkuseg loader. ``mapped``
    False forces the original (the tests compare the two)."""
    path = check_model(path)
    mapped = _use_mapped() if mapped is None else mapped
    key = (str(path), tuple(user_terms), mapped)
    with _LOCK:
        seg = _SEGMENTERS.get(key)
        if seg is None:
            seg = None
            if mapped:
                from checker import pkumap

                where = pkumap.ensure(path)
                if where is not None:
                    seg = pkumap.MappedSegmenter(where, tuple(user_terms))
            if seg is None:
                seg = Segmenter(path, tuple(user_terms))
            _SEGMENTERS[key] = seg
        return seg
