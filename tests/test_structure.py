"""Structure stage: paragraphs, headings, sections, sentences, parts and meta.

The report passages below are written for these tests (no seed text is copied). The seed
tests at the end run on ../shared/seeds when that folder exists and are driven by the
hand labels in ../shared/eval/seed-labels.yaml.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from checker.model import LEVELS, PARTS, Document, Source
from checker.structure import build, classify_heading, detect_meta, level_from_name, split_sentences

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
LABELS = SHARED / "eval" / "seed-labels.yaml"


def make(text: str, **fields: str) -> Document:
    return build(Source(path="x.txt", text=text, encoding="utf-8", sha256="0", fields=dict(fields)))


def assert_consistent(doc: Document) -> None:
    assert doc.text == doc.source.text
    index = 0
    last_end = 0
    for k, p in enumerate(doc.paragraphs):
        assert p.index == k
        assert doc.text[p.start:p.end] == p.text
        assert p.text == p.text.strip()
        assert p.start >= last_end
        last_end = p.end
        assert p.part in PARTS
        for s in p.sentences:
            assert s.index == index
            index += 1
            assert doc.text[s.start:s.end] == s.text
            assert p.start <= s.start < s.end <= p.end
        if p.heading is not None:
            assert p.kind == "heading"
            assert p.heading.paragraph == k
            assert p.heading.start == p.start and p.heading.end <= p.end
    for h in doc.headings:
        assert doc.paragraphs[h.paragraph].heading == h
    assert doc.meta.level in LEVELS + (None,)


def parts_of(doc: Document) -> list[str]:
    """The report's parts in order, one entry per run of paragraphs."""
    runs: list[str] = []
    for p in doc.paragraphs:
        if not runs or runs[-1] != p.part:
            runs.append(p.part)
    return runs


def para(doc: Document, startswith: str):
    found = [p for p in doc.paragraphs if p.text.startswith(startswith)]
    assert found, startswith
    return found[0]


HEADED = """青石镇人民政府关于2023年度法治政府建设情况的报告
县委、县政府：
2023年，青石镇在县委、县政府的领导下，深入推进依法行政，法治政府建设取得新进展。现将有关情况报告如下：
一、2023年度推进法治政府建设的主要举措和成效
（一）压实第一责任人职责。镇党委书记、镇长认真履行推进法治建设第一责任人职责，全年专题研究法治工作4次。我镇将法治建设纳入年度考核。
（二）规范行政执法
1．完善执法程序
全镇执法人员全部持证上岗，落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。
（1）开展案卷评查
抽查案卷20件，发现问题3个，已全部整改。
（三）解决问题情况
针对群众反映的停车难问题，我镇依法完善了小区管理规约，并聘请法律顾问提供咨询。
二、存在的不足和原因
一是普法形式较为单一；二是执法力量不足。原因主要是基层法治人才缺乏。
三、2024年工作安排
下一步，我镇将继续推进法律顾问全覆盖，深化普法宣传和行政复议应诉工作。
特此报告。
青石镇人民政府
2024年1月15日
"""


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


# --- body and level ---------------------------------------------------------------------


def test_level_district_inside_an_autonomous_region_is_county():
    doc = make(
        "2022年沙湖区认真落实自治区、市关于法治政府建设的工作部署，全区依法行政水平不断提高。\n"
        "一、全面推进依法行政\n自治区党委依法治区委员会会议精神得到落实，我区行政执法三项制度全面推行，沙湖区法律顾问实现全覆盖。\n"
    )
    assert doc.meta.body == "沙湖区"
    assert doc.meta.level == "county"
    assert "区" in doc.meta.level_reason


def test_level_department_report():
    doc = make(
        "清河县司法局关于2023年度法治政府建设工作情况的报告\n"
        "2023年，我局在县委、县政府的领导下，全面推进依法行政，指导全县普法和行政复议工作。\n"
        "一、主要工作\n我局落实行政执法公示制度，全县法律顾问覆盖率达到100%。\n"
    )
    assert doc.meta.level == "department"
    assert doc.meta.body == "清河县司法局"


def test_level_districted_city():
    doc = make(
        "临江市人民政府关于2023年法治政府建设情况的报告\n"
        "省委、省政府：\n"
        "2023年，全市依法行政扎实推进。市政府制定政府规章2部，指导各县（市、区）规范行政执法。\n"
        "一、主要工作\n全市法律顾问制度全面落实，各县（市、区）普法工作有序开展。\n"
    )
    assert doc.meta.level == "city"
    assert doc.meta.body == "临江市"


def test_level_county_level_city():
    doc = make(
        "云溪市人民政府关于2023年法治政府建设情况的报告\n"
        "中共东州市委、东州市人民政府：\n"
        "2023年，我市各乡镇（街道）依法行政水平不断提升，在东州市各县（市、区）考核中名列前茅。\n"
        "一、主要工作\n行政执法三项制度全面落实，全市9个镇、2个街道均配备法律顾问。\n"
    )
    assert doc.meta.level == "county"
    assert "东州市" in doc.meta.level_reason


