"""Copying: paragraphs carried over from last year's report, and paragraphs several bodies'
reports share in one batch.

Near-duplicates are found with MinHash LSH (datasketch's scheme, computed with numpy): each
paragraph's character 5-gram set is hashed once and put in one index, so the work grows with the number of
paragraphs (linear in the batch), not with the number of pairs. A candidate pair is then
confirmed with rapidfuzz's ratio. Digits are folded before comparing, so a paragraph
copied with this year's figures written in still counts as carried over.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cached_property

from checker import recache  # compiled patterns kept across runs

MIN_CHARS = 50  # shorter lines (headings, slogans) are not compared
THRESHOLD = 0.6  # Jaccard of 5-gram sets a candidate must reach (LSH)
CONFIRM = 80  # rapidfuzz ratio a candidate must reach
NUM_PERM = 64
# the LSH's bands and rows for THRESHOLD and NUM_PERM, as datasketch's MinHashLSH works
# them out (_optimal_param; a test checks they agree): given, an index does not compute
# ~600 numerical integrals each time it is made, and scipy.integrate is never imported
LSH_PARAMS = (10, 6)
_FOLD = recache.compile(r"\d+")
_DROP = recache.compile(r"[\s，。、；：“”‘’（）《》!！?？,.;:()\-—…·]")


@dataclass(frozen=True)
class Para:
    """A line long enough to compare, with its offsets and (``norm``) its text with digits
    folded and punctuation dropped, made when first asked for."""

    key: tuple[int, int]  # (report index, paragraph number)
    start: int
    end: int
    text: str

    @cached_property
    def norm(self) -> str:
        return _normal(self.text)


def _normal(line: str) -> str:
    return _DROP.sub("", _FOLD.sub("0", line))


def paragraphs(text: str, report: int = 0) -> list[Para]:
    """Lines of the normalised text long enough to compare, with their offsets."""
    out, pos = [], 0
    for n, line in enumerate(text.split("\n")):
        s = line.strip()
        if len(s) >= MIN_CHARS:
            start = pos + line.index(s[0])
            norm = _normal(s)
            if len(norm) >= MIN_CHARS * 0.8:
                para = Para((report, n), start, start + len(s), s)
                para.__dict__["norm"] = norm  # made already
                out.append(para)
        pos += len(line) + 1
    return out


_PERMS = None  # (a, b): datasketch's affine32 permutations for NUM_PERM and seed 1


def _permutations():
    """The permutations datasketch's MinHash(num_perm=NUM_PERM) draws (affine32 scheme,
    seed 1), drawn the same way without importing datasketch: a pool worker and the parent
    make signatures with numpy alone (a test checks they equal datasketch's)."""
    global _PERMS
    if _PERMS is None:
        import numpy as np

        gen = np.random.RandomState(1)
        a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
        _PERMS = (a, b)
    return _PERMS


def sketch(text: str):
    """What the batch's index needs of a report made where it is audited (a pool worker):
    each of ``paragraphs(text)``'s (line number, start, end) and its ``bands``; None when
    it has none. With it the parent makes neither the paragraphs' folded text (until a
    candidate pair asks for it) nor their MinHash values."""
    paras = paragraphs(text)
    if not paras:
        return None
    return [(p.key[1], p.start, p.end) for p in paras], bands(_values(paras))


def _values(paras: list[Para]):
    """The MinHash values of each paragraph, in order, as one array (a row a paragraph),
    equal to datasketch's MinHash.bulk of their 5-gram sets (crc32, NUM_PERM): every
    paragraph's 5-grams hashed in one list and permuted in one array operation (a repeated
    5-gram cannot change a minimum, so no set is made), the minimum taken per paragraph."""
    import numpy as np

    a, b = _permutations()
    crc, starts = zlib.crc32, []
    hv: list[int] = []
    for p in paras:
        starts.append(len(hv))
        norm = p.norm
        try:
            hv += [crc(norm[i:i + 5].encode("utf-8")) for i in range(len(norm) - 4)]
        except UnicodeEncodeError:  # a lone surrogate: hashed as its code unit, not an error
            hv += [crc(norm[i:i + 5].encode("utf-8", "surrogatepass")) for i in range(len(norm) - 4)]
    x = np.array(hv, dtype=np.uint32)
    # MurmurHash3's finaliser (datasketch's _fmix for 32 bits), then h -> a*h + b mod 2^32
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x85EBCA6B)
    x ^= x >> np.uint32(13)
    x *= np.uint32(0xC2B2AE35)
    x ^= x >> np.uint32(16)
    # a row a permutation, a column a 5-gram: long inner loops (a column a permutation, 64
    # long, made numpy ~15 times slower)
    permuted = a[:, None] * x[None, :]
    permuted += b[:, None]
    return np.ascontiguousarray(np.minimum.reduceat(permuted, starts, axis=1).T)


def bands(values) -> list[tuple[bytes, ...]]:
    """Each paragraph's LSH band keys (LSH_PARAMS: bands of rows) from its MinHash values:
    small to send from a pool worker, and all the parent's index needs."""
    nb, rows = LSH_PARAMS
    return [tuple(row[i * rows:(i + 1) * rows].tobytes() for i in range(nb)) for row in values]


