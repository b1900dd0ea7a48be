"""The matcher's mechanisms, each on its own, with a registry written here (so the
behaviour tested is the engine's, not any shipped rule's wording)."""
from __future__ import annotations

import textwrap

import pytest

from checker import match, structure
from checker.nlp import LazyTokens
from checker.rules import load_rule_file

from conftest import make_source

RULES = """\
rules:
  - id: exact
    title: 精确
    check:
      concepts:
        a: {any: [执法全过程记录]}
  - id: fuzzy
    title: 模糊
    check:
      concepts:
        a: {any: [执法全过程记录], fuzzy: 85}
  - id: tokens
    title: 分词
    check:
      concepts:
        a: {any: [重大执法决定法制审核], tokens: true}
  - id: near
    title: 语境
    check:
      concepts:
        a: {any: [公示], near: {any: [执法], within: sentence}}
  - id: veto
    title: 否决
    check:
      concepts:
        a: {any: [督查], not_near: {any: [安全生产]}}
  - id: scope
    title: 同句
    check:
      concepts:
        leader: {any: [县长]}
        act: {any: [主持召开]}
      covered:
        - {all: [leader, act], within: sentence}
      partial:
        - {any: [leader]}
  - id: titles
    title: 书名
    check:
      concepts:
        a: {any: [第一责任人]}
  - id: boundary
    title: 词边界
    check:
      concepts:
        a: {any: [法制], boundary: true}
  - id: nohead
    title: 不看标题
    check:
      concepts:
        a: {any: [原因], headings: false}
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "engine.yaml"
    path.write_text(RULES, encoding="utf-8")
    return {r.id: r for r in load_rule_file(path)}


def verdict(auditor, rules, rule_id: str, body: str, plan: str = "") -> match.RuleResult:
    text = textwrap.dedent(f"""\
        某县2023年法治政府建设情况的报告
        一、主要举措和成效
        {body}
        二、2024年工作安排
        {plan or "继续推进依法行政。"}
        """)
    doc = structure.build(make_source(text))
    tokens = LazyTokens(doc, lambda: auditor.segmenter)
    index = match.DocIndex(doc, tokens, auditor.segmenter)
    return match.evaluate(rules[rule_id], index, "county")


def test_exact_phrase(auditor, rules):
    assert verdict(auditor, rules, "exact", "推行执法全过程记录制度。").status == "covered"
    assert verdict(auditor, rules, "exact", "推行执法全过程纪录制度。").status == "missing"


def test_fuzzy_tolerates_a_typo_and_scores_lower(auditor, rules):
    res = verdict(auditor, rules, "fuzzy", "推行执法全过程纪录制度。")
    assert res.status == "covered"
    assert res.evidence[0].match and res.evidence[0].quality < 1.0
    exact = verdict(auditor, rules, "fuzzy", "推行执法全过程记录制度。")
    assert exact.score > res.score
    assert verdict(auditor, rules, "fuzzy", "推行执法公示制度。").status == "missing"


def test_tokens_tolerate_inserted_words(auditor, rules):
    res = verdict(auditor, rules, "tokens", "对重大行政执法决定一律进行法制审核。")
    assert res.status == "covered", res
    assert verdict(auditor, rules, "tokens", "对重大项目一律进行审计。").status == "missing"


def test_near_requires_context_in_the_same_sentence(auditor, rules):
    assert verdict(auditor, rules, "near", "行政执法结果在网站公示。").status == "covered"
    assert verdict(auditor, rules, "near", "先进个人名单进行了公示。本县加强执法。").status == "missing"


def test_not_near_vetoes(auditor, rules):
    assert verdict(auditor, rules, "veto", "开展政府督查3次。").status == "covered"
    assert verdict(auditor, rules, "veto", "配合开展安全生产督查3次。").status == "missing"


def test_all_of_within_a_sentence(auditor, rules):
    assert verdict(auditor, rules, "scope", "县长主持召开常务会议。").status == "covered"
    split = verdict(auditor, rules, "scope", "县长高度重视。年初主持召开会议。")
    assert split.status == "partial"


def test_hits_inside_a_cited_title_do_not_count(auditor, rules):
    assert verdict(auditor, rules, "titles", "学习《党政主要负责人履行推进法治建设第一责任人职责规定》。").status == "missing"
    assert verdict(auditor, rules, "titles", "主要负责人履行第一责任人职责。").status == "covered"


def test_a_document_the_body_made_is_its_own_action_not_a_citation(auditor, rules):
    made = "年初制定《本县落实第一责任人职责实施办法》，明确责任清单。"
    assert verdict(auditor, rules, "titles", made).status == "covered"
    cited = "组织学习《党政主要负责人履行推进法治建设第一责任人职责规定》。"
    assert verdict(auditor, rules, "titles", cited).status == "missing"


def test_boundary_needs_whole_words(auditor, rules):
    assert verdict(auditor, rules, "boundary", "加强法制建设。").status == "covered"
    assert verdict(auditor, rules, "boundary", "完善法制度体系。").status in ("covered", "missing")  # segmentation decides
    assert verdict(auditor, rules, "boundary", "推进依法治国，强化法治。").status == "missing"


def test_headings_can_be_excluded(auditor, rules):
    assert verdict(auditor, rules, "nohead", "（一）问题和原因\n一是经费不足。").status == "missing"
    # (a body sentence that states a problem — 究其原因是经费不足 — is no deed: see the evidence kinds)
    assert verdict(auditor, rules, "nohead", "（一）问题\n逐项分析原因，制定整改措施。").status == "covered"


def test_only_planned_is_partial_with_a_note(auditor, rules):
    res = verdict(auditor, rules, "exact", "全县依法行政水平稳步提升。", plan="全面推行执法全过程记录制度。")
    assert res.status == "partial"
    assert res.evidence[0].part == "plan"
    assert any("计划" in n for n in res.notes)


# --- evidence: kinds, ranking, status from the strongest sentence ---------------------------

KINDS_RULES = """\
rules:
  - id: mediation
    title: 调解
    check:
      concepts:
        a: {any: [矛盾纠纷调解, 人民调解], regex: ['调解{clause:6}纠纷']}
  - id: leaders
    title: 主要负责人
    check:
      concepts:
        leader: {any: [主要负责人]}
        act: {any: [召开, 协调], not: [协调机制]}
        personal: {any: [亲自部署, 亲自过问, 亲自督办], repeated_is_slogan: true}
      covered:
        - {any: [personal]}
        - {all: [leader, act], within: sentence, ordered: true}
  - id: systems
    title: 三项制度
    check:
      concepts:
        publicity: {any: [执法公示]}
        record: {any: [全过程记录]}
        review: {any: [法制审核]}
      covered:
        - {any: [publicity, record, review]}
  - id: soft
    title: 柔性执法
    check:
      concepts:
        method: {any: [包容审慎]}
        slogan: {any: [以案释法]}
      covered:
        - {any: [method]}
      partial:
        - {any: [slogan]}
