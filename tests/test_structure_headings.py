"""Structure stage, headings: markers, depths, section paths.

The passages below are written for these tests (no real report's text is copied).
"""
from __future__ import annotations

import pytest

from structure_support import HEADED, make, para


def test_section_paths_follow_marker_rank():
    doc = make(HEADED)
    top = "一、2023年度推进法治政府建设的主要举措和成效"
    assert para(doc, "抽查案卷").section == (top, "（二）规范行政执法", "1．完善执法程序", "（1）开展案卷评查")
    assert para(doc, "针对群众").section == (top, "（三）解决问题情况")
    assert para(doc, "下一步").section == ("三、2024年工作安排",)
    assert doc.paragraphs[0].section == ()
    assert para(doc, "县委、县政府").section == ()
    depths = [(h.depth, h.marker) for h in doc.headings]
    assert depths == [(1, "一、"), (2, "（一）"), (2, "（二）"), (3, "1．"), (4, "（1）"), (2, "（三）"),
                      (1, "二、"), (1, "三、")]


def test_skipped_levels_build_the_path_by_rank():
    doc = make("一、主要工作\n1.健全制度\n制度内容。\n2.强化执法\n执法内容。\n（1）培训\n培训内容。\n二、存在问题\n问题内容。")
    assert para(doc, "执法内容").section == ("一、主要工作", "2.强化执法")
    assert para(doc, "培训内容").section == ("一、主要工作", "2.强化执法", "（1）培训")
    assert para(doc, "问题内容").section == ("二、存在问题",)


@pytest.mark.parametrize(
    "line, depth, marker, title",
    [
        ("一、加强组织领导", 1, "一、", "加强组织领导"),
        ("十一、其他工作", 1, "十一、", "其他工作"),
        ("二．规范执法行为", 1, "二．", "规范执法行为"),
        ("三.深化普法宣传", 1, "三.", "深化普法宣传"),
        ("（一）健全制度", 2, "（一）", "健全制度"),
        ("(二)强化监督", 2, "(二)", "强化监督"),
        ("1.完善决策机制", 3, "1.", "完善决策机制"),
        ("2、推进政务公开", 3, "2、", "推进政务公开"),
        ("3．加强队伍建设", 3, "3．", "加强队伍建设"),
        ("（1）开展培训", 4, "（1）", "开展培训"),
        ("(2)组织考试", 4, "(2)", "组织考试"),
    ],
)
def test_heading_styles(line, depth, marker, title):
    doc = make(line + "\n正文内容。")
    h = doc.paragraphs[0].heading
    assert h is not None and (h.depth, h.marker, h.title) == (depth, marker, title)
    assert doc.paragraphs[0].kind == "heading"


@pytest.mark.parametrize(
    "line",
    [
        "1.5公里的法治步道已经建成。",
        "2023年，我县组织普法活动12场。",
        "3.15期间开展消费者权益保护宣传。",
        "12.4国家宪法日开展集中宣传。",
        "1、2、3号楼已完成整治。",
        "一、二级网格员全部到位。",
        "一是加强学习；二是强化培训。",
    ],
)
def test_not_headings(line):
    doc = make("一、主要工作\n" + line)
    assert doc.paragraphs[1].heading is None
    assert doc.paragraphs[1].kind == "body"


def test_inline_heading_and_body_in_one_line():
    doc = make(HEADED)
    p = para(doc, "（一）压实")
    h = p.heading
    assert h.title == "压实第一责任人职责"
    assert doc.text[h.start:h.end] == "（一）压实第一责任人职责。"
    assert p.sentences[0].text == "（一）压实第一责任人职责。"
    assert p.sentences[1].text.startswith("镇党委书记")
    assert p.sentences[1].start >= h.end
    # a marker in the middle of a paragraph is not a heading
    doc = make("一、主要工作\n全镇开展普法活动。（二）加强执法，全年检查30次。")
    assert doc.paragraphs[1].heading is None
    assert len(doc.headings) == 1
