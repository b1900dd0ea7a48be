"""Structure stage, parts: which report part each heading and paragraph belongs to.

The passages below are written for these tests (no real report's text is copied).
"""
from __future__ import annotations

import pytest

from checker.structure import classify_heading
from structure_support import HEADED, assert_consistent, make, para, parts_of


# --- parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, year, part",
    [
        ("2021年法治政府建设工作开展情况", None, "achievements"),
        ("主要举措和成效", None, "achievements"),
        ("推进政府职能转变，优化法治化营商环境", None, "achievements"),
        ("解决问题情况", None, "achievements"),
        ("存在的不足和原因", None, "shortcomings"),
        ("法治政府建设存在的不足及原因", None, "shortcomings"),
        ("存在的主要问题", None, "shortcomings"),
        ("问题和不足", None, "shortcomings"),
        ("存在的困难", None, "shortcomings"),
        ("下一步工作打算", None, "plan"),
        ("2022年依法行政工作的总体要求和主要任务", 2021, "plan"),
        ("今后努力方向", None, "plan"),
        ("2024年推进依法行政的重点", 2023, "plan"),
        ("2023年推进依法行政的重点", 2023, "achievements"),
        ("其他需要报告的事项", None, "other"),
        ("其他工作", None, "achievements"),
        ("缩小城乡差距，推进基本公共服务均等化", None, "achievements"),
        ("存在的问题及下一步打算", None, "shortcomings"),
        ("落实年度普法计划", None, "achievements"),
        ("精心组织安排", None, "achievements"),
        ("2024年工作计划", None, "plan"),
    ],
)
def test_classify_heading(title, year, part):
    assert classify_heading(title, year) == part


def test_classify_heading_empty():
    assert classify_heading("") is None
    assert classify_heading("  ") is None


def test_plan_heading_named_only_by_a_later_year():
    doc = make("关于2023年度法治政府建设情况的报告\n一、主要工作\n依法行政全面推进，普法宣传和行政执法规范开展。"
               "\n二、2024年依法行政重点\n深化法律顾问和规范性文件审查工作。")
    assert parts_of(doc) == ["title", "achievements", "plan"]


def test_problem_solving_subheading_stays_in_achievements():
    doc = make(HEADED)
    assert para(doc, "（三）解决问题情况").part == "achievements"
    assert para(doc, "针对群众").part == "achievements"
    assert sum(1 for r in parts_of(doc) if r == "achievements") == 1


def test_report_without_headings_opens_parts_from_lead_sentences():
    doc = make(
        "城南街道2022年法治政府建设工作总结\n"
        "2022年，城南街道坚持依法行政，全面推进法治政府建设，规范性文件全部经过合法性审查。\n"
        "街道综合执法队落实行政执法三项制度，全年办理案件35件，法律顾问参与重大决策8次。\n"
        "但也要看到，工作中仍存在一些不足：普法宣传针对性不强，执法人员专业素质有待提高。\n"
        "下一步，街道将进一步加强执法队伍建设，深化普法宣传。\n"
    )
    assert_consistent(doc)
    assert doc.headings == ()
    assert parts_of(doc) == ["title", "achievements", "shortcomings", "plan"]
    assert doc.meta.year == 2022 and doc.meta.level == "township" and doc.meta.body == "城南街道"


def test_no_headings_other_lead_wordings():
    doc = make(
        "2022年，我局认真落实依法行政各项要求，推进行政执法公示和法律顾问制度，开展普法宣传20场。\n"
        "同时也清醒地看到，我局法治建设与上级要求相比还有差距。执法案卷质量有待提升。\n"
        "2023年，我们将重点抓好执法规范化建设和重大行政决策合法性审查。\n"
    )
    assert parts_of(doc) == ["achievements", "shortcomings", "plan"]
    doc = make(
        "2022年，我乡依法行政扎实推进，行政执法公示全面落实，各村均聘请法律顾问，普法宣传覆盖全乡。\n"
        "当然，我们也清醒地看到，我乡法治建设离群众期盼还有距离。究其原因，主要是人员不足。\n"
        "下一步，我乡将充实执法力量。\n"
    )
    assert parts_of(doc) == ["achievements", "shortcomings", "plan"]
    # a lead sentence that merely mentions problems does not open the shortcomings part
    doc = make(
        "2022年，我县推进依法行政，法治政府建设成效明显。\n"
        "针对存在的问题，我县及时整改，行政执法和普法工作进一步规范。\n"
    )
    assert parts_of(doc) == ["achievements"]


def test_unnumbered_part_titles_when_word_numbering_was_lost():
    doc = make(
        "白沙县人民政府关于2023年度法治政府建设情况的报告\n"
        "主要举措和成效\n全县行政执法三项制度全面落实，法律顾问覆盖率100%。\n普法宣传深入开展。\n"
        "存在的不足和原因\n基层执法力量薄弱，原因是编制不足。\n"
        "2024年度推进法治政府建设的主要安排\n深化行政执法改革，加强普法。\n"
    )
    assert parts_of(doc) == ["title", "achievements", "shortcomings", "plan"]


def test_depth2_headings_open_parts_when_there_is_no_depth1():
    doc = make("（一）主要工作\n依法行政扎实推进。\n（二）存在的问题\n普法宣传不够深入。\n（三）下一步打算\n继续加强执法规范化建设。")
    assert parts_of(doc) == ["achievements", "shortcomings", "plan"]
    # under a depth-1 heading a depth-2 problems heading does not start a part
    doc = make("一、主要工作\n（一）存在的问题整改情况\n依法整改。\n（二）其他工作\n正常开展。")
    assert parts_of(doc) == ["achievements"]


def test_combined_shortcomings_and_plan_section_is_split():
    doc = make("一、主要工作\n依法行政扎实推进。\n二、存在的问题及下一步打算\n（一）存在的问题\n执法力量不足。"
               "\n（二）下一步打算\n充实执法力量。")
    assert parts_of(doc) == ["achievements", "shortcomings", "plan"]
    assert para(doc, "执法力量不足").part == "shortcomings"
    assert para(doc, "充实执法力量").part == "plan"


def test_missing_plan_heading_found_from_an_unnumbered_lead_paragraph():
    doc = make("一、主要工作\n依法行政扎实推进。\n二、存在的问题\n执法力量不足。\n下一步，我县将充实执法力量，深化普法。")
    assert parts_of(doc) == ["achievements", "shortcomings", "plan"]
