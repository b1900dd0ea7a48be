"""The four elements users name first, and the report's required parts, on short
passages written for these tests: each rule's covered / partial / missing boundary."""
from __future__ import annotations

import pytest

from checker.pipeline import Options

from conftest import make_source


def report(achievements: str = "", shortcomings: str | None = "", plan: str | None = "", level="county") -> str:
    """A small complete report; pass None to leave a part out."""
    parts = [
        "青禾县人民政府关于2023年度法治政府建设情况的报告",
        "市委、市政府：",
        "2023年，我县深入推进法治政府建设，现将有关情况报告如下。",
        "一、2023年法治政府建设主要举措和成效",
        "（一）依法全面履行政府职能。全县深化“放管服”改革，政务服务事项全部进驻政务服务中心，"
        "办理时限压缩一半以上，企业和群众办事更加便利，法治化营商环境持续优化。全年清理涉企收费项目9项，"
        "开展公平竞争审查42件，为市场主体减负2300余万元。",
        "（二）健全依法行政制度体系。严格行政规范性文件合法性审核，全年审核县政府及部门文件36件，"
        "提出修改意见58条，按规定报送备案，做到有件必备、有备必审、有错必纠。组织开展规范性文件集中清理，"
        "废止5件、修改3件，并向社会公布现行有效文件目录。",
        "（三）提升依法行政能力。县政府常务会议会前学法12次，组织新提任领导干部任前法律知识考试4场，"
        "全县国家工作人员网上学法考试参考率100%，行政执法人员年度培训不少于60学时。",
        "（四）重点工作。" + (achievements or "全县依法行政水平稳步提升。"),
    ]
    if shortcomings is not None:
        parts += ["二、存在的不足和原因", shortcomings or "一是普法宣传针对性不强；二是基层执法力量薄弱。"]
    if plan is not None:
        parts += ["三、2024年工作安排", plan or "2024年，我县将继续深化行政执法体制改革，推进严格规范公正文明执法，加强法治宣传教育，提升基层依法治理水平。"]
    parts += ["青禾县人民政府", "2024年2月20日"]
    return "\n".join(parts) + "\n"


def status(auditor, text: str, rule_id: str, level: str | None = None):
    rep = auditor.audit_source(make_source(text), Options(level=level))
    res = {r.id: r for r in rep.results}[rule_id]
    return res


# --- first-responsible-duty ---------------------------------------------------------------


@pytest.mark.parametrize(
    "passage",
    [
        "县委书记、县长先后4次主持召开专题会议，研究部署法治政府建设重点任务。",
        "县政府常务会议全年3次专题听取法治政府建设工作汇报，研究解决执法保障问题。",
        "党政主要负责同志对法治建设重要工作亲自部署、重大问题亲自过问。",
        "年底，各乡镇党政主要负责人在县委全面依法治县委员会会议上现场述法。",
    ],
)
def test_leaders_own_actions_cover_the_duty(auditor, passage):
    res = status(auditor, report(passage), "first-responsible-duty")
    assert res.status == "covered", res
    assert res.evidence and res.evidence[0].part == "achievements"


def test_a_bare_statement_of_the_duty_is_partial(auditor):
    res = status(auditor, report("我县认真落实党政主要负责人履行推进法治建设第一责任人职责。"), "first-responsible-duty")
    assert res.status == "partial"
    assert res.hint


def test_citing_the_regulation_by_title_is_not_the_duty(auditor):
    text = report("组织干部学习《党政主要负责人履行推进法治建设第一责任人职责规定》等党内法规。")
    assert status(auditor, text, "first-responsible-duty").status == "missing"


@pytest.mark.parametrize(
    "passage",
    [
        "县政府常务会议审议《关于全面推进依法行政的若干措施》，明确分工和完成时限。",
        "镇党委书记组织党委理论学习中心组集体学法6次。",
    ],
)
def test_a_meeting_on_a_rule_of_law_document_or_leading_study_covers_the_duty(auditor, passage):
    assert status(auditor, report(passage), "first-responsible-duty").status == "covered"


@pytest.mark.parametrize(
    "passage",
    [
        # the leader named inside the duty being "implemented" is a commitment, not someone acting
        "乡党委、政府认真落实党政主要负责人履行推进法治建设第一责任人职责，多次研究部署法治工作。",
        # the leaders as heads of a leading group: its composition, not their deeds
        "严格履行第一责任人职责，成立以县委书记、县长为双组长的法治建设领导小组，统筹协调全县法治建设工作。",
        # a meeting named after the leader (县长办公会议) is the meeting, not the leader acting
        "认真履行第一责任人职责，县长办公会议前组织学法8次，重大事项经合法性审查后提交县长办公会议审议。",
    ],
)
def test_a_commitment_or_a_leading_group_is_not_the_leaders_deed(auditor, passage):
    assert status(auditor, report(passage), "first-responsible-duty").status == "partial"