"""


@pytest.fixture(scope="module")
def krules(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "kinds.yaml"
    path.write_text(KINDS_RULES, encoding="utf-8")
    return {r.id: r for r in load_rule_file(path)}


def test_a_heading_alone_is_partial_and_says_so(auditor, krules):
    res = verdict(auditor, krules, "mediation", "（一）加强人民调解\n全年新建村级便民服务点6个。")
    assert res.status == "partial"
    assert res.evidence[0].kind == "heading"
    assert any("标题" in n for n in res.notes)


def test_the_deed_under_a_heading_is_quoted_not_the_heading(auditor, krules):
    body = "（一）加强人民调解\n各村调委会全年调解矛盾纠纷86件，调解成功率98%。"
    res = verdict(auditor, krules, "mediation", body)
    assert res.status == "covered"
    assert res.evidence[0].text.startswith("各村调委会全年调解")
    assert res.evidence[0].kind == "deed" and res.evidence[0].score >= 90


def test_a_deed_beats_a_plan_and_the_plan_note_is_absent(auditor, krules):
    res = verdict(auditor, krules, "mediation", "司法所组织开展矛盾纠纷调解23次。",
                  plan="进一步完善人民调解工作机制。")
    assert res.status == "covered" and not res.notes
    assert res.evidence[0].part == "achievements"


def test_only_planned_keeps_a_true_note(auditor, krules):
    res = verdict(auditor, krules, "mediation", "全年新建村级便民服务点6个。", plan="进一步完善人民调解工作机制。")
    assert res.status == "partial" and res.evidence[0].kind == "plan"
    assert any("计划" in n for n in res.notes) and res.score <= 30


def test_a_listed_problem_is_no_deed(auditor, krules):
    res = verdict(auditor, krules, "mediation", "部分村人民调解不规范、台账不健全。")
    assert res.status != "covered"
    assert res.evidence[0].kind == "problem"


def test_a_passing_list_item_is_partial(auditor, krules):
    res = verdict(auditor, krules, "mediation", "围绕普法宣传、人民调解、社区矫正、法律援助等工作召开推进会。")
    assert res.status == "partial" and res.evidence[0].kind == "passing"


def test_the_strongest_sentence_comes_first_whatever_its_place(auditor, krules):
    body = "积极推进人民调解。\n全镇15个调委会共调解矛盾纠纷312件，调解成功310件。"
    res = verdict(auditor, krules, "mediation", body)
    assert res.status == "covered"
    assert res.evidence[0].text.startswith("全镇15个调委会")
    assert [e.score for e in res.evidence] == sorted((e.score for e in res.evidence), reverse=True)


def test_a_recited_formula_is_a_slogan_not_a_deed(auditor, krules):
    recital = "主要负责人对重要工作亲自部署、重大问题亲自过问、重要任务亲自督办。"
    res = verdict(auditor, krules, "leaders", recital)
    assert res.status == "partial" and res.evidence[0].kind == "slogan"
    res = verdict(auditor, krules, "leaders", recital + "\n县长主持召开常务会议，主要负责人召开专题会议3次研究法治工作。")
    assert res.status == "covered" and res.evidence[0].kind == "deed"


def test_not_list_and_order(auditor, krules):
    # 协调 inside 协调机制 is dropped; an action before the leader is not the leader's
    assert verdict(auditor, krules, "leaders", "健全主要负责人牵头的协调机制。").status == "missing"
    assert verdict(auditor, krules, "leaders", "召开大会后，主要负责人表示支持。").status == "missing"
    assert verdict(auditor, krules, "leaders", "主要负责人召开专题会议研究法治工作。").status == "covered"


def test_proximity_operator_expands_within_a_clause():
    from checker.rules import expand
    import re as _re
    pat = _re.compile(expand("调解{clause:6}纠纷"))
    assert pat.search("调解各类矛盾纠纷") and not pat.search("调解工作，化解纠纷")
    assert _re.compile(expand("审查{sentence:10}意见")).search("审查文件，出具意见")


def test_highlight_always_lies_inside_the_quoted_sentence(auditor):
    """Fuzz: generated reports of shuffled clauses; every evidence match lies in its sentence."""
    import random
    from checker.rules import cached_registry
    reg = cached_registry()
    rules = reg.rules_for("outline-2021")
    pieces = ["全面推行行政执法公示", "执法全过程记录", "重大执法决定法制审核", "主要负责人", "主持召开",
              "法律顾问", "人民调解", "政务公开", "行政复议", "；", "。", "，", "！", "？", "\n", "、",
              "《规定》", "12件", "（一）", "1.", "存在问题", "下一步", "亲自部署", "形成", "格局"]
    rnd = random.Random(8)
    for _ in range(120):
        body = "".join(rnd.choice(pieces) for _ in range(rnd.randint(5, 40)))
        text = f"某县2023年法治政府建设情况的报告\n一、主要举措和成效\n{body}\n二、2024年工作安排\n{body[::-1]}\n"
        doc = structure.build(make_source(text))
        for res in match.evaluate_all(rules, doc, None, None, "county"):
            for ev in res.evidence:
                assert ev.start <= ev.match_start <= ev.match_end <= ev.end, (res.id, ev)
                assert doc.text[ev.start:ev.end] == ev.text


def test_a_continuation_is_quoted_with_the_sentence_it_continues(auditor, krules):
    body = "全镇调委会全年受理纠纷案件64件。其中，人民调解成功58件，移送法院6件。"
    res = verdict(auditor, krules, "mediation", body)
    assert res.status == "covered"
    ev = res.evidence[0]
    assert ev.text.startswith("全镇调委会全年受理") and "人民调解" in ev.text
    assert ev.start <= ev.match_start < ev.match_end <= ev.end and ev.match == "人民调解"


def test_a_sentence_with_more_of_the_rules_elements_is_quoted_first(auditor, krules):
    # the second sentence shows two of the three systems; the first only one (with a figure)
    body = "全年在平台上落实执法公示320条。\n各执法单位落实执法全过程记录和重大执法决定法制审核，配备执法记录仪。"
    res = verdict(auditor, krules, "systems", body)
    assert res.status == "covered"
    assert res.evidence[0].text.startswith("各执法单位落实执法全过程记录")
    assert res.evidence[1].text.startswith("全年在平台上")


def test_a_deed_meeting_a_weaker_condition_is_quoted_before_a_plan(auditor, krules):
    # the full content appears only in the plan; the report year has a deed that meets the
    # weaker condition: that deed is the evidence, and no "only planned" note is given
    res = verdict(auditor, krules, "soft", "各执法单位组织以案释法宣讲12场。", plan="推行包容审慎监管。")
    assert res.status == "partial"
    assert res.evidence[0].text.startswith("各执法单位组织以案释法") and res.evidence[0].kind == "deed"
    assert not any("计划" in n for n in res.notes)
