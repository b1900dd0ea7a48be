"""Which sentence a shipped rule quotes first, on short reports written here: the best
deed of the report year, not a passing mention, a list item, an aim or a budget line.
And, as a property over generated texts, the highlighted words lie inside the quote."""
from __future__ import annotations

import random
import textwrap

import pytest

from checker import match, structure
from checker.rules import cached_registry

from conftest import make_source


@pytest.fixture(scope="module")
def rules():
    return cached_registry().rules_for("outline-2021")


def results(rules, body: str, plan: str = "继续推进依法行政。") -> dict[str, match.RuleResult]:
    text = textwrap.dedent("""\
        某县2023年法治政府建设情况的报告
        一、2023年法治政府建设主要举措和成效
        {body}
        二、存在的不足及原因
        一是队伍力量不足。原因是编制有限。
        三、2024年工作安排
        {plan}
        """).format(body=body, plan=plan)
    doc = structure.build(make_source(text))
    return {r.id: r for r in match.evaluate_all(rules, doc, None, None, "county")}


def first(res: match.RuleResult) -> str:
    assert res.evidence, res
    return res.evidence[0].text


def test_a_slogan_among_quoted_activity_names_is_a_list_item_not_the_deed(rules):
    # under a heading on the topic, the slogan is one of three quoted activity names; the deed
    # that applies it stands under a heading on another topic and is still quoted first
    body = ("（一）创新行政执法方式\n"
            "县司法局利用广播电视开展“法律进社区”、“每周一法”“谁执法谁普法”等法治宣传教育活动。\n"
            "（二）优化法治化营商环境\n"
            "各执法单位按照“谁执法谁普法”要求，组织执法人员进企业开展法治宣讲。")
    res = results(rules, body)["outline-2021-16"]
    assert first(res).startswith("各执法单位按照“谁执法谁普法”要求")


def test_the_campaign_is_quoted_for_publicity_not_the_budget_line(rules):
    body = ("县政府印发通知，将普法教育经费列入年度财政预算。\n"
            "县司法局深入开展普法宣传，组织“送法下乡”和法治宣传进校园活动，向群众宣传法律法规。")
    res = results(rules, body)["outline-2021-35"]
    assert res.status == "covered"
    assert first(res).startswith("县司法局深入开展普法宣传")


def test_training_with_figures_beats_an_aim_about_the_key_minority(rules):
    body = ("紧紧抓住领导干部这个“关键少数”，强化领导干部带头学法守法用法，带头提高运用法治思维的能力。\n"
            "县司法局扎实开展行政执法业务培训，共组织执法人员专题培训6次。")
    res = results(rules, body)["outline-2021-34"]
    assert res.status == "covered"
    assert first(res).startswith("县司法局扎实开展行政执法业务培训")


def test_figures_in_another_clause_do_not_lift_a_passing_mention(rules):
    # the figures of the first sentence count advisers, not the 规范性文件 it names in passing;
    # the second counts the documents reviewed in the clause that names them
    body = ("充分发挥法律顾问参与规范性文件合法性审查的作用，目前全县18个乡镇均配备了法律顾问。\n"
            "县司法局全年审查规范性文件6件，均报送备案。")
    res = results(rules, body)["outline-2021-9"]
    assert res.status == "covered"
    assert first(res).startswith("县司法局全年审查规范性文件6件")


def test_the_sentence_with_more_of_the_duty_beats_a_bare_slogan(rules):
    body = ("成立法治建设领导小组，形成主要领导亲自抓、分管领导具体抓的工作格局。\n"
            "领导小组定期召开会议研究法治工作；党政主要领导对重要工作亲自部署、重大问题亲自过问、重要任务亲自督办。")
    reg = cached_registry()
    duty = reg.all_rules()["first-responsible-duty"]
    res = results([duty, *rules], body)["first-responsible-duty"]
    assert res.status == "partial"
    assert first(res).startswith("领导小组定期召开会议")


def test_a_subheading_on_another_topic_decides_what_its_paragraph_is_about(rules):
    # the chapter is on decision-making; the sub-heading under it on public participation:
    # its paragraph is 11's, and 10 quotes the paragraph under its own sub-heading
    body = ("（三）推进依法科学民主决策\n"
            "1.健全依法决策机制\n"
            "完善集体讨论决定制度，对集体讨论情况进行如实记录。\n"
            "2.建立重大行政决策公众参与平台\n"
            "对重大行政决策事项广泛听取意见，并注重听取基层组织、社会组织的意见。")
    res = results(rules, body)["outline-2021-10"]
    assert res.status == "covered"
    assert first(res).startswith("完善集体讨论决定制度")


