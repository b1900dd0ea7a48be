"""The outline rules, article by article, through the real pipeline.

Every passage here is written for the test (none is taken from a real report). Each one is
placed in a small complete report — a title, the achievements part, the shortcomings part
and the next-year plan — and audited end to end, so the tests see what a user sees:

  (a) a passage that does the task, in the achievements part      -> covered
  (b) a passage that uses the same words in another sense         -> missing
  (c) the task only in the next-year plan                         -> partial

Then: the law-making articles (7, 8; 2015 measures 2.1–2.3) are not applicable below a
districted city, and every rule's own `example` is covered and its `counter_example` is
not — parametrised over the registry, so a rule added later is tested without editing
this file.
"""
from __future__ import annotations

import pytest

from checker.model import Source
from checker.pipeline import Auditor, Options
from checker.rules import load_registry

# --- report scaffold ---------------------------------------------------------------------

TITLE = "关于2023年度法治政府建设情况的报告"
PREAMBLE = "2023年，我县坚持依法行政，扎实推进法治政府建设和法治建设各项工作。现将有关情况报告如下。"
NEUTRAL_ACHIEVEMENTS = "全县各项工作有序开展，较好完成了年度目标任务。"
NEUTRAL_SHORTCOMINGS = "一是部分工作人员业务能力有待提高；二是工作统筹还不够有力。究其原因，主要是人员力量不足。"
NEUTRAL_PLAN = "2024年，我县将继续围绕中心工作，扎实推进各项任务落实，确保完成年度目标。"


def report(achievements: str = NEUTRAL_ACHIEVEMENTS, shortcomings: str = NEUTRAL_SHORTCOMINGS,
           plan: str = NEUTRAL_PLAN) -> str:
    return "\n".join([
        TITLE,
        "",
        PREAMBLE,
        "一、2023年法治政府建设主要举措和成效",
        achievements,
        "二、存在的不足和原因",
        shortcomings,
        "三、2024年工作安排",
        plan,
        "",
    ])


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor()


def audit(auditor: Auditor, text: str, level: str = "county", profile: str | None = None) -> dict:
    rep = auditor.audit_source(Source(path="t.txt", text=text, encoding="utf-8", sha256="0"),
                               Options(level=level, profile=profile))
    assert rep.is_report, rep.notes
    return {r.id: r for r in rep.results}


def status(auditor: Auditor, rule_id: str, text: str, level: str = "county", profile: str | None = None) -> str:
    return audit(auditor, text, level, profile)[rule_id].status


# --- passages, article by article (2021–2025 outline) -----------------------------------
# article: (does the task, same words in another sense)

