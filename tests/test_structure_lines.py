"""Structure stage, lines: paragraphs, sentences, web metadata lines.

The passages below are written for these tests (no real report's text is copied).
"""
from __future__ import annotations


from checker.structure import split_sentences
from structure_support import HEADED, assert_consistent, make, para, parts_of


# --- paragraphs and headings ------------------------------------------------------------


def test_headed_report_kinds_parts_and_meta():
    doc = make(HEADED)
    assert_consistent(doc)
    assert parts_of(doc) == ["title", "preamble", "achievements", "shortcomings", "plan", "closing"]
    assert doc.paragraphs[0].kind == "title"
    assert para(doc, "县委、县政府").part == "preamble"
    assert [p.kind for p in doc.paragraphs[-3:]] == ["closing"] * 3
    m = doc.meta
    assert (m.year, m.level, m.body, m.date) == (2023, "township", "青石镇", "2024-01-15")
    assert m.title == doc.paragraphs[0].text
    assert m.is_report
    assert m.year_reason.startswith("标题") and "2023" in m.year_reason
    assert "青石镇" in m.level_reason


# --- sentences --------------------------------------------------------------------------


def test_split_sentences_enumerators_quotes_and_offsets():
    text = "我县扎实推进普法工作：一是加强组织领导；二是创新宣传方式；十一是强化考核。同时开展“法律进乡村。进社区”活动！效果如何？良好"
    spans = split_sentences(text, 100)
    got = [text[s - 100:e - 100] for s, e in spans]
    assert got == [
        "我县扎实推进普法工作：",
        "一是加强组织领导；",
        "二是创新宣传方式；",
        "十一是强化考核。",
        "同时开展“法律进乡村。进社区”活动！",
        "效果如何？",
        "良好",
    ]


def test_split_sentences_other_cases():
    def texts(t):
        return [t[s:e] for s, e in split_sentences(t)]

    assert texts("思想统一是前提，也是基础。") == ["思想统一是前提，也是基础。"]
    assert texts("其一，健全制度；其二，强化执法。") == ["其一，健全制度；", "其二，强化执法。"]
    assert texts("第一行\n  第二行。  \n\n") == ["第一行", "第二行。"]
    assert texts("他说：“要依法办事。”随后散会。") == ["他说：“要依法办事。”随后散会。"]
    assert texts("完成率100%二是强化培训。") == ["完成率100%", "二是强化培训。"]
    assert texts("") == []


def test_document_sentences_have_exact_offsets_and_running_index():
    doc = make("  （一）加强领导。 一是学习；二是培训。  \n\n二、问题\n一是经费不足；二是人员不足。")
    assert_consistent(doc)
    assert [s.text for s in doc.paragraphs[0].sentences] == ["（一）加强领导。", "一是学习；", "二是培训。"]
    assert [s.index for p in doc.paragraphs for s in p.sentences] == list(range(6))


def test_web_metadata_lines_left_in_the_text():
    doc = make("发布机构: 白沙县青石镇 主题分类: 其他\n发布日期: 2024-01-08\n"
               "关于2023年度法治政府建设情况的报告\n一、主要工作\n依法行政扎实推进，普法和行政执法规范开展。")
    assert [p.kind for p in doc.paragraphs[:3]] == ["meta", "meta", "title"]
    assert doc.meta.body == "青石镇" and doc.meta.level == "township"
    assert doc.meta.date == "2024-01-08"


def test_page_debris_is_metadata_not_the_title():
    doc = make("您当前位置：首页 > 政务公开 > 法治政府建设年度报告\n"
               "今天是：2023年3月6日 星期一 农历二月十五\n"
               "某县人民政府关于2022年度法治政府建设情况的报告\n"
               "2022年，某县深入推进依法行政，全面建设法治政府。\n")
    assert [p.kind for p in doc.paragraphs[:3]] == ["meta", "meta", "title"]
    assert doc.meta.title == "某县人民政府关于2022年度法治政府建设情况的报告"
    assert doc.meta.year == 2022
