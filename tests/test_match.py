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
