"""Structure stage, body and level: who wrote the report and at what level.

The passages below are written for these tests (no real report's text is copied).
"""
from __future__ import annotations

import pytest

from checker.structure import build, level_from_name
from structure_support import make


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


# --- with the national gazetteer ----------------------------------------------------------

from checker.structure import gazetteer  # noqa: E402

needs_gazetteer = pytest.mark.skipif(not gazetteer.available(), reason="the division table package is not installed")
_WORK = "全面落实行政执法三项制度，聘请法律顾问，推进依法行政，规范性文件全部经过合法性审核。\n"


@needs_gazetteer
@pytest.mark.parametrize("opening, body, level", [
    ("2023年，昆山市坚持依法行政。", "昆山市", "county"),                 # a county-level city
    ("2023年，绵阳市坚持依法行政。", "绵阳市", "city"),                   # a districted city
    ("2023年，浦东新区坚持依法行政。", "浦东新区", "county"),             # a municipality's district
    ("2023年，阿荣旗坚持依法行政。", "阿荣旗", "county"),
    ("2023年，在区委、区政府的正确领导下，余杭区司法局以习近平法治思想为指导，", "余杭区司法局", "department"),
    ("2022年，教育部坚持以习近平新时代中国特色社会主义思想为指导，", "教育部", "department"),
])
def test_the_first_sentence_names_the_body(opening, body, level):
    meta = make(opening + "全面推进法治政府建设。\n一、主要工作\n" + _WORK).meta
    assert (meta.body, meta.level) == (body, level), meta.level_reason


@needs_gazetteer
def test_a_department_named_alone_gets_the_province_it_works_for():
    text = ("2022年，司法厅坚持以习近平法治思想为指导，推进法治浙江建设。\n一、主要工作\n"
            "厅党组专题研究法治浙江建设，推动浙江法治政府建设示范创建。" + _WORK)
    meta = make(text).meta
    assert (meta.body, meta.level) == ("浙江省司法厅", "department")
    assert meta.place == {"province": "浙江省"}


@needs_gazetteer
def test_place_and_division_code():
    meta = make("临平街道2023年法治政府建设情况报告\n2023年，临平街道深入推进依法行政。\n" + _WORK).meta
    assert (meta.body, meta.level) == ("临平街道", "township")
    assert meta.place == {"county": "临平区", "city": "杭州市", "province": "浙江省"}
    assert meta.division_code and meta.division_code.startswith("3301")


@needs_gazetteer
def test_the_addressee_is_not_the_sender():
    text = ("昆山市委、市政府：\n2023年，在市委、市政府的正确领导下，周庄镇坚持依法行政，全面推进法治政府建设。\n"
            "一、主要工作\n" + _WORK + "我镇法律顾问实现全覆盖，全镇村（社区）普法阵地全部建成。\n")
    meta = make(text).meta
    assert (meta.body, meta.level) == ("周庄镇", "township"), meta.level_reason
    assert meta.place.get("county") == "昆山市"


@needs_gazetteer
def test_a_place_cut_out_of_ordinary_words_is_not_the_body():
    text = ("2023年法治政府建设情况报告\n2023年，我区坚持依法行政，全区法治政府建设取得新进展。\n一、主要工作\n" + _WORK
            + "全区行政执法人员全部持证上岗。\n特此报告。\n深入推进市\n2024年1月10日\n")
    meta = make(text).meta
    assert meta.body != "深入推进市"
    assert meta.level == "county", meta.level_reason


@needs_gazetteer
@pytest.mark.parametrize("opening, level", [
    ("2023年，县人民政府坚持依法行政，", "county"),
    ("2023年，自治区人民政府坚持依法行政，", "province"),
    ("2023年，街道按照区委、区政府部署，", "township"),
])
def test_with_no_name_the_level_comes_from_how_the_text_names_itself(opening, level):
    meta = make(opening + "全面推进法治政府建设。\n一、主要工作\n" + _WORK).meta
    assert meta.level == level, meta.level_reason


@pytest.mark.parametrize("text", [
    "2023年，在区委、区政府的正确领导下，坚持依法行政。\n一、主要工作\n局党委专题研究法治工作，局党组书记带头学法。" + _WORK,
    "关于2023年度法治政府建设情况的报告\n一、健全教育系统法治建设\n全区教育系统开展法治培训，教育系统干部全员参训，"
    "区教育系统和教委机关重大事项经合法性审核。" + _WORK + "全区学校法治副校长全覆盖。\n",
])
def test_a_department_that_does_not_name_itself_is_still_a_department(text):
    meta = make(text).meta
    assert meta.level == "department", meta.level_reason


@pytest.mark.parametrize("text, level", [
    ("根据有关规定，现将县政府2023年度法治政府建设情况报告如下。\n一、主要工作\n" + _WORK, "county"),
    ("一、主要工作\n镇长切实履行推进法治建设第一责任人职责，专题研究法治工作。\n" + _WORK, "township"),
])
def test_the_level_from_the_government_speaking_of_itself(text, level):
    meta = make(text).meta
    assert meta.level == level, meta.level_reason


@needs_gazetteer
def test_a_shared_township_name_keeps_its_level_without_a_guessed_code():
    meta = make("周庄镇2023年法治政府建设情况报告\n2023年，周庄镇深入推进依法行政。\n" + _WORK).meta
    assert (meta.body, meta.level) == ("周庄镇", "township")
    assert meta.division_code is None and meta.place == {}