def test_level_province_and_township_by_name():
    doc = make("广西壮族自治区人民政府关于2023年法治政府建设情况的报告\n一、主要工作\n全区依法行政扎实推进。")
    assert doc.meta.level == "province"
    doc = make("城东街道办事处关于2023年法治政府建设情况的报告\n一、主要工作\n依法行政。")
    assert (doc.meta.level, doc.meta.body) == ("township", "城东街道")


def test_level_department_without_a_title():
    doc = make(
        "2023年，在县委、县政府的领导下，我局坚持依法行政，全县普法工作扎实推进。\n"
        "一、主要工作\n我局落实行政执法公示制度，白沙县法律顾问全覆盖。白沙县各乡镇普法到位。全县执法规范。\n"
        "二、存在问题\n我局执法人员不足。\n"
    )
    assert doc.meta.level == "department"
    assert "我局" in doc.meta.level_reason


def test_level_from_self_references_and_addressees():
    doc = make("2023年，我镇推进依法行政。全镇各村（社区）均聘请法律顾问。我镇普法宣传深入开展。\n一、主要工作\n依法行政。")
    assert doc.meta.level == "township"
    assert "我镇" in doc.meta.level_reason
    doc = make("区委、区政府：\n现将有关情况报告如下：\n一、主要工作\n依法行政扎实推进。")
    assert doc.meta.level == "township"
    assert "区委" in doc.meta.level_reason


@pytest.mark.parametrize(
    "name, level",
    [
        ("许家镇", "township"),
        ("城东街道办事处", "township"),
        ("白沙乡人民政府", "township"),
        ("弋水县", "county"),
        ("临河区", "county"),
        ("阿拉善左旗", "county"),
        ("内蒙古自治区", "province"),
        ("江南省人民政府", "province"),
        ("上海市", "province"),
        ("湘西土家族苗族自治州", "city"),
        ("锡林郭勒盟行政公署", "city"),
        ("临江市", "city"),
        ("清河县司法局", "department"),
        ("临江市发展和改革委员会", "department"),
        ("清河县人民政府办公室", "department"),
        ("中共清河县委员会", "county"),
        ("", None),
        ("工作情况", None),
    ],
)
def test_level_from_name(name, level):
    assert level_from_name(name) == level


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


def test_web_metadata_lines_left_in_the_text():
    doc = make("发布机构: 白沙县青石镇 主题分类: 其他\n发布日期: 2024-01-08\n"
               "关于2023年度法治政府建设情况的报告\n一、主要工作\n依法行政扎实推进，普法和行政执法规范开展。")
    assert [p.kind for p in doc.paragraphs[:3]] == ["meta", "meta", "title"]
    assert doc.meta.body == "青石镇" and doc.meta.level == "township"
    assert doc.meta.date == "2024-01-08"


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


# --- seeds ------------------------------------------------------------------------------

_PINYIN = re.compile(r"[(（][a-zA-Z\u00c0-\u024f\u0300-\u036f]{1,8}[)）]")


def _read_seed(path: Path) -> Source:
    try:
        from checker.ingest import read
    except ImportError:  # ingest not there yet: decode, drop pinyin, convert to simplified
        read = None
    if read is not None:
        return read(path)
    import opencc

    text = _PINYIN.sub("", path.read_text(encoding="utf-8"))
    text = opencc.OpenCC("t2s").convert(text)
    return Source(path=str(path), text=text, encoding="utf-8", sha256="0")


def _seed_labels() -> dict:
    if not (LABELS.is_file() and SEEDS.is_dir()):
        return {}
    return yaml.safe_load(LABELS.read_text(encoding="utf-8")) or {}


_LABELS = _seed_labels()
_SEED_PARAMS = sorted(_LABELS) or [pytest.param(None, marks=pytest.mark.skip(reason="../shared/seeds is not present"))]


@pytest.mark.seeds
@pytest.mark.parametrize("name", _SEED_PARAMS)
def test_seed(name):
    label = _LABELS[name]
    source = _read_seed(SEEDS / name)
    doc = build(source)
    assert_consistent(doc)
    meta = doc.meta
    assert meta.level == label["meta"]["level"], meta.level_reason
    assert meta.year == label["meta"]["year"], meta.year_reason
    assert meta.is_report, meta.report_reason
    assert meta.body
    runs = parts_of(doc)
    assert runs.count("achievements") == 1, runs
    rules = label.get("rules", {})
    assert doc.part_present("shortcomings") == (rules.get("shortcomings-section") != "missing"), runs
    assert doc.part_present("plan") == (rules.get("next-year-plan") != "missing"), runs


def test_a_news_outlet_named_as_the_page_source_is_not_the_reporting_body():
    from checker.model import Source

    text = (
        "某县举办2024年度领导干部法治专题培训班\n"
        "6月12日至14日，某县2024年度领导干部法治专题培训班在县委党校举办。全县各乡镇（街道）党政主要负责人参加培训。\n"
        "培训期间，县司法局负责同志解读了行政复议法，县法院法官讲解了行政诉讼中行政机关败诉的常见情形。\n"
    )
    doc = build(Source(path="n.txt", text=text, encoding="utf-8", sha256="0", fields={"来源": "某县融媒体中心"}))
    assert doc.meta.body != "某县融媒体中心"
    assert doc.meta.level != "department"


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
