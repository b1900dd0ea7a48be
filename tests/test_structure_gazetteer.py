"""The gazetteer: China's divisions from the packaged national table, with levels, parents, codes."""
from __future__ import annotations

import functools

import pytest

from checker.structure import gazetteer

pytestmark = pytest.mark.skipif(not gazetteer.available(), reason="the division table package is not installed")


@pytest.mark.parametrize("name, level", [
    ("浦东新区", "county"),           # a district of a municipality
    ("昆山市", "county"),             # a county-level city
    ("绵阳市", "city"),               # a districted city
    ("延边朝鲜族自治州", "city"),
    ("锡林郭勒盟", "city"),
    ("阿里地区", "city"),
    ("阿荣旗", "county"),
    ("伊敏苏木", "township"),
    ("临平街道", "township"),
])
def test_every_kind_of_division_has_its_level(name, level):
    assert {d.level for d in gazetteer.lookup(name)} == {level}


def test_parents_and_codes():
    (d,) = gazetteer.lookup("扎兰屯市")
    assert gazetteer.place_of(d) == {"county": "扎兰屯市", "city": "呼伦贝尔市", "province": "内蒙古自治区"}
    assert d.code.startswith("15") and len(d.code) == 6


def test_a_name_shared_by_several_places_is_resolved_by_its_parents_in_the_text():
    assert len(gazetteer.lookup("周庄镇")) > 1
    d = gazetteer.resolve("周庄镇", context="苏州市昆山市周庄镇2023年法治政府建设情况")
    assert d is not None and gazetteer.place_of(d)["county"] == "昆山市"


def test_names_in_finds_real_places_only():
    found = [n for _, n in gazetteer.names_in("余杭区坚持依法行政，深入推进市场监管")]
    assert found[0] == "余杭区"
    assert "深入推进市" not in found


def test_ordinary_words_are_no_division():
    for cut in ("深入推进市", "依法管理区", "主动公开镇", "门户网区"):
        assert not gazetteer.known(cut)


def test_a_shared_name_without_clues_gives_no_code_but_keeps_its_level():
    assert gazetteer.resolve("周庄镇", context="全镇推进依法行政") is None
    assert {d.level for d in gazetteer.lookup("周庄镇")} == {"township"}


@functools.lru_cache(maxsize=1)
def _table_names() -> tuple[str, ...]:
    """Every name of the table in row order, from its names column."""
    ix = gazetteer._index()
    return tuple(ix.names[1:-1].split("\n")) if ix.ranks else ()


@functools.lru_cache(maxsize=1)
def _name_set() -> frozenset[str]:
    return frozenset(_table_names())


def _names_in_by_every_position(s: str, min_len: int = 2) -> list[tuple[int, str]]:
    """names_in's definition, position by position: at each start the longest known name
    (≤ 16 characters), taken, then on after it."""
    names = _name_set()
    out, i = [], 0
    while i < len(s):
        hit = next((s[i:j] for j in range(min(len(s), i + 16), i + min_len - 1, -1) if s[i:j] in names), None)
        if hit:
            out.append((i, hit))
            i += len(hit)
        else:
            i += 1
    return out


def test_names_in_finds_what_a_look_at_every_position_finds():
    """names_in looks only where a name can end (the names' last characters, a dozen); the
    names it returns are those of a scan of every position, on real pages and on runs of
    real names cut and glued so that they overlap (北京市 inside 北京市海淀区, a name
    that starts inside the one before)."""
    import random
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in sorted((root / "corpus").glob("*.txt"))]
    seeds = root.parent / "shared" / "seeds"
    if seeds.is_dir():
        texts += [f.read_text(encoding="utf-8", errors="replace") for f in sorted(seeds.glob("*.txt"))]
    names = sorted(set(_table_names()))
    rnd = random.Random(13)
    for _ in range(200):
        parts = [rnd.choice(names) for _ in range(rnd.randint(1, 8))]
        texts.append("".join(p[rnd.randint(0, len(p) - 1):] if rnd.random() < 0.3 else p for p in parts))
    found = 0
    for text in texts:
        for min_len in (1, 2, 3):
            got = gazetteer.names_in(text[:20000], min_len)
            assert got == _names_in_by_every_position(text[:20000], min_len), (text[:40], min_len)
            found += len(got)
    assert found > 1000
    assert gazetteer.names_in("") == [] and gazetteer.names_in("镇") == []
    for name in [n for n in names if len(n) >= 14]:  # the longest names of the table (自治县 of several peoples)
        assert gazetteer.names_in(f"。{name}。") == [(1, name)]
    # names sharing their first and last characters, a line break between: two names, never one
    groups: dict[str, list[str]] = {}
    for n in dict.fromkeys(_table_names()):  # table order
        groups.setdefault(n[:1] + n[-1:], []).append(n)
    pairs = [(v[k], v[k + 1]) for v in groups.values() for k in range(len(v) - 1)][:300]
    assert len(pairs) == 300
    for a, b in pairs:
        for text in (f"{a}\n{b}", f"{a}\n\n{b}"):
            assert gazetteer.names_in(text, 1) == _names_in_by_every_position(text, 1), text
        assert not gazetteer.known(f"{a}\n{b}")


