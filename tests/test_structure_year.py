"""Structure stage, year: the year reported on and the signing date.

The passages below are written for these tests (no real report's text is copied).
"""
from __future__ import annotations

import pytest

from structure_support import HEADED, make


# --- year -------------------------------------------------------------------------------


def test_year_title_beats_written_date_and_signing_date():
    doc = make(HEADED)
    assert doc.meta.year == 2023


def test_year_ignores_outline_citations_ranges_and_document_numbers():
    doc = make(
        "我县认真贯彻《法治政府建设实施纲要（2021-2025年）》和县委〔2021〕5号文件，依法行政水平不断提升。\n"
        "一、2022年主要工作\n全面落实法治政府建设（2021—2025年）规划，普法和行政执法工作扎实开展。\n"
    )
    assert doc.meta.year == 2022
    assert "成效" in doc.meta.year_reason or "2022" in doc.meta.year_reason


def test_year_from_the_report_sentence_and_first_lead():
    doc = make("按照市委办〔2023〕3号文件要求，现将我区2022年度法治政府建设情况报告如下：\n一、主要工作\n依法行政。")
    assert doc.meta.year == 2022 and doc.meta.year_reason.startswith("开头")
    doc = make("2021年，我乡认真推进依法行政。\n一、主要工作\n普法宣传。")
    assert doc.meta.year == 2021


def test_year_from_plan_heading_minus_one():
    doc = make("一、主要工作\n依法行政扎实推进。\n二、存在问题\n普法不够深入。\n三、2024年工作计划\n继续推进。")
    assert doc.meta.year == 2023


def test_year_from_signing_date():
    early = make("一、主要工作\n依法行政扎实推进。\n特此报告。\n青石镇人民政府\n2023年2月10日")
    assert early.meta.year == 2022 and "落款" in early.meta.year_reason
    late = make("一、主要工作\n依法行政扎实推进。\n青石镇人民政府\n2023年12月10日")
    assert late.meta.year == 2023


def test_year_from_web_page_name():
    doc = make("一、主要工作\n依法行政扎实推进。", 名称="白沙县人民政府关于2022年度法治政府建设情况的报告")
    assert doc.meta.year == 2022
    assert doc.meta.title == "白沙县人民政府关于2022年度法治政府建设情况的报告"


# --- date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closing, iso",
    [
        ("2022年1月24日", "2022-01-24"),
        ("20231210", "2023-12-10"),
        ("2023-12-10", "2023-12-10"),
        ("二〇二四年二月五日", "2024-02-05"),
        ("（2022年3月1日）", "2022-03-01"),
    ],
)
def test_signing_date_formats(closing, iso):
    doc = make(f"一、主要工作\n依法行政扎实推进。\n特此报告。\n青石镇人民政府\n{closing}")
    assert doc.meta.date == iso
    assert doc.paragraphs[-1].kind == "closing"


def test_signing_line_with_year_and_month_only():
    doc = make("一、主要工作\n依法行政扎实推进。\n青石镇人民政府\n2024年1月")
    assert [p.kind for p in doc.paragraphs[-2:]] == ["closing", "closing"]
    assert doc.meta.date is None
    assert doc.meta.year == 2023 and doc.meta.body == "青石镇"


def test_date_from_web_page_fields():
    doc = make("一、主要工作\n依法行政扎实推进。", 发布日期="2023-12-10")
    assert doc.meta.date == "2023-12-10"
