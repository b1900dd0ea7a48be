"""The gazetteer: China's divisions from the packaged national table, with levels, parents, codes."""
from __future__ import annotations

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