def test_duty_only_in_next_year_plan_is_partial_with_a_note(auditor):
    text = report(plan="2024年，县委书记、县长将每季度主持召开会议专题研究法治政府建设。")
    res = status(auditor, text, "first-responsible-duty")
    assert res.status == "partial"
    assert any("计划" in n for n in res.notes)


# --- three-systems ------------------------------------------------------------------------


def test_all_three_systems_named_cover(auditor):
    text = report("全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度，全年公示执法信息1200余条。")
    res = status(auditor, text, "three-systems")
    assert res.status == "covered" and res.score >= 80


def test_paraphrased_three_systems_cover(auditor):
    text = report(
        "县司法局在政府网站开设行政执法公示专栏，执法过程全程留痕，"
        "重大行政执法决定一律经过法治审核后作出。"
    )
    assert status(auditor, text, "three-systems").status == "covered"


def test_umbrella_term_with_what_was_done_covers(auditor):
    text = report("组织开展行政执法“三项制度”落实情况专项检查，评查执法案卷60余件。")
    assert status(auditor, text, "three-systems").status == "covered"


def test_umbrella_term_in_a_document_the_county_drew_up_with_what_was_done_covers(auditor):
    text = report("制定《本县行政执法“三项制度”落实情况考评办法》，组织对全县31个执法单位开展专项检查。")
    assert status(auditor, text, "three-systems").status == "covered"


def test_three_systems_in_unusual_words_cover(auditor):
    text = report(
        "行政处罚结果等执法信息在门户网站亮晒，现场检查和案件办理执法全程可回溯，"
        "重大行政处罚决定作出前须经局法制机构审查。"
    )
    assert status(auditor, text, "three-systems").status == "covered"


@pytest.mark.parametrize(
    "passage",
    ["严格落实重大执法决定法制审核制度，全年审核35件。", "为执法人员配备执法记录仪42台，推行执法全过程记录。"],
)
def test_one_of_three_is_partial(auditor, passage):
    assert status(auditor, report(passage), "three-systems").status == "partial"


def test_publicising_a_list_of_names_is_not_enforcement_disclosure(auditor):
    text = report("对拟推荐的法治建设先进个人名单在政务公开栏进行了公示。")
    assert status(auditor, text, "three-systems").status == "missing"


def test_no_enforcement_systems_is_missing(auditor):
    assert status(auditor, report(), "three-systems").status == "missing"


# --- legal-adviser-coverage ---------------------------------------------------------------


@pytest.mark.parametrize(
    "passage",
    [
        "全县156个村（社区）均聘请了法律顾问，实现一村（社区）一法律顾问全覆盖。",
        "县政府及27个县直部门法律顾问覆盖率100%，全年参与审查重大决策12件。",
        "推进乡镇法律顾问聘用，实现一村一顾问。",
        "全县每个行政村都配备了1名法律顾问，全年提供法律咨询2100余次。",
        "乡镇（街道）和村（社区）法律顾问聘请率达到100%。",
    ],
)
def test_advisers_with_coverage_cover(auditor, passage):
    assert status(auditor, report(passage), "legal-adviser-coverage").status == "covered"


@pytest.mark.parametrize(
    "passage",
    [
        "为辖区9个村配备了驻村法律顾问，全年开展法治讲座20场。",
        "全旗12个嘎查均聘请了法律顾问。",
        "法律顾问服务对全乡各村全面覆盖。",
    ],
)
def test_advisers_for_every_unit_of_the_area_cover(auditor, passage):
    assert status(auditor, report(passage), "legal-adviser-coverage").status == "covered"


def test_advisers_for_some_villages_are_not_coverage(auditor):
    text = report("司法所为3个村聘请了法律顾问。")
    assert status(auditor, text, "legal-adviser-coverage").status == "partial"


def test_advisers_without_coverage_are_partial(auditor):
    text = report("县政府聘请律师事务所担任常年法律顾问，为重大决策提供法律意见。")
    res = status(auditor, text, "legal-adviser-coverage")
    assert res.status == "partial"
    assert "覆盖" in res.hint


def test_legal_services_coverage_without_advisers_is_missing(auditor):
    text = report("全县公共法律服务实体平台实现全覆盖，全年接待群众咨询3000余人次。")
    assert status(auditor, text, "legal-adviser-coverage").status == "missing"


# --- shortcomings-section -----------------------------------------------------------------


def test_problems_with_causes_cover(auditor):
    text = report(
        shortcomings="一是部分干部法治意识不强；二是基层执法力量薄弱。究其原因，主要是学法制度落实不到位，"
        "执法人员编制不足。"
    )
    res = status(auditor, text, "shortcomings-section")
    assert res.status == "covered"
    assert any("原因" in e.text for e in res.evidence)