def test_an_inline_lead_heads_the_sentences_after_it(rules):
    # the heading is on decisions; 二是…… names normative documents, and the sentence after it
    # is quoted for them before an adviser sentence that names them in passing with figures
    body = ("（一）严格执行重大行政决策程序\n"
            "县政府严格履行重大行政决策法定程序。二是严格执行规范性文件制定程序。"
            "严格规范性文件合法性审查，强化备案审查工作。\n"
            "（二）发挥法律顾问作用\n"
            "发挥法律顾问在规范性文件审查中的作用，目前全县18个乡镇均配备了法律顾问。")
    res = results(rules, body)["outline-2021-9"]
    assert res.status == "covered"
    assert first(res).startswith("严格规范性文件合法性审查")


def test_a_meeting_whose_spirit_was_studied_is_no_deed_of_the_body(rules):
    body = ("县政府组织专题学习，传达学习县委全面依法治县委员会第三次会议精神。\n"
            "县政府召开常务会议3次，专题研究法治政府建设工作。")
    res = results(rules, body)["outline-2021-32"]
    assert res.status == "covered"
    assert first(res).startswith("县政府召开常务会议3次")
    studied = [e for e in res.evidence if e.text.startswith("县政府组织专题学习")]
    assert all(e.kind == "passing" for e in studied)


def test_a_hit_spanning_a_list_is_no_list_item(rules):
    # the leading group's composition is listed inside the hit: setting it up is a deed
    body = "成立县长为组长、分管副县长为副组长、各部门负责人为成员的法治政府建设领导小组。"
    res = results(rules, body)["outline-2021-32"]
    assert res.status == "covered" and res.evidence[0].kind == "deed"


def test_an_act_reported_done_beats_a_verb_that_only_names_the_work(rules):
    # both name 规范性文件 with an act verb in the clause; only the second reports the act as done
    body = ("（一）完善依法行政制度体系\n"
            "坚持党对行政规范性文件制定工作的领导，突出针对性和可操作性，严格规范性文件审核。\n"
            "县政府制发的各类规范性文件都进行了合法性审核，并按时报送备案。")
    res = results(rules, body)["outline-2021-9"]
    assert res.status == "covered"
    assert first(res).startswith("县政府制发的各类规范性文件都进行了合法性审核")


def test_a_figure_with_its_unit_in_brackets_is_a_figure(rules):
    # 30(场)次 counts the campaign in the hit's own clause; the sentence before it names more
    # words of the topic but counts nothing
    body = ("县司法局认真开展了“宪法宣传周”集中宣传活动、法治宣传进社区等普法宣传活动。\n"
            "县司法局联合各乡镇开展“送法下乡”活动30(场)次，覆盖各行政村。")
    res = results(rules, body)["outline-2021-35"]
    assert res.status == "covered"
    assert first(res).startswith("县司法局联合各乡镇开展“送法下乡”活动30(场)次")


def test_words_naming_the_outcome_do_not_lift_a_sentence(rules):
    # two equal campaigns with figures; the second adds 法治宣传 only as the effect it had
    body = ("县司法局组织开展普法宣传活动30场次，发放宣传资料5000份。\n"
            "各乡镇开展普法宣传活动40场次，取得良好法治宣传效果。")
    res = results(rules, body)["outline-2021-35"]
    assert res.status == "covered"
    assert first(res).startswith("县司法局组织开展普法宣传活动30场次")


def test_decisions_named_as_one_item_of_what_advisers_do_is_a_passing_mention(rules):
    # 法律顾问 counts for article 11 near 决策; here 决策 is one short item of the advisers' work
    adviser = "县政府法律顾问全年参与规范性文件审查、提供决策法律意见、法律咨询、矛盾调处等工作。"
    res = results(rules, adviser)["outline-2021-11"]
    assert res.status == "partial"
    assert res.evidence[0].kind == "passing"
    # next to it, a sentence on the decisions themselves is the evidence
    res = results(rules, adviser + "\n县政府对重大行政决策事项广泛听取群众意见。")["outline-2021-11"]
    assert res.status == "covered"
    assert first(res).startswith("县政府对重大行政决策事项广泛听取群众意见")
    # and advisers taking part in decisions, said in a clause of its own, are a deed
    res = results(rules, "县政府法律顾问全程参与重大行政决策的合法性审查。")["outline-2021-11"]
    assert res.status == "covered" and res.evidence[0].kind == "deed"


