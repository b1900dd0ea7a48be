"""The lexicon: one table per vocabulary, read by structure and ingest alike."""
from __future__ import annotations

import re

from checker import ingest
from checker.structure import lexicon


def test_ingest_and_structure_read_the_same_breadcrumb_table():
    text = "首页→ 政务公开\n某县人民政府关于2023年度法治政府建设情况的报告\n2023年，某县推进依法行政。\n"
    cleaned, _notes, _fields = ingest.normalise(text)
    assert "首页" not in cleaned
    assert lexicon.NAV_LINE.match("首页 > 政务公开") and lexicon.NAV_LINE.match("当前位置：首页")


def test_every_self_reference_has_its_place_ending():
    # a form the level table knows ("我盟") must say which ending names the place
    for level in ("township", "county", "city"):
        for form in re.findall(r"[我全本][\u4e00-\u9fff]{1,2}", lexicon._SELF_REFS[level].pattern):
            if form[1:] in ("镇", "乡", "街道", "县", "区", "旗", "市", "州", "盟"):
                assert form in lexicon._SELF_SUFFIX, form


def test_kinds_have_their_chinese_names():
    kinds = {k for k, _ in lexicon.KIND_TITLE} | {k for k, _ in lexicon.KIND_OPENING} | {k for k, _, _ in lexicon.KIND_TEXT}
    assert kinds <= set(lexicon.KIND_ZH)
