"""The rules, browsable: list and filter them, show one, and check rule files.

``checker rules`` lists (id, title, severity, refs, levels, outline part);
``checker rules show ID`` explains what a rule looks for, where, its refs and hint, and
runs its example (and counter-example) through the matcher;
``checker rules check [FILES]`` validates the shipped registry or draft rule files and
lists each problem as ``file: rule ID: field: message`` for the people who keep the rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Group as RichGroup
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from checker.config import SEVERITIES
from checker.errors import RegistryError, UsageError
from checker.model import LEVELS, Source
from checker.render import FINDING_SEVERITY_ZH, LEVEL_ZH, PART_ZH, SEVERITY_ZH, STATUS_ZH
from checker.rules import Registry, Rule, load_registry, load_rule_file

# a heading that opens each report part, so an example can be tried where the rule looks
PART_HEADINGS = {
    "achievements": "一、主要举措和成效",
    "shortcomings": "二、存在的不足和原因",
    "plan": "三、下一年度工作安排",
    "other": "四、其他需要报告的情况",
}


# --- list -------------------------------------------------------------------------------


def profiles_of(registry: Registry) -> dict[str, list[str]]:
    """Rule id → the profiles that carry it."""
    out: dict[str, list[str]] = {}
    for pid in sorted(registry.profiles):
        for rid in registry.rules[pid]:
            out.setdefault(rid, []).append(pid)
    return out


def group_titles(registry: Registry) -> dict[str, str]:
    """Outline part id → its title (the newest profile's wording wins)."""
    out: dict[str, str] = {}
    for prof in sorted(registry.profiles.values(), key=lambda p: p.years[0]):
        for g in prof.groups:
            out[g.id] = g.title
    return out


def select_rules(registry: Registry, profile: str | None = None, level: str | None = None,
                 severity: str | None = None, group: str | None = None) -> list[Rule]:
    """Rules in registry order, filtered; an unknown filter value is a usage error."""
    if profile:
        registry.profile(profile)
    if level and level not in LEVELS:
        raise UsageError(f"未知的层级：{level}（可用：{', '.join(LEVELS)}）")
    if severity and severity not in SEVERITIES:
        raise UsageError(f"未知的级别：{severity}（可用：{', '.join(SEVERITIES)}）")
    groups = group_titles(registry)
    if group and group not in groups:
        raise UsageError(f"未知的纲要部分：{group}（可用：{', '.join(groups)}）")
    pool = registry.rules_for(profile) if profile else list(registry.all_rules().values())
    return [
        r for r in pool
        if (not level or level in r.applies_to)
        and (not severity or r.severity == severity)
        and (not group or r.group == group)
    ]


def _levels(rule: Rule) -> str:
    if set(rule.applies_to) == set(LEVELS):
        return "全部"
    return "、".join(LEVEL_ZH.get(x, x).removesuffix("级") for x in rule.applies_to)


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def rules_table(registry: Registry, rules: list[Rule], profile: str | None = None) -> Table:
    """With a profile, only the refs that profile cites are shown (as in an audit)."""
    groups = group_titles(registry)
    cites = tuple(f"{c}:" for c in registry.profile(profile).cites) if profile else ("",)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=True)
    table.add_column("规则 · 要素", ratio=5, overflow="fold")
    table.add_column("级别", no_wrap=True)
    table.add_column("依据", no_wrap=True, style="dim")
    table.add_column("层级", ratio=1, overflow="fold")
    table.add_column("纲要部分", ratio=3, overflow="fold")
    for r in rules:
        table.add_row(
            Text(r.id, style="bold").append("\n" + r.title, style="not bold"),
            Text(SEVERITY_ZH[r.severity], style=SEVERITY_STYLE[r.severity]),
            "\n".join(ref for ref in r.refs if ref.startswith(cites)),
            _levels(r),
            Text(r.group, style="cyan").append("\n" + groups.get(r.group, ""), style="dim") if r.group else "—",
        )
    return table


CHECK_KIND_ZH = {"substitute": "替换", "pattern": "匹配", "compare": "比对"}


