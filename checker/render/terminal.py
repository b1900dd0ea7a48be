"""The rich terminal view a reviewer reads at a glance.

Header (file, body, level, year, profile, and how each was decided), one table row per
rule grouped by outline part with a coverage bar per part, a summary, and the list of
what to add with hints.
"""
from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from checker.render import FINDING_SEVERITY_ZH, PART_ZH, SEVERITY_ZH, STATUS_ICON, STATUS_ZH, kind_zh, level_zh, to_fix

STYLE = {
    "covered": "bold green",
    "partial": "bold yellow",
    "missing": "bold red",
    "not_applicable": "dim",
    "waived": "bold blue",
}
QUOTE_LEN = 70


def bar(covered: int, partial: int, missing: int, width: int = 12) -> Text:
    total = covered + partial + missing
    text = Text()
    if not total:
        return text.append("─" * width, style="dim")
    c = round(width * covered / total)
    p = round(width * partial / total)
    m = max(0, width - c - p)
    # three different glyphs, so the bar reads without colour too
    text.append("█" * c, style="green").append("▓" * p, style="yellow").append("░" * m, style="red")
    return text


def _quote(ev) -> Text:
    """The evidence sentence, trimmed around the match, with the match highlighted."""
    text = ev.text
    if ev.match and ev.match_end > ev.match_start:
        s = ev.match_start - ev.start
        e = ev.match_end - ev.start
    else:
        s = e = 0
    if len(text) > QUOTE_LEN:
        left = max(0, min(s - 20, len(text) - QUOTE_LEN))
        right = left + QUOTE_LEN
        prefix = "…" if left > 0 else ""
        suffix = "…" if right < len(text) else ""
        text = text[left:right]
        s, e = s - left, e - left
    else:
        prefix = suffix = ""
    out = Text("“" + prefix, style="italic")
    if 0 <= s < e <= len(text):
        out.append(text[:s], style="italic").append(text[s:e], style="bold italic underline")
        out.append(text[e:], style="italic")
    else:
        out.append(text, style="italic")
    out.append(suffix + "”", style="italic")
    kind = KIND_ZH.get(getattr(ev, "kind", ""), "")
    return out.append(f"［{kind}］", style="dim") if kind else out


# what an evidence sentence is (Evidence.kind), as a reviewer reads it
KIND_ZH = {"deed": "具体做法", "passing": "顺带提及", "heading": "标题", "slogan": "口号式表述",
           "plan": "计划", "problem": "问题"}


def header(report, config: str | None = None) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    grid.add_row("文件", report.file)
    grid.add_row("文本类型", Text(kind_zh(report)).append(f"  {report.kind_reason}", style="dim"))
    grid.add_row("报告主体", report.body or "未识别")
    grid.add_row("层级", Text(level_zh(report.level)).append(f"  {report.level_reason}", style="dim"))
    grid.add_row("报告年度", Text(str(report.year or "未识别")).append(f"  {report.year_reason}", style="dim"))
    grid.add_row("检查依据", Text(report.profile_title).append(f"  {report.profile_reason}", style="dim"))
    t = report.summary.tasks
    if t:
        line = Text(f"适用 {t['applicable']} 项：", style="bold")
        line.append(f"已覆盖 {t['covered']}", style="green").append(" · ")
        line.append(f"部分 {t['partial']}", style="yellow").append(" · ")
        line.append(f"缺失 {t['missing']}", style="red")
        if t.get("waived"):
            line.append(" · ").append(f"已豁免 {t['waived']}", style="blue")
        if t["not_applicable"]:
            line.append(f"（另有 {t['not_applicable']} 项不适用于本级）", style="dim")
        grid.add_row("纲要任务", line)
    if report.date:
        grid.add_row("成文日期", report.date)
    if config is not None:  # the configuration file applied, or that none was
        grid.add_row("配置文件", Text(config or "无（未找到或未使用配置文件）", style="" if config else "dim"))
    for note in report.notes:
        grid.add_row("说明", Text(note, style="yellow"))
    return Panel(grid, title="法治政府建设年度报告检查", title_align="left", border_style="cyan")


def _where(ev) -> str:
    """The innermost heading of the evidence's section (the full path is in JSON/Markdown)."""
    if not ev.section:
        return PART_ZH.get(ev.part, "")
    last = ev.section.split(" › ")[-1]
    return last if len(last) <= 22 else last[:21] + "…"


def results_table(report, width: int = 120) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("状态", no_wrap=True, width=8)
    table.add_column("要素", ratio=3, overflow="fold")
    table.add_column("得分", justify="right", no_wrap=True, width=4)
    table.add_column("位置 · 证据", ratio=6, overflow="fold")
    titles = {g["id"]: g["title"] for g in report.groups}
    groups: dict[str, list] = {}
    for r in report.results:
        groups.setdefault(r.group, []).append(r)
    for gid, rows in groups.items():
        c = sum(r.status == "covered" for r in rows)
        p = sum(r.status == "partial" for r in rows)
        m = sum(r.status == "missing" for r in rows)
        head = Text(titles.get(gid, gid or "其他"), style="bold cyan")
        summary = bar(c, p, m, width=10).append(f" {c}/{c + p + m} 已覆盖", style="dim")
        table.add_row(Text("▌", style="cyan"), head, "", summary, end_section=False)
        for r in rows:
            ev = r.evidence[0] if r.evidence else None
            cell = Text()
            if ev:
                where = _where(ev)
                if where and where != ev.text:
                    cell.append(where + "  ", style="cyan dim")
                cell.append_text(_quote(ev))
            else:
                cell.append("—", style="dim")
            if r.notes:
                cell.append("\n" + "；".join(r.notes), style="yellow")
            if r.waiver:  # a reviewer's decision: why, who, how long
                w = r.waiver
                who = "".join(f"，{x}" for x in (w.get("by"), w.get("until") and f"至 {w['until']}") if x)
                cell.append(f"\n⊘ 豁免：{w.get('reason', '')}{who}", style="blue")
            name = Text(r.title)
            if width >= 100:
                name.append(f"\n{r.id}", style="dim")
            if width >= 120 and r.refs:
                name.append(" · " + " ".join(r.refs), style="dim")
            table.add_row(
                Text(f"{STATUS_ICON[r.status]} {STATUS_ZH[r.status]}", style=STYLE[r.status]),
                name,
                str(r.score) if r.status != "not_applicable" else "",
                cell,
            )
    return table