def test_kept_columns_whose_last_characters_miss_a_name_are_not_used():
    ix = gazetteer._index()
    assert ix.valid()
    last_of_last = ix.names[-2]
    fields = list(ix.fields())
    fields[4] = ix.lasts.replace(last_of_last, "")
    assert not gazetteer._Index(*fields).valid()  # the table is read again rather than names ending in it missed
    fields = list(ix.fields())
    fields[7] = fields[7][:-4]  # a row's start missing
    assert not gazetteer._Index(*fields).valid()
    fields = list(ix.fields())
    fields[6] = {}  # no buckets
    assert not gazetteer._Index(*fields).valid()


def test_kept_columns_out_of_step_in_their_middle_are_not_used():
    """A start column shifted inside (a row's name read from the wrong place) or a bucket
    lost in the middle of the table is found when the kept columns load: the table is read
    again rather than names missed or misread."""
    from array import array

    ix = gazetteer._index()
    n = len(ix.ranks)
    starts = array("I", ix.starts)
    fields = list(ix.fields())
    shifted = array("I", starts)
    for i in range(n // 2, n // 2 + 50):  # fifty rows in the middle read one character late
        shifted[i] += 1
    fields[7] = shifted.tobytes()
    assert not gazetteer._Index(*fields).valid()
    fields = list(ix.fields())
    middle = ix.name(n // 2)
    fields[6] = {k: v for k, v in ix.buckets.items() if k != middle[:1] + middle[-1:]}
    assert not gazetteer._Index(*fields).valid()
    assert not ix.known(None) and not ix.known("")


def test_the_rows_of_a_name_are_the_rows_that_carry_it_and_a_caller_cannot_change_them():
    """rows_named finds a name's rows in the names column and remembers them: for rows
    spread over the whole table, and for names several places share, each row named so is
    among them, in table order, and every row among them carries the name."""
    ix = gazetteer._index()
    n = len(ix.ranks)
    shared = ["周庄镇", "朝阳区", "新华区", "城关镇"]
    names = [ix.name(i) for i in range(0, n, max(1, n // 400))] + [ix.name(n - 1)] + shared
    every: dict[str, list[int]] = {}  # a look at every row
    for i in range(n):
        every.setdefault(ix.name(i), []).append(i)
    for name in names:
        rows = ix.rows_named(name)
        assert rows == every[name]
        rows.append(-1)  # the caller's own list: the remembered rows stay as they were
        assert -1 not in ix.rows_named(name)
    assert len(ix.rows_named("城关镇")) > 10 and ix.rows_named("不是地名") == [] and ix.rows_named("") == []
    assert ix.rows_named(None) == [] and ix.rows_named(["城关镇"]) == []  # as before the memo: no TypeError


def test_the_stems_of_an_ending_are_the_names_known_with_it():
    """gazetteer.stems(suffix): a stem is in it exactly when stem + suffix is a division's
    name — for the stems of real names, their parts, and strings that are no name."""
    names = [n for n in gazetteer._index().names.split("\n") if n]
    for suffix in ("县", "区", "市", "镇", "乡", "街道", "自治县", "旗"):
        stems = gazetteer.stems(suffix)
        assert stems and all(gazetteer.known(s + suffix) for s in stems)
        tried = {n[:k] for n in names[::37] for k in (2, 3, 4)} | {"中国", "法治", "某某", "一二三四"}
        for s in tried:
            assert (s in stems) == gazetteer.known(s + suffix), (s, suffix)
    assert gazetteer.stems("") == frozenset()