def test_causes_written_as_subjective_and_objective_factors_cover(auditor):
    text = report(
        shortcomings="一是执法人员专业素质不高；二是规范性文件备案不够及时。这些问题的产生，"
        "既有基层执法力量薄弱的客观因素，也有部分干部重视不够的主观因素。"
    )
    assert status(auditor, text, "shortcomings-section").status == "covered"


@pytest.mark.parametrize(
    "analysis",
    [
        "上述问题的出现，主要在于基层法治工作力量与任务不匹配。",
        "归根结底，是部分干部对法治建设重视不够。",
        "深入分析，这些问题的根子在于部分领导干部法治观念不强。",
        "分析其成因，主要是执法人员编制长期不足。",
    ],
)
def test_causes_without_the_word_yuanyin_cover(auditor, analysis):
    text = report(shortcomings="一是执法人员专业素质不高；二是普法形式单一。" + analysis)
    assert status(auditor, text, "shortcomings-section").status == "covered"


def test_main_problems_lie_in_is_a_list_not_a_cause(auditor):
    text = report(shortcomings="主要问题在于：一是普法形式单一；二是执法力量不足。")
    assert status(auditor, text, "shortcomings-section").status == "partial"


def test_a_one_sentence_plan_is_still_the_part(auditor):
    text = report(plan="2024年，我县将继续深入推进法治政府建设。")
    assert status(auditor, text, "next-year-plan").status == "covered"


def test_problems_only_are_partial_even_under_a_heading_naming_causes(auditor):
    text = report(shortcomings="一是普法形式单一；二是执法人员专业化水平不高；三是法治经费保障不足。")
    assert "原因" in text  # the heading says 不足和原因 …
    res = status(auditor, text, "shortcomings-section")
    assert res.status == "partial"  # … but nothing in the body analyses a cause


def test_no_shortcomings_section_is_missing(auditor):
    assert status(auditor, report(shortcomings=None), "shortcomings-section").status == "missing"


# --- achievements / next-year plan --------------------------------------------------------


def test_required_parts_present_and_absent(auditor):
    full = report("全县行政复议案件全部依法审结。")
    assert status(auditor, full, "achievements-section").status == "covered"
    assert status(auditor, full, "next-year-plan").status == "covered"
    assert status(auditor, report(plan=None), "next-year-plan").status == "missing"


def test_a_plan_made_of_sub_headings_counts_as_content(auditor):
    plan = "\n".join([
        "（一）深化行政执法体制改革，推动执法力量向基层下沉。",
        "（二）加强行政规范性文件合法性审核，确保文件合法有效。",
        "（三）健全矛盾纠纷多元化解机制，提升调解成功率。",
    ])
    assert status(auditor, report(plan=plan), "next-year-plan").status == "covered"


def test_exit_status_follows_error_level_rules(auditor):
    complete = report(
        "县长主持召开县政府常务会议专题研究法治政府建设。全面推行行政执法公示、执法全过程记录、"
        "重大执法决定法制审核制度。全县120个村均聘请了法律顾问。",
        shortcomings="一是执法力量不足。究其原因，主要是编制紧张。",
    )
    named = Options(select=["first-responsible-duty", "three-systems", "legal-adviser-coverage",
                            "shortcomings-section", "achievements-section", "next-year-plan"])
    good = auditor.audit_source(make_source(complete), named)
    assert good.summary.exit_status == 0, [(r.id, r.status) for r in good.results if r.severity == "error"]
    bad = auditor.audit_source(make_source(report()), named)
    assert bad.summary.exit_status == 1
    assert bad.summary.errors_failing >= 3


# --- which sentence is quoted first ---------------------------------------------------------


def test_duty_quotes_the_leaders_meeting_not_the_recital(auditor):
    text = report(achievements="认真贯彻落实第一责任人职责规定，形成主要领导亲自抓、分管领导具体抓的工作格局。"
                               "县长主持召开政府常务会议3次，专题研究法治政府建设工作。")
    res = status(auditor, text, "first-responsible-duty")
    assert res.status == "covered"
    assert res.evidence[0].text.startswith("县长主持召开政府常务会议3次")
    assert res.evidence[0].kind == "deed"


def test_duty_recited_only_is_partial_with_a_slogan_or_duty_quote(auditor):
    text = report(achievements="主要领导对法治建设重要工作亲自部署、重大问题亲自过问、重要任务亲自督办。")
    res = status(auditor, text, "first-responsible-duty")
    assert res.status == "partial"
    assert res.evidence[0].kind == "slogan"


def test_three_systems_quotes_the_deed_not_the_plan(auditor):
    text = report(achievements="全县行政执法部门全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度，"
                               "全年公示执法信息860条。",
                  plan="2024年，我县将继续落实行政执法三项制度。")
    res = status(auditor, text, "three-systems")
    assert res.status == "covered" and not res.notes
    assert res.evidence[0].part == "achievements" and "860条" in res.evidence[0].text