PASSAGES: dict[int, tuple[str, str]] = {
    4: ("按照上级部署完成镇机构改革，整合设置7个内设机构，同步公布权责清单并动态调整事项38项。",
        "严格落实普法责任清单制度，各站所按照清单开展普法活动。"),
    5: ("深化“放管服”改革，全面推行证明事项告知承诺制，高频事项实现“一网通办”。",
        "在镇便民服务中心门前广场开展宪法宣传日活动。"),
    6: ("开展公平竞争审查，对新出台的15件涉及经营主体经济活动的政策措施逐件审查。",
        "除有法定依据外，未要求特定区域的市场主体普遍停产停业。"),
    7: ("年内制定政府规章2部，提请市人大常委会审议地方性法规草案1件。",
        "修订完善机关内部规章制度15项，严格执行地方性法规。"),
    8: ("在3个街道设立基层立法联系点，就2部规章草案公开征求意见并组织立法听证。",
        "就城市总体规划草案向社会公开征求意见30日。"),
    9: ("全年制定行政规范性文件4件，均经合法性审核后报送备案，并做到统一登记、统一编号、统一印发。",
        "组织党员干部学习党内法规和党内规范性文件。"),
    10: ("坚持依法科学民主决策，“三重一大”事项均经党委会议集体讨论决定。",
         "对重大疑难的复议案件实行集体讨论，统一办案尺度。"),
    11: ("全年作出重大行政决策2项，均履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序。",
         "召开行政处罚听证会3次，并对辖区企业开展安全风险评估。"),
    12: ("对上年作出的老旧小区改造决策开展决策后评估，根据评估意见调整实施方案。",
         "坚决贯彻执行上级决策部署，确保政令畅通。"),
    13: ("组建镇综合行政执法队伍，承接县级部门下放的行政处罚事项86项。",
         "镇综合执法办公室全体人员参加了宪法宣誓仪式。"),
    14: ("开展食品安全和安全生产专项整治，全年立案查处违法案件23件。",
         "结合宪法宣传周，大力宣传生态环境、安全生产等方面的法律法规。"),
    15: ("严格执法人员资格管理，全部执法人员持证上岗，并细化行政处罚裁量权基准。",
         "对拟表彰的先进个人名单进行了为期五天的公示。"),
    16: ("推行包容审慎监管，制定首违不罚清单42条，全年对轻微违法行为免予处罚31件。",
         "实施柔性引才计划，引进高层次人才3名。"),
    17: ("修订镇突发事件总体应急预案和防汛、地质灾害等专项预案5部。",
         "推进市场监管、应急管理、农业农村等领域综合行政执法改革。"),
    18: ("汛期依法启动防汛四级应急响应2次，组织开展山洪灾害避险转移演练6次。",
         "举办突发事件应对法专题讲座，提高干部应对和处置突发事件的意识和能力。"),
    19: ("组建村级应急救援队伍12支，动员志愿者300余人次参与防汛抢险和群众转移。",
         "普法志愿者队伍不断壮大，全年开展法治宣讲20场。"),
    20: ("健全人民调解、行政调解、司法调解联动机制，全年排查调处矛盾纠纷860件，调解成功率98%。",
         "法律顾问代理村集体合同纠纷诉讼案件2件。"),
    21: ("全年受理林地权属争议行政裁决案件5件，依法作出裁决4件。",
         "构建调解、仲裁、行政裁决、行政复议、诉讼等有机衔接、相互协调的多元化纠纷解决机制。"),
    22: ("全年受理行政复议案件18件，审结17件，纠错率22%。",
         "组织机关干部学习新修订的行政复议法。"),
    23: ("全年发生行政诉讼案件6件，行政机关负责人出庭应诉率100%，法院生效裁判全部执行到位。",
         "法律顾问代理村集体民事诉讼案件3件。"),
    24: ("自觉接受人大监督和政协民主监督，全年办理人大代表建议45件、政协委员提案38件。",
         "聘请食品安全社会监督员12名，负责监督辖区餐饮店。"),
    25: ("政府督查室围绕年度重点工作开展专项督查4轮，统筹规范督查检查考核事项。",
         "开展安全生产专项督查3次，整改隐患45处。"),
    26: ("开展行政执法案卷评查，抽查行政处罚案卷60卷并通报评查结果。",
         "配合县人大常委会对食品安全法实施情况开展执法检查。"),
    27: ("全年在政府网站主动公开政府信息320条，办理依申请公开8件。",
         "面向社会公开招聘专职网格员20名。"),
    28: ("推进政务诚信建设，清理拖欠中小企业账款1200万元。",
         "对失信企业实施联合惩戒，限制其参与招投标。"),
    29: ("依托一体化政务服务平台，实现1200项政务服务事项全程网办。",
         "推进镇村两级公共法律服务平台建设。"),
    30: ("推进政务数据共享，打通公安、税务等8个部门数据接口。",
         "推进法治文化资源共建共享。"),
    31: ("推行非现场监管，对重点排污企业实施在线监测和远程监管。",
         "根据企业规模对辖区企业进行分级分类监管。"),
    32: ("镇党委书记主持召开党委会议3次，专题研究部署法治政府建设工作。",
         "压实企业安全生产第一责任人责任，开展隐患排查。"),
    33: ("积极开展法治政府建设示范创建，将法治建设成效纳入年度综合考核。",
         "扎实推进中央生态环境保护督察反馈问题整改。"),
    34: ("坚持政府常务会议会前学法制度，全年会前学法12次，组织新任领导干部任前法律知识考试2场。",
         "培育“学法用法示范户”200余户。"),
    35: ("深入开展“八五”普法，全年开展法治宣传活动80余场次。",
         "开展文明城市创建宣传活动，发放倡议书2000份。"),
}

LAW_MAKING = {7, 8}  # only provinces and districted cities make local laws and rules


def level_for(article: int) -> str:
    return "city" if article in LAW_MAKING else "county"


def test_every_task_article_has_passages():
    assert set(PASSAGES) == set(range(4, 36))


@pytest.mark.parametrize("article", sorted(PASSAGES))
def test_task_in_achievements_is_covered(auditor, article):
    does, _ = PASSAGES[article]
    got = audit(auditor, report(achievements=does), level_for(article))[f"outline-2021-{article}"]
    assert got.status == "covered", (article, got.status, got.notes)
    assert got.evidence and got.evidence[0].part == "achievements"


