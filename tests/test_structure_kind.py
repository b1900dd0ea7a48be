"""Structure stage, kind: is the text the annual report, and if not, what it looks like.

The passages below are written for these tests (no real report's text is copied).
"""
from __future__ import annotations

import pytest

from checker.structure import build, detect_meta
from structure_support import HEADED, make


# --- is_report --------------------------------------------------------------------------


def test_not_a_report():
    safety = make(
        "2023年安全生产工作总结\n"
        "2023年，我公司认真贯彻安全生产法，全年开展隐患排查12次，组织应急演练3次，开展安全生产法治宣传2次。\n"
        "一、主要工作\n落实安全生产责任制，未发生生产安全事故。\n"
        "二、下一步打算\n继续强化安全生产责任制，加强隐患排查治理。\n"
    )
    assert safety.meta.is_report is False
    assert safety.meta.report_reason
    notice = make(
        "白沙县政务服务中心办公设备采购项目公开招标公告\n"
        "一、项目名称：办公设备采购\n二、采购预算：50万元\n三、投标截止时间：2023年5月10日\n"
    )
    assert notice.meta.is_report is False
    assert make(HEADED).meta.is_report is True


def test_empty_text():
    doc = make("")
    assert doc.paragraphs == () and doc.headings == ()
    assert doc.meta.year is None and doc.meta.is_report is False


def test_detect_meta_is_reusable_on_built_paragraphs():
    doc = make(HEADED)
    again = detect_meta(doc.text, doc.paragraphs, doc.headings, {})
    assert again == doc.meta


@pytest.mark.parametrize(
    "title, is_report",
    [
        ("某县2023年普法依法治理工作总结", False),
        ("某县2023年政府工作报告", False),
        ("关于印发某县2024年法治宣传教育工作要点的通知", False),
        ("某县2023年度法治政府建设情况报告", True),
        ("关于2022年度依法行政工作情况的报告", True),
        ("关于印发《2023年全县法治建设工作要点》的通知", False),
        ("某县法治政府建设实施方案", False),
        ("某镇2023年法治政府建设工作总结和2024年工作计划", True),
    ],
)
def test_the_title_says_what_kind_of_document_it_is(title, is_report):
    from checker.model import Source

    body = (
        "2023年，我县坚持依法行政，深入推进法治政府建设。全面落实行政执法三项制度，聘请法律顾问，"
        "加强规范性文件合法性审核，办理行政复议案件12件，深入开展普法宣传。\n"
        "一、主要做法\n（一）落实谁执法谁普法责任制，开展以案释法活动。\n二、存在问题\n普法形式单一。\n"
        "三、下一步打算\n继续加强法治宣传教育。\n"
    )
    doc = build(Source(path="t.txt", text=title + "\n" + body, encoding="utf-8", sha256="0"))
    assert doc.meta.is_report is is_report, doc.meta.report_reason


def test_an_issuing_office_above_the_title_does_not_hide_the_kind():
    from checker.model import Source

    text = ("某县全面依法治县委员会办公室\n关于印发《2024年全县法治建设工作要点》的通知\n"
            "各乡镇党委和政府：现将《2024年全县法治建设工作要点》印发给你们，请认真贯彻落实。\n"
            "一、深入学习贯彻习近平法治思想。二、全面推进依法行政，落实行政执法三项制度，推进一村一法律顾问全覆盖。\n")
    doc = build(Source(path="t.txt", text=text, encoding="utf-8", sha256="0"))
    assert doc.meta.is_report is False
    assert "通知" in doc.meta.report_reason


# --- what else a text is: each says so, and only the title, opening or marks decide ------

_BODY = ("全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，聘请法律顾问，"
         "推进依法行政和法治政府建设，规范性文件全部经过合法性审核，行政复议案件依法办理。\n")