def checks_table(checks) -> Table:
    """The form checks (rules/checks/*.yaml): id, severity, what is marked, how to fix it."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=True)
    table.add_column("检查项 · 问题", ratio=4, overflow="fold")
    table.add_column("级别", no_wrap=True)
    table.add_column("方式", no_wrap=True, style="dim")
    table.add_column("修改建议", ratio=4, overflow="fold")
    for c in checks:
        table.add_row(Text(c.id, style="bold").append("\n" + c.message, style="not bold"),
                      Text(FINDING_SEVERITY_ZH.get(c.severity, c.severity), style=SEVERITY_STYLE.get(c.severity, "")),
                      CHECK_KIND_ZH.get(c.kind, c.kind), c.fix or "—")
    return table


def check_json(check) -> dict:
    return {"id": check.id, "message": check.message, "severity": check.severity, "kind": check.kind,
            "fix": check.fix, "source": check.source}


def rule_json(registry: Registry, rule: Rule) -> dict:
    return {
        "id": rule.id, "title": rule.title, "severity": rule.severity, "refs": list(rule.refs),
        "levels": list(rule.applies_to), "group": rule.group, "parts": list(rule.parts),
        "profiles": profiles_of(registry).get(rule.id, []), "source": registry.sources.get(rule.id, ""),
    }


# --- show -------------------------------------------------------------------------------


def find_rule(registry: Registry, rule_id: str) -> Rule:
    rules = registry.all_rules()
    if rule_id in rules:
        return rules[rule_id]
    close = [rid for rid in rules if rule_id in rid or rid in rule_id][:5]
    hint = f"（相近的：{', '.join(close)}）" if close else "（`checker rules` 列出全部规则）"
    raise UsageError(f"没有编号为 {rule_id} 的规则{hint}")


def try_sentence(rule: Rule, sentence: str, segmenter) -> str:
    """The status the matcher gives ``sentence`` placed in the report part the rule reads.
    ``segmenter`` is a callable returning the segmenter; it is called only if needed."""
    from checker import structure
    from checker.pipeline import evaluate

    part = rule.check.part if rule.check.kind == "section" else (
        "achievements" if "achievements" in rule.parts else rule.parts[0])
    text = f"{PART_HEADINGS[part]}\n{sentence}" if part in PART_HEADINGS else sentence
    doc = structure.build(Source(path="<example>", text=text, encoding="utf-8", sha256=""))
    phrases = getattr(segmenter, "phrases", None)
    status = evaluate([rule], doc, None, segmenter, phrases)[0].status
    if phrases is not None:
        phrases.save()
    return status


def _concept_lines(rule: Rule) -> Text:
    text = Text()
    for name, c in rule.check.concepts.items():
        text.append(f"{c.label or name}", style="bold").append(f"  ({name})\n", style="dim")
        if c.any:
            text.append("  词语：").append("、".join(c.any) + "\n")
        for pat in c.regex:
            text.append("  模式：").append(pat + "\n", style="cyan")
        extras = []
        if c.fuzzy:
            extras.append(f"模糊匹配 ≥{c.fuzzy}")
        if c.tokens:
            extras.append("允许插入词")
        if c.boundary:
            extras.append("须在分词边界")
        if c.in_titles:
            extras.append("书名号内也算")
        if not c.headings:
            extras.append("标题中不算")
        if extras:
            text.append("  " + "；".join(extras) + "\n", style="dim")
        for key, ctx, label in (("near", c.near, "须同时出现"), ("not_near", c.not_near, "不得同时出现")):
            if ctx is not None:
                words = "、".join([*ctx.any, *ctx.regex])
                scope = {"sentence": "同一句", "paragraph": "同一段"}.get(ctx.within, f"{ctx.within} 字以内")
                text.append(f"  {label}（{scope}）：{words}\n", style="yellow")
    return text


def _conditions(rule: Rule) -> Text:
    check = rule.check
    labels = {name: (c.label or name) for name, c in check.concepts.items()}
    scope = {"sentence": "同一句", "paragraph": "同一段", "section": "同一节", "part": "同一部分", "document": "全文"}

    def one(cond) -> str:
        bits = []
        if cond.all:
            bits.append(" + ".join(labels[n] for n in cond.all))
        if cond.any:
            need = f"至少 {cond.min} 个" if cond.min > 1 else "任一"
            bits.append(f"{need}：" + " | ".join(labels[n] for n in cond.any))
        return "，".join(bits) + ("" if cond.within == "document" else f"（{scope[cond.within]}内）")

    text = Text()
    where = "、".join(PART_ZH.get(p, p) for p in rule.parts)
    if check.kind == "section":
        text.append(f"须有“{PART_ZH.get(check.part, check.part)}”部分，否则为缺失\n")
        if check.min_chars:
            text.append(f"该部分正文不足 {check.min_chars} 字：部分\n", style="yellow")
        if check.concepts:
            for cond in check.covered or [None]:
                text.append("已覆盖：", style="green").append(
                    f"该部分正文中有 {one(cond) if cond else '任一概念'}\n")
            text.append("否则：部分\n", style="yellow")
        else:
            text.append("已覆盖：有这一部分\n", style="green")
        return text
    for cond in check.covered or [None]:
        text.append("已覆盖：", style="green").append(f"{one(cond) if cond else '任一概念'}，出现在{where}\n")
    text.append("部分：", style="yellow").append("同样的内容只出现在其他部分（如存在的不足、下一年度安排）\n")
    for cond in check.partial:
        text.append("部分：", style="yellow").append(one(cond) + "\n")
    return text


def _trimmed(text: Text) -> Text:
    text.rstrip()  # in place
    return text


def _squash(text: str) -> str:
    """Folded YAML puts a space where a line broke; between Chinese characters it is noise."""
    text = " ".join(text.split())
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)


def show(registry: Registry, rule: Rule, segmenter=None) -> RichGroup:
    groups = group_titles(registry)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("规则", rule.id)
    grid.add_row("级别", f"{SEVERITY_ZH[rule.severity]}（{rule.severity}）")
    grid.add_row("依据", " ".join(rule.refs) or "—")
    grid.add_row("适用层级", _levels(rule))
    grid.add_row("纲要部分", groups.get(rule.group, rule.group or "—"))
    grid.add_row("在哪里找", "、".join(PART_ZH.get(p, p) for p in rule.parts))
    grid.add_row("所属 profile", "、".join(profiles_of(registry).get(rule.id, [])) or "—")
    grid.add_row("定义于", registry.sources.get(rule.id, "—"))
    if rule.description:
        grid.add_row("说明", _squash(rule.description))
    grid.add_row("提示", Text(rule.hint or "—", style="yellow"))
    out = [Panel(grid, title=rule.title, title_align="left", border_style="cyan")]
    if rule.check.concepts:
        out.append(Panel(_trimmed(_concept_lines(rule)), title="找什么", title_align="left"))
    out.append(Panel(_trimmed(_conditions(rule)), title="怎样算覆盖", title_align="left"))
    examples = Text()
    for label, sentence, want_hit in (("示例", rule.example, True), ("反例", rule.counter_example, False)):
        if not sentence:
            continue
        examples.append(f"{label}：", style="bold").append(sentence + "\n")
        if segmenter is not None:
            status = try_sentence(rule, sentence, segmenter)
            ok = (status == "covered") if want_hit else (status not in ("covered", "partial"))
            examples.append(f"  → 试运行：{STATUS_ZH.get(status, status)} ", style="green" if ok else "bold red")
            examples.append("✔\n" if ok else "✘ 与预期不符\n", style="green" if ok else "bold red")
    if examples:
        out.append(Panel(_trimmed(examples), title="例句", title_align="left"))
    return RichGroup(*out)


# --- check ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A problem found in a rule file: the file, the rule and field it is about, and the message."""

    file: str
    rule: str  # "" when the problem is not about one rule
    field: str  # "" when not about one field
    message: str

    def __str__(self) -> str:
        return ": ".join(x for x in (self.file, f"rule {self.rule}" if self.rule else "", self.field, self.message) if x)