@pytest.mark.parametrize("article", sorted(PASSAGES))
def test_words_in_another_sense_do_not_count(auditor, article):
    _, other = PASSAGES[article]
    got = status(auditor, f"outline-2021-{article}", report(achievements=other), level_for(article))
    assert got == "missing", (article, other)


@pytest.mark.parametrize("article", sorted(PASSAGES))
def test_task_only_in_next_year_plan_is_partial(auditor, article):
    does, _ = PASSAGES[article]
    got = audit(auditor, report(plan="2024年，" + does), level_for(article))[f"outline-2021-{article}"]
    assert got.status == "partial", (article, got.status)
    assert any("计划" in n for n in got.notes), got.notes


@pytest.mark.parametrize("article", [15, 20, 27, 34])
def test_task_only_in_shortcomings_is_partial(auditor, article):
    does, _ = PASSAGES[article]
    got = audit(auditor, report(shortcomings=does + NEUTRAL_SHORTCOMINGS))[f"outline-2021-{article}"]
    assert got.status == "partial"


def test_neutral_scaffold_covers_no_article(auditor):
    """The scaffold's own sentences must not trigger any outline rule (else every test above lies)."""
    for profile in ("outline-2021", "outline-2015"):
        results = audit(auditor, report(), level="city", profile=profile)
        hit = {rid: r.status for rid, r in results.items()
               if rid.startswith("outline-") and r.status != "missing"}
        assert not hit, (profile, hit)


# --- paraphrases: reports write the same task in other words ----------------------------

PARAPHRASES = [
    (4, "将全镇划分为46个网格，每个网格配备专职网格员，推行网格化管理。"),
    (5, "县政务服务中心新进驻事项120项，设置综合受理窗口12个，实行前台综合受理、后台分类审批。"),
    (5, "企业开办、不动产登记等高频事项实现全程网办。"),
    (9, "对拟出台的4件规范性文件逐件进行合法性审查，审查后报县人大常委会备案。"),
    (12, "建立重大决策终身责任追究制度及责任倒查机制。"),
    (13, "建立健全行政执法与刑事司法衔接机制，向公安机关移送涉嫌犯罪案件3件。"),
    (15, "执法过程全程留痕，执法记录仪配备到每个执法小组。"),
    (15, "重大行政执法决定作出前一律经过法治审核。"),
    (16, "注重说理式执法，对初次违法且危害轻微的当事人以批评教育为主，推行“柔性”执法。"),
    (17, "制定《镇防汛抗旱应急预案》并组织专家评审。"),
    (18, "严格按照法律法规依法科学精准做好疫情防控工作。"),
    (20, "坚持和发展新时代“枫桥经验”，完善矛盾纠纷多元预防调处化解综合机制。"),
    (22, "以县政府为被申请人的复议案件2件，经审理均予维持。"),
    (23, "认真落实行政机关负责人出庭应诉制度，支持法院依法受理和审理行政案件。"),
    (24, "主动接受审计监督，完成领导干部经济责任审计12项。"),
    (26, "开展行政执法专项监督，评查案卷500卷，督促整改问题61个。"),
    (27, "通过公开栏和政务新媒体公开财政预决算、惠民补贴等信息。"),
    (29, "网上可办率达到98%，群众办事“掌上办”“指尖办”。"),
    (30, "推动部门间信息共享，实现让数据多跑路、群众少跑腿。"),
    (31, "依托“互联网+监管”系统开展信用风险分类监管。"),
    (32, "成立以党政主要负责同志为组长的法治建设领导小组，定期召开会议研究法治工作。"),
    (33, "按时报送并在政府网站公开上一年度法治政府建设年度报告。"),
    (34, "组织全县行政执法人员参加法律知识考试，参考率100%。"),
    (35, "开展法律“八进”活动，建设法治文化广场3个。"),
    (4, "深化事业单位改革，整合事业单位12家。"),
    (5, "开展“减证便民”行动，取消证明材料23项，审批时限压缩至法定时限的30%。"),
    (13, "承接县级赋权事项126项，执法力量下沉一线。"),
    (16, "对违法情节轻微的经营者采取提醒告诫方式督促整改。"),
    (16, "执法人员在现场检查时同步讲解法律规定，做到执法与普法同步。"),
    (18, "妥善处置森林火情3起，未造成人员伤亡。"),
    (24, "认真办理人大代表议案建议46件。"),
    (26, "聘请行政执法社会监督员20名。"),
    (28, "开展政府机构失信问题专项治理。"),
    (33, "委托第三方开展法治政府建设评估。"),
]