@pytest.mark.parametrize("text, kind", [
    ("在全县法治政府建设工作会议上的讲话\n同志们：\n今天我们召开会议，部署今年的法治政府建设工作。" + _BODY, "speech"),
    ("同志们：\n今天，我们在这里召开全区依法行政工作会议。" + _BODY, "speech"),
    ("5月9日，某区召开法治政府建设推进会，区政府副区长出席并讲话。" + _BODY + "记者：某某\n", "news"),
    ("近日，县司法局组织开展行政执法案卷评查。" + _BODY, "news"),
    ("为深入贯彻落实法治政府建设实施纲要，结合本地实际，制定本方案。\n一、总体要求\n" + _BODY, "plan"),
    ("关于某区2023年度法治政府建设情况报告的解读\n一、起草背景\n" + _BODY, "explainer"),
    ("20XX年XX镇法治政府建设工作总结\n20XX年，XX镇坚持依法行政。" + _BODY, "template"),
    ("2023卷\n【依法行政】 全区推进依法行政。" + _BODY + "【行政复议】 全年办理复议案件。\n", "yearbook"),
    ("各位代表：\n现在，我代表镇人民政府向大会报告工作。" + _BODY, "gov_work_report"),
    ("某县人民政府办公室2023年政府信息公开工作年度报告\n" + _BODY, "disclosure"),
    ("基层法治政府建设的困境与路径研究\n摘要：本文以若干县为样本。\n" + _BODY, "article"),
    ("某市中级人民法院关于2023年度行政审判工作情况的报告\n" + _BODY, "court"),
    ("某县司法局局长2023年度述法报告\n" + _BODY, "shufa"),
    ("关于2023年度法治政府建设考核结果的通报\n" + _BODY, "notice"),
])
def test_a_text_next_to_the_report_says_what_it_is(text, kind):
    meta = make(text).meta
    assert not meta.is_report
    assert meta.kind == kind, meta.kind_reason
    assert meta.kind_reason.startswith("这是一篇") and "不是法治政府建设年度报告" in meta.kind_reason


@pytest.mark.parametrize("heading", ["一、深入开展法治宣传教育活动", "一、认真落实年度普法工作要点",
                                     "一、组织召开依法治县委员会会议", "一、规范性文件管理办法"])
def test_a_heading_of_the_report_never_makes_it_another_kind(heading):
    text = ("2023年，某县坚持依法行政，全面推进法治政府建设。\n" + heading + "\n" + _BODY
            + "二、存在的问题\n基层执法力量不足。\n三、2024年工作打算\n继续推进法治政府建设。\n")
    meta = make(text).meta
    assert meta.is_report and meta.kind == "report", meta.kind_reason


def test_a_report_without_a_title_reads_as_the_report():
    meta = make("2023年，县人民政府坚持以习近平法治思想为指导，深入推进依法行政。\n一、主要工作\n" + _BODY).meta
    assert meta.is_report and meta.kind == "report"


def test_a_breadcrumb_is_never_the_title():
    doc = make("首页→ 通知公告\n某县人民政府关于2023年度法治政府建设情况的报告\n2023年，某县深入推进依法行政。\n" + _BODY)
    assert doc.meta.is_report, doc.meta.kind_reason
    assert doc.paragraphs[0].kind == "meta"


def test_a_text_that_is_not_the_report_gets_no_covered_or_partial_verdict(auditor):
    from conftest import make_source

    rep = auditor.audit_source(make_source("同志们：\n今天召开全市法治政府建设工作会议。" + _BODY * 3))
    assert not rep.is_report and rep.kind == "speech"
    assert any("这是一篇讲话稿" in n for n in rep.notes)
    assert all(r.status in ("missing", "not_applicable") for r in rep.results)
    data = rep.to_json()
    assert data["kind"] == "speech" and data["meta"]["kind_reason"].startswith("这是一篇讲话稿")


def test_a_sector_summary_is_not_the_report_but_a_bureau_report_opening_on_its_sector_is():
    summary = make("2023年，全市交通运输系统坚持稳中求进。\n一、行业发展稳步推进\n" + _BODY + "二、队伍建设不断加强\n" + _BODY).meta
    assert summary.kind == "summary", summary.kind_reason
    report = make("2023年，全市交通运输系统在市委、市政府的领导下推进依法行政。\n"
                  "一、2023年推进法治政府建设的主要举措和成效\n我局" + _BODY).meta
    assert report.is_report, report.kind_reason


def test_a_guideline_is_not_the_report():
    meta = make("为规范法治政府建设年度报告工作，根据有关规定，制定本工作指引。\n一、报告主体\n" + _BODY).meta
    assert (meta.is_report, meta.kind) == (False, "rules"), meta.kind_reason