def test_figures_count_where_the_concept_meets_its_context(rules):
    # 法律顾问 needs 决策 in its sentence: in the first sentence the figure counts the advisers
    # of the villages, in a clause that says nothing of decisions; the second counts decisions
    body = ("充分发挥法律顾问参与重大决策的作用，目前全县18个乡镇均配备了法律顾问。\n"
            "县政府法律顾问全年列席政府常务会议研究重大决策事项5次。")
    res = results(rules, body)["outline-2021-11"]
    assert res.status == "covered"
    assert first(res).startswith("县政府法律顾问全年列席政府常务会议")


# --- property: highlighted words lie inside the quoted sentence ---------------------------------

PIECES = [
    "全面推行行政执法公示", "执法全过程记录", "重大执法决定法制审核", "党政主要负责人", "主持召开常务会议",
    "研究法治政府建设", "法律顾问", "人民调解", "矛盾纠纷", "政务公开", "行政复议", "行政应诉", "普法宣传",
    "“谁执法谁普法”", "“送法下乡”", "规范性文件", "合法性审查", "备案", "执法监督", "案卷评查",
    "；", "。", "，", "：", "、", "”“", "“", "”", "等", "了", "共", "累计", "其中，", "\n", "\n（二）", "\n1.",
    "《条例》", "12件", "3次", "100%", "下一步", "存在问题", "亲自部署", "形成", "格局", "不够", "组织开展",
]


def test_a_run_in_heading_is_quoted_with_the_sentence_it_opens(rules):
    # a plan item whose heading alone names the task: the quote shows what the text under
    # the heading says, with the heading, not the heading alone
    plan = "（一）加快推进政务诚信建设。建立健全政府守信践诺机制，开展拖欠企业账款清理。其他工作另行安排。"
    res = results(rules, "县政府召开常务会议研究部署年度重点工作。", plan)["outline-2021-28"]
    assert res.status == "partial"
    quote = first(res)
    assert quote.startswith("（一）加快推进政务诚信建设。建立健全政府守信践诺机制")
    assert "其他工作另行安排" not in quote
    ev = res.evidence[0]
    assert ev.start <= ev.match_start < ev.match_end <= ev.end


def test_a_heading_standing_alone_is_quoted_alone(rules):
    plan = "（一）加快推进政务诚信建设\n开展拖欠企业账款清理。"
    res = results(rules, "县政府召开常务会议研究部署年度重点工作。", plan)["outline-2021-28"]
    assert first(res).startswith("（一）加快推进政务诚信建设")
    assert "拖欠" not in first(res)


@pytest.mark.parametrize("deed", [
    "县人社局会同县公安局完善拒不支付劳动报酬案件移送机制，全年移送涉嫌犯罪案件3件。",
    "对执法检查中发现的涉嫌犯罪线索，及时移送公安机关处理，全年共移送7件。",
])
def test_a_case_handed_to_the_police_is_the_enforcement_criminal_link(rules, deed):
    # the link between enforcement and criminal justice (两法衔接) shown by what was done,
    # without the report naming the mechanism
    res = results(rules, "县政府召开常务会议研究部署年度重点工作。\n" + deed)["outline-2021-13"]
    assert res.status == "covered"
    assert first(res) == deed


def test_a_case_handed_on_inside_the_office_is_no_link(rules):
    res = results(rules, "县政府召开常务会议研究部署年度重点工作。\n将群众来信转交相关科室办理，按时办结。")["outline-2021-13"]
    assert res.status == "missing"


@pytest.mark.parametrize("deed", [
    "邀请县人大代表、县政协委员对城区道路改造工作开展视察评议3次，整改代表委员提出的意见建议11条。",
    "认真落实人大代表提出的意见建议，全年整改落实代表委员建议20条。",
])
def test_deputies_inspecting_or_their_suggestions_acted_on_is_supervision(rules, deed):
    res = results(rules, "县政府召开常务会议研究部署年度重点工作。\n" + deed)["outline-2021-24"]
    assert res.status == "covered"
    assert first(res) == deed


def test_highlight_lies_inside_the_quoted_sentence_on_generated_reports(rules):
    rnd = random.Random(20238)
    for _ in range(150):
        body = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(4, 60)))
        plan = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 12)))
        text = f"某县2023年法治政府建设情况的报告\n一、主要举措和成效\n{body}\n二、2024年工作安排\n{plan}\n"
        doc = structure.build(make_source(text))
        for res in match.evaluate_all(rules, doc, None, None, "county"):
            for ev in res.evidence:
                assert ev.start <= ev.match_start <= ev.match_end <= ev.end, (res.id, ev, text)
                assert doc.text[ev.start:ev.end] == ev.text
                assert doc.text[ev.match_start:ev.match_end] == ev.match
