"""The pkuseg "default" model in a memory-mapped form: loads in milliseconds, shared by workers.

spacy_pkuseg loads its model by unpickling ``features.pkl`` — a dict of 2.6 million
feature strings → ids, 116 000 training words and 1.1 million bigrams — and reading
``weights.npz`` into private memory: about 10 s and 860 MiB in every process that needs
it. ``convert`` turns the model once (at setup) into files that are opened with mmap, so a
load costs a few page-table entries and the pages are shared by every worker through the
page cache:

- ``features.marisa``: a MARISA trie of the feature strings (marisa-trie, a static,
  compact, mmap-able C++ trie). Its key id replaces pkuseg's feature id;
- ``weights.npy`` (float64): pkuseg's weight vector with the node rows put in trie key-id
  order, the tag-transition block unchanged at the end — the same numbers, so the decoder
  adds the same values in the same order. A segmenter reads the rows a text needs with
  pread (they stay in the page cache, shared, not in the process's resident memory;
  ``np.load(mmap_mode="r")`` where there is no pread);
- ``unigram.marisa``: the training words (word features look substrings up there);
- ``postwords.marisa``: spacy_pkuseg's post-processing dictionary (dicts/default.pkl);
- ``manifest.json``: format, sizes, tag names, normalisation tables and the SHA-256 of
  every file above and of the two originals it was made from.

A manifest whose checksums do not match means "convert again" (``ensure``). Hashing 150 MB
on every load would cost more than the load itself, so a checksum once verified is
remembered with the file's (size, mtime, inode) in ``verified.json`` beside it, as git's
index does; a file whose stat changed is hashed again.

``MappedSegmenter.cut`` is spacy_pkuseg's ``pkuseg.cut`` (user-dictionary pre-split,
feature extraction, Viterbi decoding, post-processing) followed by spaCy's alignment of the
words to the text, with the same feature order and the decoder from spacy_pkuseg's own
compiled ``inference`` module; tests/test_pkumap.py checks that the tokens are identical to
the original model's.
"""
from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path

FORMAT = 1
FILES = ("features.marisa", "weights.npy", "unigram.marisa", "postwords.marisa")
MANIFEST = "manifest.json"
VERIFIED = "verified.json"
SUBDIR = "mapped"
_ROWS_MAX = 50_000  # weight rows kept per process
_MEMO_MAX = 100_000  # feature-string lookups remembered per process (bounded: ~12 MB)


def mapped_dir(model: Path) -> Path:
    return model / SUBDIR


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- conversion (setup time; needs spacy_pkuseg and the original model) -------------------


def _postwords_path() -> Path:
    spec = importlib.util.find_spec("spacy_pkuseg")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spacy_pkuseg is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dicts" / "default.pkl"