# sentences a report may well contain that belong to no task article
UNRELATED = [
    "召开安全生产工作会议，部署汛期安全工作。",
    "加强网格员队伍建设。",
    "建立健全各项规章制度。",
    "组织干部在学习强国平台学习。",
    "组织全镇干部参加业务知识测试。",
    "镇纪委开展作风建设专项督查。",
    "评选表彰先进个人，并在镇政务公开栏公示。",
    "召开党委会议研究乡村振兴工作。",
    "依法开展人口普查工作。",
    "开展文明城市创建，做好秸秆禁烧工作。",
    "对新入职人员开展岗前培训。",
    "认真执行上级部署，确保政令畅通。",
]


@pytest.mark.parametrize("passage", UNRELATED)
def test_unrelated_sentences_cover_no_article(auditor, passage):
    results = audit(auditor, report(achievements=passage), "city")
    hit = {rid: r.status for rid, r in results.items() if rid.startswith("outline-2021-") and r.status != "missing"}
    assert not hit, (passage, hit)


@pytest.mark.parametrize("article, passage", PARAPHRASES)
def test_paraphrases_are_covered(auditor, article, passage):
    got = status(auditor, f"outline-2021-{article}", report(achievements=passage), level_for(article))
    assert got == "covered", (article, passage)


# --- weak mentions: named, but not work done -----------------------------------------------

WEAK = [
    # a slogan is not dispute resolution (20)
    (20, "运用法治思维和法治方式深化改革、推动发展、化解矛盾、维护稳定。", "missing"),
    # a power catalogue naming 行政裁决 is not adjudication work (21)
    (21, "梳理行政权力事项，其中行政许可189项、行政裁决9项、行政处罚4266项。", "missing"),
    # the same slogan list names 行政复议 and 诉讼 (22, 23)
    (22, "构建调解、仲裁、行政裁决、行政复议、诉讼等有机衔接、相互协调的多元化纠纷解决机制。", "missing"),
    (23, "构建调解、仲裁、行政裁决、行政复议、诉讼等有机衔接、相互协调的多元化纠纷解决机制。", "missing"),
    # studying the emergency-response law inside 《》 is not handling emergencies (17, 18)
    (17, "组织学习《突发事件应对法》《预防和处置突发事件法律法规选编》。", "missing"),
    (18, "组织学习《突发事件应对法》《预防和处置突发事件法律法规选编》。", "missing"),
    # an upper body's work plan, cited, is not this body's leadership (32)
    (32, "认真学习市委全面依法治市委员会2023年工作要点。", "missing"),
    # 谁执法谁普法 alone belongs to the article but is a weak, partial account (16)
    (16, "落实“谁执法谁普法”普法责任制，开展以案释法活动12场。", "partial"),
    # “运用法治思维” alone is a slogan, partial for capacity building (34)
    (34, "不断提高运用法治思维和法治方式推动工作的能力。", "partial"),
    # a citation of the first-responsible-duty provisions in 《》 is not an action (32)
    (32, "深入学习《党政主要负责人履行推进法治建设第一责任人职责规定》。", "missing"),
]


@pytest.mark.parametrize("article, passage, want", WEAK)
def test_weak_mentions(auditor, article, passage, want):
    assert status(auditor, f"outline-2021-{article}", report(achievements=passage), level_for(article)) == want


# --- who the law-making articles apply to ------------------------------------------------


@pytest.mark.parametrize("level", ["county", "township", "department"])
@pytest.mark.parametrize("article", sorted(LAW_MAKING))
def test_law_making_not_applicable_below_districted_city(auditor, article, level):
    does, _ = PASSAGES[article]
    got = audit(auditor, report(achievements=does), level)[f"outline-2021-{article}"]
    assert got.status == "not_applicable"
    assert got.notes


@pytest.mark.parametrize("level", ["city", "province"])
@pytest.mark.parametrize("article", sorted(LAW_MAKING))
def test_law_making_applies_to_law_making_levels(auditor, article, level):
    does, _ = PASSAGES[article]
    assert status(auditor, f"outline-2021-{article}", report(achievements=does), level) == "covered"
    assert status(auditor, f"outline-2021-{article}", report(), level) == "missing"