_FIELD_RE = re.compile(r"^[A-Za-z_][\w.\-]*$")


def parse_registry_error(message: str) -> list[Problem]:
    """RegistryError messages are ``file: rule ID: field: msg`` pieces joined by '; '."""
    out = []
    for piece in message.split("; "):
        file, _, rest = piece.partition(": ")
        rule = fld = ""
        if rest.startswith("rule "):
            rule, _, rest = rest[5:].partition(": ")
        head, sep, tail = rest.partition(": ")
        if sep and _FIELD_RE.match(head):
            fld, rest = head, tail
        out.append(Problem(file=file, rule=rule, field=fld, message=rest or piece))
    return out


def _lint(rules: list[Rule], shown: str, groups: set[str], cites: dict[str, set[str]], segmenter) -> list[Problem]:
    # segmenter: a callable returning the segmenter, or None to skip the examples
    """What the schema accepts but a maintainer should fix."""
    out = []
    for r in rules:
        if r.severity != "info" and not r.hint.strip():
            out.append(Problem(shown, r.id, "hint", "缺少给起草人的提示（非 info 规则必须有 hint）"))
        if groups and r.group and r.group not in groups:
            out.append(Problem(shown, r.id, "group", f"{r.group!r} 不是任何 profile 的纲要部分（可用：{', '.join(sorted(groups))}）"))
        editions = cites.get(r.id)
        if editions is not None:
            for ref in r.refs:
                if ref.split(":", 1)[0] not in editions:
                    out.append(Problem(shown, r.id, "refs", f"{ref} 的版本不在所属 profile 的 cites 中，不会显示"))
        if segmenter is None:
            continue
        if r.example:
            status = try_sentence(r, r.example, segmenter)
            if status != "covered":
                out.append(Problem(shown, r.id, "example", f"示例句没有被本规则判为已覆盖（得到 {status}）"))
        if r.counter_example:
            status = try_sentence(r, r.counter_example, segmenter)
            if status in ("covered", "partial"):
                out.append(Problem(shown, r.id, "counter_example", f"反例句被本规则计入了（得到 {status}）"))
    return out