def convert(model: Path, dest: Path | None = None) -> Path:
    """Write the mapped form of the pkuseg model in ``model`` into ``dest`` (default
    model/mapped); every file goes through a temporary name, the manifest last."""
    import marisa_trie
    import numpy as np
    from spacy_pkuseg.config import config
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    # the extractor below implements pkuseg's default feature set; refuse anything else
    if not (config.wordFeature and config.numLetterNorm and (config.wordMin, config.wordMax) == (2, 6)):
        raise RuntimeError("spacy_pkuseg's feature configuration is not the one the mapped model implements")
    dest = dest or mapped_dir(model)
    dest.mkdir(parents=True, exist_ok=True)
    with (model / "features.pkl").open("rb") as fh:
        data = pickle.load(fh)
    feature_to_idx: dict[str, int] = data["feature_to_idx"]
    unigram = set(data["unigram"])
    tag_to_idx: dict[str, int] = data["tag_to_idx"]
    npz = np.load(model / "weights.npz")
    n_tag, n_feature = (int(x) for x in npz["sizes"])
    w = npz["w"]
    if w.shape[0] != n_tag * (n_feature + n_tag) or len(feature_to_idx) != n_feature:
        raise RuntimeError("pkuseg model: weights and features do not agree in size")

    trie = marisa_trie.Trie(feature_to_idx.keys())
    del data
    order = np.empty(n_feature, dtype=np.int64)  # trie key id -> pkuseg feature id
    for key, idx in feature_to_idx.items():
        order[trie.key_id(key)] = idx
    if len(np.unique(order)) != n_feature:
        raise RuntimeError("pkuseg model: feature ids are not one per feature")
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)[order].reshape(-1)
    mapped_w = np.concatenate([node, w[n_feature * n_tag:]])
    start_id = trie.key_id("$$")

    with _postwords_path().open("rb") as fh:  # as spacy_pkuseg's Postprocesser reads it
        postwords = set(pickle.load(fh).strip().split("\n"))

    def write(name: str, writer) -> None:
        fd, tmp = tempfile.mkstemp(dir=dest, prefix=f".{name}.")
        os.close(fd)
        try:
            writer(tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def save_npy(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            np.save(fh, mapped_w, allow_pickle=False)

    write("features.marisa", trie.save)
    write("weights.npy", save_npy)
    write("unigram.marisa", marisa_trie.Trie(w for w in unigram if w).save)
    write("postwords.marisa", marisa_trie.Trie(w for w in postwords if w).save)
    manifest = {
        "format": FORMAT,
        "n_tag": n_tag,
        "n_feature": n_feature,
        "start_feature": start_id,
        "tags": [t for t, _ in sorted(tag_to_idx.items(), key=lambda kv: kv[1])],
        "empty_is_unigram": "" in unigram,
        "empty_is_postword": "" in postwords,
        "keywords": FeatureExtractor.keywords,
        "num": "".join(sorted(FeatureExtractor.num)),
        "letter": "".join(sorted(FeatureExtractor.letter)),
        "source": {name: sha256_of(model / name) for name in ("features.pkl", "weights.npz")},
        "sha256": {name: sha256_of(dest / name) for name in FILES},
    }
    write(MANIFEST, lambda tmp: Path(tmp).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"))
    _remember_verified(dest, manifest)
    return dest


# --- verification --------------------------------------------------------------------------


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _remember_verified(dest: Path, manifest: dict) -> None:
    stamp = {"sha256": manifest["sha256"], "stat": {name: _stat_key(dest / name) for name in FILES}}
    try:
        fd, tmp = tempfile.mkstemp(dir=dest, prefix=".verified.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(stamp, fh)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest / VERIFIED)
    except OSError:
        pass  # read-only: the files are hashed on every load instead


def read_manifest(dest: Path) -> dict | None:
    try:
        manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return manifest


def verify(dest: Path, model: Path | None = None, full: bool = False) -> dict | None:
    """The manifest when every mapped file matches its SHA-256 (and, given ``model``, was
    made from the originals there), else None. Without ``full`` a file whose (size,
    mtime, inode) are those recorded when it was last hashed is not hashed again."""
    manifest = read_manifest(dest)
    if manifest is None:
        return None
    try:
        stamp = json.loads((dest / VERIFIED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = {}
    fresh = True
    try:
        for name in FILES:
            want = manifest["sha256"][name]
            known = (not full and stamp.get("sha256", {}).get(name) == want
                     and stamp.get("stat", {}).get(name) == _stat_key(dest / name))
            if not known:
                fresh = False
                if sha256_of(dest / name) != want:
                    return None
        if model is not None and full:
            for name, want in manifest["source"].items():
                if (model / name).is_file() and sha256_of(model / name) != want:
                    return None
    except (OSError, KeyError, TypeError):
        return None
    if not fresh:
        _remember_verified(dest, manifest)
    return manifest


def ensure(model: Path, full: bool = False) -> Path | None:
    """The mapped model for ``model`` (converted now when missing or not matching its
    checksums and the originals are there); None when it cannot be had."""
    dest = mapped_dir(model)
    if verify(dest, model, full=full) is not None:
        return dest
    if not all((model / name).is_file() for name in ("features.pkl", "weights.npz")):
        return None
    try:
        dest.mkdir(parents=True, exist_ok=True)
        with _locked(dest):  # two workers finding it missing convert it once
            if verify(dest, model, full=full) is not None:
                return dest
            return convert(model, dest)
    except (OSError, RuntimeError, ImportError, ValueError, KeyError):
        return None


class _locked:
    """An exclusive lock on dest/.lock (no-op where fcntl is missing)."""

    def __init__(self, dest: Path):
        self._path = dest / ".lock"
        self._fh = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:
            return self
        self._fh = self._path.open("a")
        fcntl.flock(self._fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self._fh is not None:
            self._fh.close()  # closing releases the lock


# --- run time ------------------------------------------------------------------------------


def _inference_module():
    """spacy_pkuseg's compiled decoder, loaded without running spacy_pkuseg/__init__.py
    (which imports the trainer, requests and more: ~0.15 s)."""
    name = "spacy_pkuseg.inference"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec("spacy_pkuseg")
    folder = Path(list(spec.submodule_search_locations)[0]) if spec and spec.submodule_search_locations else None
    if folder is not None:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / f"inference{suffix}"
            if path.is_file():
                try:
                    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
                    ext_spec = importlib.util.spec_from_file_location(name, str(path), loader=loader)
                    module = importlib.util.module_from_spec(ext_spec)
                    loader.exec_module(module)
                    return module
                except ImportError:
                    break
    import spacy_pkuseg.inference as module  # the ordinary way

    return module


class _UserDict:
    """spacy_pkuseg's Preprocesser: words of the user dictionary are cut out first
    (longest match from each position), the rest goes to the model."""

    def __init__(self, words=()):
        self.trie: dict = {}
        for w in words:
            self.insert(w.strip())

    def insert(self, word: str) -> None:
        node = self.trie
        for c in word:
            node = node.setdefault(c, {})
        node[None] = True  # end of a word

    def solve(self, txt: str) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        n = len(txt)
        last = i = 0
        root = self.trie
        while i < n:
            node, j, found, last_word = root, i, False, -1
            while True:
                c = txt[j]
                if c not in node:  # (pkuseg keeps j here, not last_word + 1)
                    found = last_word != -1
                    break
                node = node[c]
                if None in node:
                    last_word = j
                j += 1
                if j == n:
                    if last_word != -1:
                        j = last_word + 1
                        found = True
                    break
            if found:
                if last != i:
                    out.append((txt[last:i], False))
                out.append((txt[i:j], True))
                last = i = j
            else:
                i += 1
        if last < n:
            out.append((txt[last:n], False))
        return out


def _read_ahead(paths) -> None:
    """Ask the system to read the mapped files into its page cache now, in the background
    (POSIX_FADV_WILLNEED). Once the files have left the cache (a new boot, other work), a
    first text otherwise reads the few thousand weight rows and trie pages it needs one
    page at a time: 13.2 s for a 6,289-character report on this machine's disk, 1.7 s with
    the read-ahead. Cached files make it a no-op (under 1 ms); a system without
    posix_fadvise (Windows, macOS) is left to its own read-ahead."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


class MappedSegmenter:
    """pkuseg segmentation from the mapped model (see the module docstring)."""

    def __init__(self, dest: Path, user_terms: tuple[str, ...] = (), manifest: dict | None = None):
        import marisa_trie
        import numpy as np

        self.path = dest
        manifest = manifest or read_manifest(dest)
        if manifest is None:
            raise FileNotFoundError(f"no mapped pkuseg model in {dest}")
        _read_ahead([dest / name for name in FILES])
        self._features = marisa_trie.Trie().mmap(str(dest / "features.marisa"))
        self._unigram = marisa_trie.Trie().mmap(str(dest / "unigram.marisa"))
        self._postwords = marisa_trie.Trie().mmap(str(dest / "postwords.marisa"))
        self._np = np
        self._n_tag = manifest["n_tag"]
        self._backoff = manifest["n_feature"] * self._n_tag
        self._open_weights(dest / "weights.npy", manifest)
        self._start = manifest["start_feature"]
        self._begins = [("B" in tag) for tag in manifest["tags"]]
        self._empty_unigram = manifest["empty_is_unigram"]
        self._empty_postword = manifest["empty_is_postword"]
        self._table = str.maketrans(manifest["keywords"], "&" * len(manifest["keywords"]))
        self._norm = {c: "**Num" for c in manifest["num"]}
        self._norm.update({c: "**Letter" for c in manifest["letter"] if c not in self._norm})
        self._inf = _inference_module()
        self._user = _UserDict(user_terms)
        self._memo: dict[str, int] = {}

    def _open_weights(self, path: Path, manifest: dict) -> None:
        """The weights are read row by row with pread where the system has it: a text
        needs a few thousand of the 2.6 million feature rows, but through a memory map every
        page fault maps 16 neighbouring pages too, and after one long report a process
        shows ~100 MiB of the weights resident. Read this way they stay in the page cache,
        shared, and never count in a worker's memory. Elsewhere: np.load(mmap_mode="r")."""
        np = self._np
        self._fd = None
        self._w = None
        if hasattr(os, "pread"):
            with path.open("rb") as fh:
                version = np.lib.format.read_magic(fh)
                read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                shape, fortran, dtype = read(fh)
                offset = fh.tell()
            if len(shape) == 1 and not fortran and dtype == np.dtype("<f8"):
                self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
                self._offset = offset
                self._row = self._n_tag * 8
                self._rows: dict[int, bytes] = {}  # recently read rows (bounded: ~8 MB)
                edges = self._n_tag * self._n_tag * 8
                self._edges = os.pread(self._fd, edges, offset + self._backoff * 8)
                if len(self._edges) != edges:
                    raise ValueError(f"{path} is shorter than its header says")
                return
        self._w = np.load(path, mmap_mode="r")

    def __del__(self, _close=os.close):  # bound now: at interpreter exit ``os`` may be gone
        if getattr(self, "_fd", None) is not None:
            try:
                _close(self._fd)
            except OSError:
                pass

    def _decode(self, all_features: list[list[int]]):
        """spacy_pkuseg's decodeViterbi_fast: node and edge scores, then Viterbi; with
        pread, over a weight vector of only the rows these features use (renumbered in
        order, the edges after them: the same numbers added in the same order)."""
        inf = self._inf
        if self._fd is None:
            node_score, edge_score = inf.getLogYY(all_features, self._n_tag, self._backoff, self._w, 1.0)
        else:
            used = sorted({f for fl in all_features for f in fl})
            local = {g: j for j, g in enumerate(used)}
            fd, offset, row, rows = self._fd, self._offset, self._row, self._rows
            parts = []
            for g in used:
                got = rows.get(g)
                if got is None:
                    got = os.pread(fd, row, offset + g * row)
                    if len(rows) >= _ROWS_MAX:
                        rows.clear()
                    rows[g] = got
                parts.append(got)
            parts.append(self._edges)
            w = self._np.frombuffer(b"".join(parts), dtype="<f8")
            node_score, edge_score = inf.getLogYY([[local[f] for f in fl] for fl in all_features], self._n_tag,
                                                  len(used) * self._n_tag, w, 1.0)
        _, states = inf.run_viterbi(node_score, edge_score)
        return states.tolist()

    # pkuseg.cut + spaCy's alignment ------------------------------------------------------

    def pkuseg_words(self, text: str) -> list[str]:
        """What spacy_pkuseg's ``pkuseg.cut`` returns for ``text``."""
        ret: list[str] = []
        for piece in text.strip().split():
            for part, is_word in self._user.solve(piece):
                if is_word:
                    ret.append(part)
                else:
                    ret.extend(self._post(self._cut(part)))
        return ret

    def cut(self, text: str) -> list[tuple[int, int]]:
        """Token spans (start, end) within ``text``; whitespace is not a token."""
        spans = []
        pos = 0
        for word in self.pkuseg_words(text):
            start = text.index(word, pos)
            pos = start + len(word)
            spans.append((start, pos))
        return spans

    def words(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.cut(text)]

    # the model ----------------------------------------------------------------------------

    def _is_word(self, s: str) -> bool:
        return s in self._unigram if s else self._empty_unigram

    def _miss(self, feat: str) -> int:
        """A feature's id from the trie (-1: not a feature), remembered in the memo."""
        got = self._features.get(feat, -1)
        if len(self._memo) >= _MEMO_MAX:
            self._memo.clear()
        self._memo[feat] = got
        return got

    def _cut(self, text: str) -> list[str]:
        norm = self._norm
        nodes = [norm.get(c, c) for c in text.translate(self._table)]
        n = len(nodes)
        if n == 0:
            return []
        is_word = self._is_word
        memo_get = self._memo.get
        miss = self._miss

        def fid(feat: str) -> int:
            got = memo_get(feat)
            return miss(feat) if got is None else got

        lengths = range(6, 1, -1)
        # pre[i]: for l = 6..2 the l characters ending at i; post[i]: the l starting at i —
        # each as itself when a training word (or "" past an edge, "" being one), else
        # **noWord; pkuseg's "excluding" lists at i are pre[i-1] and post[i+1]
        empty = "" if self._empty_unigram else "**noWord"
        edge = [empty] * 5
        pre: list[list[str]] = []
        post: list[list[str]] = []
        pre_feats: list[list[int]] = []
        post_feats: list[list[int]] = []
        for i in range(n):
            row, feats = [], []
            for l in lengths:
                tmp = "".join(nodes[i - l + 1: i + 1]) if i - l + 1 >= 0 else ""
                if is_word(tmp):
                    f = fid("w-1." + tmp)
                    if f >= 0:
                        feats.append(f)
                    row.append(tmp)
                else:
                    row.append("**noWord")
            pre.append(row)
            pre_feats.append(feats)
            row, feats = [], []
            for l in lengths:
                tmp = "".join(nodes[i: i + l]) if i + l <= n else ""
                if is_word(tmp):
                    f = fid("w1." + tmp)
                    if f >= 0:
                        feats.append(f)
                    row.append(tmp)
                else:
                    row.append("**noWord")
            post.append(row)
            post_feats.append(feats)

        all_features = []
        start = self._start
        for i in range(n):
            c = nodes[i]
            flist = [start]
            f = fid("c." + c)
            if f >= 0:
                flist.append(f)
            if i > 0:
                p = nodes[i - 1]
                for feat in ("c-1." + p, "c-1c." + p + "." + c):
                    f = fid(feat)
                    if f >= 0:
                        flist.append(f)
            if i + 1 < n:
                q = nodes[i + 1]
                for feat in ("c1." + q, "cc1." + c + "." + q):
                    f = fid(feat)
                    if f >= 0:
                        flist.append(f)
            if i > 1:
                pp = nodes[i - 2]
                for feat in ("c-2." + pp, "c-2c-1." + pp + "." + nodes[i - 1]):
                    f = fid(feat)
                    if f >= 0:
                        flist.append(f)
            if i + 2 < n:
                f = fid("c2." + nodes[i + 2])
                if f >= 0:
                    flist.append(f)
            flist.extend(pre_feats[i])
            flist.extend(post_feats[i])
            pre_ex = pre[i - 1] if i > 0 else edge
            post_ex = post[i + 1] if i + 1 < n else edge
            for head, tails in (("ww.l.", post[i]), ("ww.r.", post_ex)):
                for a in (pre_ex if head == "ww.l." else pre[i]):
                    prefix = head + a + "*"
                    for b in tails:
                        feat = prefix + b
                        f = memo_get(feat)
                        if f is None:
                            f = miss(feat)
                        if f >= 0:
                            flist.append(f)
            all_features.append(flist)

        tags = self._decode(all_features)
        words: list[str] = []
        begins = self._begins
        current = text[0]
        for k in range(1, n):
            if begins[tags[k]]:
                words.append(current)
                current = text[k]
            else:
                current += text[k]
        words.append(current)
        return words

    def _post(self, sent: list[str]) -> list[str]:
        """spacy_pkuseg's Postprocesser.post_process(sent, check_seperated=True) with the
        default dictionary as its "other" words and no "common" words."""
        words = self._postwords
        empty = self._empty_postword

        def known(s: str) -> bool:
            return s in words if s else empty

        for m in range(7, 1, -1):
            end = len(sent) - m
            if end < 0:
                continue
            i = 0
            while i < end + 1:
                merged = "".join(sent[i:i + m])
                if known(merged) and not all(known(w) for w in sent[i:i + m]):
                    del sent[i:i + m]
                    sent.insert(i, merged)
                    end = len(sent) - m
                i += 1
        return sent