def summary_panel(report) -> Panel:
    s = report.summary
    text = Text()
    text.append(f"覆盖率 {s.coverage}%  ", style="bold")
    text.append_text(bar(s.covered, s.partial, s.missing, width=24))
    text.append(f"\n已覆盖 {s.covered}", style="green").append("  ·  ")
    text.append(f"部分 {s.partial}", style="yellow").append("  ·  ")
    text.append(f"缺失 {s.missing}", style="red").append("  ·  ")
    text.append(f"不适用 {s.not_applicable}", style="dim")
    if s.waived:
        text.append("  ·  ").append(f"已豁免 {s.waived}", style="blue")
    if s.errors_failing:
        text.append(f"\n✘ {s.errors_failing} 项必备要素缺失或不完整（退出码 1）", style="bold red")
    elif s.exit_status:  # --fail-under: the coverage figure is below the gate
        text.append(f"\n✘ 覆盖率低于门槛（退出码 {s.exit_status}）", style="bold red")
    else:
        text.append("\n✔ 必备要素齐全（退出码 0）", style="bold green")
    return Panel(text, title="小结", title_align="left", border_style="green" if not s.exit_status else "red")


def fixes_panel(report) -> Panel | None:
    fixes = [r for r in to_fix(report) if r.severity != "info"]
    if not fixes:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for r in fixes:
        label = Text(f"{STATUS_ICON[r.status]} {STATUS_ZH[r.status]}", style=STYLE[r.status])
        body = Text(r.title, style="bold").append(f"（{SEVERITY_ZH.get(r.severity, r.severity)}）", style="dim")
        body.append(f"\n{r.hint}")
        if r.notes:
            body.append("\n" + "；".join(r.notes), style="yellow")
        table.add_row(label, body)
    return Panel(table, title="需要补充", title_align="left", border_style="yellow")


def verdict_text(report) -> Text:
    """The view's last line: pass or fail, and why — the failing required items by name."""
    from checker.render.matrix import verdict_line

    text, style = verdict_line(report)
    return Text(text, style=style)


def print_report(report, console: Console, details: bool = True, config: str | None = None) -> None:
    if report.error:
        console.print(Text(f"✘ {report.file}: {report.error}", style="bold red"))
        return
    console.print(header(report, config))
    if not report.is_report:  # the header says what the text is; no table of verdicts it never had
        console.print(verdict_text(report))
        return
    console.print(results_table(report, console.width))
    console.print(summary_panel(report))
    _print_findings(report, console)  # 形式审查
    if details:
        panel = fixes_panel(report)
        if panel is not None:
            console.print(panel)
    console.print(verdict_text(report))


FINDING_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def findings_panel(report) -> Panel | None:
    """形式审查: what is wrong on the page (never part of coverage), each with its place
    and the suggested text."""
    findings = getattr(report, "findings", None) or []
    if not findings:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for f in findings:
        sev = FINDING_SEVERITY_ZH.get(f.severity, f.severity)
        label = Text(f"{'⊘ 已豁免' if f.waiver else sev}", style="blue" if f.waiver else FINDING_STYLE.get(f.severity, ""))
        body = Text(f.message, style="bold")
        if f.text:
            quoted = f.text if len(f.text) <= QUOTE_LEN else f.text[:QUOTE_LEN] + "…"
            body.append("\n“").append(quoted, style="red").append("”")
            if f.replacement is not None:
                body.append(" → “").append(f.replacement, style="green").append("”")
        where = f.section or (f"第 {f.paragraph + 1} 段" if f.paragraph is not None else "")
        if where:
            body.append(f"\n{where}", style="dim")
        if f.fix:
            body.append(f"  {f.fix}", style="dim")
        for r in f.related[:3]:
            body.append(f"\n  ↳ {r.get('body') or r.get('file', '')} 第 {r.get('line', '?')} 行", style="dim")
        table.add_row(label, body)
    counts = {s: sum(1 for f in findings if f.severity == s and not f.waiver) for s in ("error", "warning", "info")}
    title = "形式审查（" + " · ".join(f"{FINDING_SEVERITY_ZH[k]} {v}" for k, v in counts.items() if v) + "）"
    return Panel(table, title=title, title_align="left", border_style="red" if counts["error"] else "yellow")




def _print_findings(report, console: Console) -> None:
    panel = findings_panel(report)
    if panel is not None:
        console.print(panel)


def render(reports, width: int = 140, color: bool = False, **_opts) -> str:
    """Render to a string (for --output files or tests)."""
    console = Console(width=width, force_terminal=color, color_system="truecolor" if color else None)
    with console.capture() as captured:  # what is captured is never recorded: export_text() was empty
        for r in reports:
            print_report(r, console)
    return captured.get()


__all__ = ["print_report", "render", "bar", "Group"]