@pytest.mark.parametrize("measure", ["2.1", "2.2", "2.3"])
def test_2015_law_making_measures_follow_the_level(auditor, measure):
    text = report(achievements=PASSAGES[7][0] + PASSAGES[8][0])
    rid = f"outline-2015-{measure}"
    assert status(auditor, rid, text, "county", "outline-2015") == "not_applicable"
    assert status(auditor, rid, text, "city", "outline-2015") == "covered"


# --- the registry's own examples ----------------------------------------------------------

REGISTRY = load_registry()
RULES = {}
for _prof in sorted(REGISTRY.rules):
    for _rid, _rule in REGISTRY.rules[_prof].items():
        RULES.setdefault(_rid, (_prof, _rule))


def test_one_rule_per_task_article_and_measure():
    ids = set(REGISTRY.rules["outline-2021"])
    assert {f"outline-2021-{n}" for n in range(4, 36)} <= ids
    for n in range(4, 36):
        rule = REGISTRY.rules["outline-2021"][f"outline-2021-{n}"]
        assert rule.refs == [f"outline-2021:{n}"]
        assert rule.hint and rule.example and rule.counter_example and rule.description
    measures = {"1": 8, "2": 5, "3": 6, "4": 6, "5": 6, "6": 5, "7": 4, "8": 4}
    ids2015 = set(REGISTRY.rules["outline-2015"])
    for area, count in measures.items():
        for m in range(1, count + 1):
            rule = REGISTRY.rules["outline-2015"][f"outline-2015-{area}.{m}"]
            assert rule.refs == [f"outline-2015:{area}.{m}"]
    assert not any(r.startswith("outline-2021-") for r in ids2015)


def test_groups_follow_the_outline_parts():
    parts = {"functions": range(4, 7), "rules": range(7, 10), "decisions": range(10, 13),
             "enforcement": range(13, 17), "emergencies": range(17, 20), "disputes": range(20, 24),
             "oversight": range(24, 29), "digital": range(29, 32), "leadership": range(32, 36)}
    for group, articles in parts.items():
        for n in articles:
            assert REGISTRY.rules["outline-2021"][f"outline-2021-{n}"].group == group
    for n in (7, 8):
        assert set(REGISTRY.rules["outline-2021"][f"outline-2021-{n}"].applies_to) == {"province", "city"}


def _placement(rule) -> str:
    if rule.check.kind == "section":
        return rule.check.part or "achievements"
    return "achievements" if "achievements" in rule.parts else rule.parts[0]


def _report_with(rule, sentence: str) -> str:
    where = _placement(rule)
    if where == "shortcomings":
        return report(shortcomings=sentence)
    if where == "plan":
        return report(plan=sentence)
    return report(achievements=sentence)


def _level(rule) -> str:
    return "county" if "county" in rule.applies_to else rule.applies_to[0]


WITH_EXAMPLE = sorted(rid for rid, (_, r) in RULES.items() if r.example)
WITH_COUNTER = sorted(rid for rid, (_, r) in RULES.items() if r.counter_example)


@pytest.mark.parametrize("rule_id", WITH_EXAMPLE)
def test_rule_example_is_covered(auditor, rule_id):
    prof, rule = RULES[rule_id]
    got = audit(auditor, _report_with(rule, rule.example), _level(rule), prof)[rule_id]
    assert got.status == "covered", (rule_id, rule.example, got.status)


@pytest.mark.parametrize("rule_id", WITH_COUNTER)
def test_rule_counter_example_is_not_covered(auditor, rule_id):
    prof, rule = RULES[rule_id]
    got = audit(auditor, _report_with(rule, rule.counter_example), _level(rule), prof)[rule_id]
    assert got.status != "covered", (rule_id, rule.counter_example)
    if rule_id.startswith("outline-"):
        assert got.status == "missing", (rule_id, rule.counter_example, got.status)


def test_outline_rules_all_carry_examples():
    for rid, (_, rule) in RULES.items():
        if rid.startswith("outline-"):
            assert rule.example and rule.counter_example, rid


@pytest.mark.parametrize(
    "passage",
    [
        "城管执法中队对首次轻微违法的流动摊贩以教育提醒为主，全年发放劝导告知书300余份。",
        "推行“721”工作法，七分服务、两分管理、一分执法。",
    ],
)
def test_article_16_soft_enforcement_in_practice(auditor, passage):
    assert status(auditor, "outline-2021-16", report(achievements=passage)) == "covered"