def _example_terms(rules_root: str | None) -> tuple[str, ...]:
    """The user-dictionary terms an audit would use, or none when the registry does not load."""
    from checker.rules import all_terms, cached_registry

    try:
        return tuple(all_terms(cached_registry(rules_root)))
    except RegistryError:
        return ()


def example_segmenter(rules_root: str | None = None):
    """The segmenter an audit would use (registry phrases in its user dictionary), or a
    plain one when the registry does not load."""
    from checker import nlp

    return nlp.get_segmenter(_example_terms(rules_root))


class ExampleSegmenter:
    """Loads the segmenter only when an example actually needs tokens."""

    def __init__(self, rules_root):
        from checker import nlp

        self.rules_root, self._seg = rules_root, None
        # registry phrases segmented once and cached beside the model, as in an audit
        self.phrases = nlp.PhraseWords(_example_terms(rules_root), self)

    def __call__(self):
        if self._seg is None:
            self._seg = example_segmenter(self.rules_root)
        return self._seg


def check(files: list[str], rules_root: str | None = None, examples: bool = True) -> list[Problem]:
    """Problems in the given rule files, or in the whole registry when none are given.

    A folder with a profiles/ subfolder is checked as a registry. Each rule file is
    validated on its own (so every problem in it is listed), then the registry as a whole
    (profiles, ids across files, groups). With a segmenter, examples and counter-examples
    are run through the matcher.
    """
    segmenter = ExampleSegmenter(rules_root) if examples else None
    problems: list[Problem] = []
    targets = [Path(f) for f in files] or [Path(rules_root) if rules_root else None]
    for target in targets:
        if target is None or target.is_dir():
            problems += _check_registry(target, segmenter)
            problems += _check_form_checks(target, examples)  # rules/checks/*.yaml (形式审查)
        elif target.is_file():
            problems += _check_draft(target, rules_root, segmenter)
        else:
            raise UsageError(f"规则文件不存在：{target}")
    return problems


def _check_form_checks(root: Path | None, examples: bool) -> list[Problem]:
    """The form checks of a registry folder: each loads, its examples behave, and no check
    id is also a coverage rule's id."""
    from checker.lint import CheckError, load_checks
    from checker.rules import default_root

    root = root or default_root()
    try:
        checks = load_checks(root, examples=examples)
    except CheckError as exc:
        return [Problem(f"{root.name}/checks", "", "", str(exc))]
    try:
        rule_ids = set(load_registry(root).all_rules())
    except RegistryError:
        return []
    return [Problem(f"{root.name}/checks", cid, "id", "与覆盖规则的编号重复") for cid in checks.ids() if cid in rule_ids]


def _shipped_groups(rules_root) -> set[str]:
    """The outline parts the registry's profiles know, for a draft checked on its own."""
    try:
        return set(group_titles(load_registry(rules_root)))
    except RegistryError:
        return set()


def _check_draft(path: Path, rules_root, segmenter) -> list[Problem]:
    try:
        rules = load_rule_file(path)
    except RegistryError as exc:
        return parse_registry_error(str(exc))
    return _lint(rules, str(path), _shipped_groups(rules_root), {}, segmenter)


def _check_registry(root: Path | None, segmenter) -> list[Problem]:
    from checker.rules import default_root

    root = root or default_root()
    files = sorted(root.glob("*.yaml"))
    problems: list[Problem] = []
    loaded: dict[str, list[Rule]] = {}
    for path in files:
        shown = f"{root.name}/{path.name}"
        try:
            loaded[shown] = load_rule_file(path, shown)
        except RegistryError as exc:
            problems += parse_registry_error(str(exc))
    if problems:
        return problems  # the registry cannot be assembled until each file is valid
    try:
        reg = load_registry(root)
    except RegistryError as exc:
        return parse_registry_error(str(exc))
    used = {reg.sources[rid] for rid in reg.sources}
    for shown in loaded:
        if shown not in used and loaded[shown]:
            problems.append(Problem(shown, "", "", "没有任何 profile 引用这个规则文件（profiles/*.yaml 的 files）"))
    cites: dict[str, set[str]] = {}
    for pid, rules in reg.rules.items():
        for rid in rules:
            cites.setdefault(rid, set()).update(reg.profiles[pid].cites)
    groups = set(group_titles(reg))
    for shown, rules in loaded.items():
        problems += _lint(rules, shown, groups, cites, segmenter)
    return problems