class _Bands:
    """MinHash LSH with LSH_PARAMS: one table per band, band key -> the paragraphs whose
    values have that band; a candidate shares any band, as datasketch's MinHashLSH finds
    them (a test compares the two). Plain dicts: a pool's parent imports neither numpy nor
    datasketch, and a query is a few dictionary lookups."""

    def __init__(self):
        self.tables: list[dict[bytes, list[tuple[int, int]]]] = [{} for _ in range(LSH_PARAMS[0])]

    def query(self, keys: tuple[bytes, ...]) -> set[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for table, k in zip(self.tables, keys):
            found.update(table.get(k, ()))
        return found

    def insert(self, para: tuple[int, int], keys: tuple[bytes, ...]) -> None:
        for table, k in zip(self.tables, keys):
            table.setdefault(k, []).append(para)


class Index:
    """One MinHash LSH over every paragraph of every report given."""

    def __init__(self, paras: list[Para]):
        self.paras = {p.key: p for p in paras}
        self.keys = dict(zip(self.paras, bands(_values(paras)))) if paras else {}
        self.lsh = _Bands()
        for key, keys in self.keys.items():
            self.lsh.insert(key, keys)

    def similar(self, key, keep=lambda other: True) -> list[Para]:
        """Near-duplicates of one paragraph (``keep`` filters candidates before confirming),
        the closest first, and of equally close ones the earliest: the paragraph a finding
        cites does not depend on the order of a set."""
        from rapidfuzz import fuzz

        me = self.paras[key]
        found = []
        for other in self.lsh.query(self.keys[key]):
            if other == key or not keep(other):
                continue
            p = self.paras[other]
            score = fuzz.ratio(me.norm, p.norm)
            if score >= CONFIRM:
                found.append((-score, other, p))
        found.sort(key=lambda f: (f[0], f[1]))
        return [p for _, _, p in found]


def carried_over(text: str, previous: str) -> tuple[list[tuple[Para, Para]], float]:
    """Paragraphs of ``text`` that repeat one of ``previous``, and their share of the text's
    compared characters."""
    mine, theirs = paragraphs(text, 0), paragraphs(previous, 1)
    if not mine or not theirs:
        return [], 0.0
    index = Index(mine + theirs)
    pairs = []
    for p in mine:
        hits = index.similar(p.key, lambda other: other[0] == 1)
        if hits:
            pairs.append((p, hits[0]))
    total = sum(len(p.norm) for p in mine)
    return pairs, (sum(len(p.norm) for p, _ in pairs) / total if total else 0.0)


class Batch:
    """The paragraphs several bodies' reports share, found as a batch's reports come in: each
    report's paragraphs are looked up in one MinHash LSH of the reports before it, confirmed
    (another owner, rapidfuzz ratio), then put in it. A candidate pair is found from either
    side (LSH bands and the ratio are symmetric), so the pairs are those of one index over the
    whole batch, and nothing is left to do when the last report arrives."""

    def __init__(self):
        self.lsh = _Bands()
        self.paras: dict[tuple[int, int], Para] = {}
        self.owners: dict[int, str] = {}
        self.pairs: dict[tuple[int, int], set[tuple[int, int]]] = {}

    def add(self, report: int, text: str, owner: str, made=None) -> None:
        """One report (``report``: its key, unique in the batch); ``made``: its ``sketch``
        when a worker made it."""
        from rapidfuzz import fuzz

        if made is not None and len(made[0]) == len(made[1]):
            paras = [Para((report, n), start, end, text[start:end]) for n, start, end in made[0]]
            keys = made[1]
        else:
            paras = paragraphs(text, report)
            keys = bands(_values(paras)) if paras else []
        if not paras:
            return
        self.owners[report] = owner
        pairs, lsh = self.pairs, self.lsh
        for p, k in zip(paras, keys):
            for other in lsh.query(k):
                if self.owners[other[0]] == owner:
                    continue
                if fuzz.ratio(p.norm, self.paras[other].norm) >= CONFIRM:
                    pairs.setdefault(p.key, set()).add(other)
                    pairs.setdefault(other, set()).add(p.key)
        for p, k in zip(paras, keys):
            self.paras[p.key] = p
            lsh.insert(p.key, k)

    def shared(self) -> dict[int, list[tuple[Para, list[Para]]]]:
        """Per report key: its paragraphs (in order) that also occur in a report of another
        owner, each with those others (in batch order)."""
        out: dict[int, list[tuple[Para, list[Para]]]] = {}
        for key in sorted(self.pairs):
            out.setdefault(key[0], []).append((self.paras[key], [self.paras[k] for k in sorted(self.pairs[key])]))
        return out


def shared_across(texts: list[str | None], owners: list[str],
                  signatures: list | None = None) -> dict[int, list[tuple[Para, list[Para]]]]:
    """Per report index: its paragraphs that also occur in a report of another owner (body).
    ``signatures``: each text's ``sketch`` when already made."""
    batch = Batch()
    for i, t in enumerate(texts):
        if t:
            batch.add(i, t, owners[i], signatures[i] if signatures is not None else None)
    return batch.shared()
