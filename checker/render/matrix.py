"""The batch view: one row per report (body, level, year), a column per named rule, the
coverage figure and the verdict; a legend and totals under it.

The named rules are the ones every profile carries (the four elements users name first and
the report's required parts); the outline articles are in the coverage figure and in the
per-report details (``--details``).
"""
from __future__ import annotations

from pathlib import PurePath

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.render import STATUS_ICON, STATUS_ZH, kind_zh, level_zh
from checker.render.terminal import STYLE, bar

MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def named_columns(registry) -> list[tuple[str, str]]:
    """(id, title) of the rules every profile carries, in the newest profile's order; with a
    single profile, its error-level rules."""
    profiles = sorted(registry.profiles.values(), key=lambda p: p.years[0])
    newest = registry.rules[profiles[-1].id]
    if len(profiles) > 1:
        common = set.intersection(*(set(registry.rules[p.id]) for p in profiles))
    else:
        common = {rid for rid, rule in newest.items() if rule.severity == "error"}
    # optional (info) contents are not among the elements a reviewer scans for
    common = {rid for rid in common if newest[rid].severity != "info"}
    return [(rid, rule.title) for rid, rule in newest.items() if rid in common][: len(MARKS)]


def verdict(report) -> tuple[str, str]:
    """(label, style) of a report's exit status."""
    status = report.summary.exit_status
    if report.error:  # a table or a note skipped in a folder does not fail the batch
        return ("– 未检查", "dim") if not status else ("✘ 出错", "bold red")
    if not report.is_report:  # the row says what the text is instead ("✘ 讲话稿")
        return f"✘ {kind_zh(report) if getattr(report, 'kind', 'report') not in ('report', 'other') else '非年度报告'}", "bold red"
    if report.summary.errors_failing:
        return "✘ 未通过", "bold red"
    if status:  # nothing required is missing, but the coverage figure is under --fail-under
        return "✘ 低于门槛", "bold red"
    return "✔ 通过", "bold green"


def failing(report) -> list:
    """The required (error-level) results that fail the report: missing first, then partial,
    in rule order. Waived rules are not among them."""
    if report.error:
        return []
    bad = [r for r in report.results if r.severity == "error" and r.status in ("missing", "partial")]
    return sorted(bad, key=lambda r: r.status != "missing")


def why(report, short: bool = False) -> str:
    """Why a report passes or fails, in words: the failing required items by name
    (``short``: names only, for a one-line cell)."""
    if report.error:
        return report.error
    if not report.is_report:  # what the text is, not 39 missing items it was never meant to have
        reason = getattr(report, "kind_reason", "") or "这份文本不像法治政府建设年度报告"
        return reason.split("：")[0] if short else reason
    bad = failing(report)
    if bad:
        if short:
            return "、".join(r.title for r in bad)
        parts = []
        for status in ("missing", "partial"):
            names = [r.title for r in bad if r.status == status]
            if names:
                parts.append(f"{STATUS_ZH[status]}：" + "、".join(names))
        return "；".join(parts)
    if report.summary.exit_status:
        return f"覆盖率 {report.summary.coverage}% 低于门槛"
    return "必备要素齐全"


def verdict_line(report) -> tuple[str, str]:
    """(text, style) of the one line a view ends with: pass or fail, and why."""
    label, style = verdict(report)
    return f"{label}（退出码\u00a0{report.summary.exit_status}）：{why(report)}", style


def _name(report, unique: bool) -> str:
    return PurePath(report.file).name if unique else report.file


def _names_unique(reports) -> bool:
    names = [PurePath(r.file).name for r in reports]
    return len(set(names)) == len(names)


SHORT_LEVEL = {"province": "省", "city": "市", "county": "县", "township": "乡镇", "department": "部门"}


def matrix_table(reports, columns: list[tuple[str, str]], width: int = 120) -> Table:
    """One line per report: the file name gets what the other columns leave (the body says
    which report it is); below ~80 columns rich squeezes the rest."""
    unique = _names_unique(reports)
    body_w = min(16, max([cell_len(r.body or "未识别") for r in reports] + [4]))
    longest = max([cell_len(_name(r, unique)) for r in reports] + [4])
    console = Console(width=10_000)
    # give up what matters least first: the file name, then the bar (the figure stays),
    # then the body's name
    attempts = [(f, body_w, True) for f in range(longest, 5, -1)]
    attempts += [(6, body_w, False)] + [(6, b, False) for b in range(body_w - 1, 5, -1)]
    # the reasons column ("what fails") is cut before anything else, down to ~8 characters
    reasons = max([cell_len(why(r, short=True)) for r in reports if r.summary.exit_status] + [0])
    why_widths = sorted({min(reasons, w) for w in (40, 24, 16)}, reverse=True) + [0] if reasons else [0]
    for why_w in why_widths:
        for file_w, body, with_bar in attempts:
            table = _matrix(reports, columns, unique, file_w, body, with_bar, why_w)
            if console.measure(table).maximum <= width:
                return table
    return table


def _matrix(reports, columns, unique: bool, file_w: int, body_w: int, with_bar: bool = True,
            why_w: int = 0) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0), collapse_padding=True)
    table.add_column("#", justify="right", no_wrap=True, style="dim")
    # one line per report: a long file name is cut (the body says which report it is)
    table.add_column("报告", no_wrap=True, overflow="ellipsis", width=file_w)
    table.add_column("主体", no_wrap=True, overflow="ellipsis", width=body_w)
    table.add_column("层级", no_wrap=True, width=4)
    table.add_column("年度", no_wrap=True, width=4)
    for i, _ in enumerate(columns):
        table.add_column(MARKS[i], justify="center", no_wrap=True)
    table.add_column("覆盖率", no_wrap=True, width=13 if with_bar else 6)
    table.add_column("结果", no_wrap=True, width=10)
    if why_w:
        table.add_column("未通过的必备项", no_wrap=True, overflow="ellipsis", max_width=max(why_w, 8))
    for n, report in enumerate(reports, start=1):
        label, style = verdict(report)
        reason = [Text(why(report, short=True) if report.summary.exit_status and not report.error else "",
                       style="red")] if why_w else []
        if report.error:
            blank = Text("—", style="dim")
            table.add_row(str(n), _name(report, unique), blank, blank, blank, *[Text("")] * len(columns), blank,
                          Text(label, style=style), *reason)
            continue
        by_id = {r.id: r for r in report.results}
        cells = []
        for rid, _ in columns:
            r = by_id.get(rid)
            if r is None:
                cells.append(Text("·", style="dim"))
            else:  # an optional (info) content never fails a report: no alarm colour
                cells.append(Text(STATUS_ICON[r.status], style="dim" if r.severity == "info" else STYLE[r.status]))
        s = report.summary
        cov = bar(s.covered, s.partial, s.missing, width=6).append(" ") if with_bar else Text()
        cov.append(f"{s.coverage:5.1f}%")
        table.add_row(
            str(n), _name(report, unique), report.body or Text("未识别", style="dim"),
            SHORT_LEVEL.get(report.level or "", "?"), str(report.year or "—"), *cells, cov, Text(label, style=style),
            *reason,
        )
    return table


def errors(reports) -> Text | None:
    """The reports that could not be read, each with its reason (under the table)."""
    text = Text()
    for n, report in enumerate(reports, start=1):
        if report.error:
            text.append(f"✘ #{n} ", style="bold red").append(f"{report.file}：{report.error}\n", style="red")
    text.rstrip()
    return text or None


def legend(columns: list[tuple[str, str]]) -> Text:
    text = Text()
    for i, (rid, title) in enumerate(columns):
        text.append(f"{MARKS[i]} ", style="bold").append(title).append(f"  {rid}\n", style="dim")
    for status in ("covered", "partial", "missing", "not_applicable", "waived"):
        text.append(f"{STATUS_ICON[status]} {STATUS_ZH[status]}", style=STYLE[status]).append("   ")
    return text


def totals(reports) -> Text:
    ok = sum(1 for r in reports if not r.error and r.summary.exit_status == 0)
    failing = sum(1 for r in reports if not r.error and r.summary.exit_status)
    skipped = sum(1 for r in reports if r.error and r.error.startswith("未检查："))  # batch.SKIPPED
    unreadable = sum(1 for r in reports if r.error) - skipped
    read = [r.summary.coverage for r in reports if not r.error]
    worst = max((r.summary.exit_status for r in reports), default=0)
    text = Text(f"{len(reports)} 份报告：", style="bold")
    text.append(f"通过 {ok}", style="green").append(" · ").append(f"未通过 {failing}", style="red")
    text.append(" · ").append(f"无法读取 {unreadable}", style="red" if unreadable else "dim")
    if skipped:
        failed_skip = any(r.error and r.error.startswith("未检查：") and r.summary.exit_status for r in reports)
        text.append(" · ").append(f"未检查 {skipped}", style="red" if failed_skip else "dim")
    if read:
        text.append(f" · 平均覆盖率 {sum(read) / len(read):.1f}%")
    return text.append(f" · 退出码 {worst}", style="bold")


def findings_counts(reports) -> Table | None:
    """形式审查 per report: errors, warnings, notes and copied paragraphs (under the matrix)."""
    if not any(getattr(r, "findings", None) for r in reports):
        return None
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0), title="形式审查",
                  title_justify="left")
    for name in ("#", "错误", "警告", "提示", "雷同段落"):
        table.add_column(name, justify="right", no_wrap=True)
    for n, report in enumerate(reports, start=1):
        fs = [f for f in getattr(report, "findings", []) if f.waiver is None]
        if report.error or not fs:
            continue
        count = {s: sum(1 for f in fs if f.severity == s) for s in ("error", "warning", "info")}
        copies = sum(1 for f in fs if f.check.startswith("copy-"))
        table.add_row(str(n), Text(str(count["error"]), style="bold red" if count["error"] else "dim"),
                      Text(str(count["warning"]), style="yellow" if count["warning"] else "dim"),
                      Text(str(count["info"]), style="dim"), Text(str(copies), style="yellow" if copies else "dim"))
    return table


def _print_findings_counts(reports, console: Console) -> None:
    table = findings_counts(reports)
    if table is not None:
        console.print(table)


def print_matrix(reports, columns: list[tuple[str, str]], console: Console) -> None:
    console.print(matrix_table(reports, columns, console.width))
    problems = errors(reports)
    if problems is not None:
        console.print(problems)
    console.print(legend(columns))
    _print_findings_counts(reports, console)  # 形式审查
    console.print(totals(reports))


def render(reports, columns: list[tuple[str, str]] = (), width: int = 140, color: bool = False, **_opts) -> str:
    console = Console(width=width, force_terminal=color, color_system="truecolor" if color else None)
    with console.capture() as captured:
        print_matrix(reports, list(columns), console)
    return captured.get()


def markdown_index(reports, columns: list[tuple[str, str]]) -> str:
    """The same matrix as a Markdown table, placed before the per-report sections."""
    from checker.render.markdown import _cell as md_cell, _code

    def cell(value) -> str:  # escaped as in the per-report sections
        return md_cell(value, 10**6)

    head = ["#", "报告", "主体", "层级", "年度", *(MARKS[i] for i in range(len(columns))), "覆盖率", "结果"]
    out = ["## 报告一览", "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for n, report in enumerate(reports, start=1):
        label, _ = verdict(report)
        if report.error:
            blanks = [""] * (len(columns) + 3)
            out.append("| " + " | ".join([str(n), _code(report.file), cell(report.error), *blanks, label]) + " |")
            continue
        by_id = {r.id: r for r in report.results}
        marks = [STATUS_ICON[by_id[rid].status] if rid in by_id else "·" for rid, _ in columns]
        out.append("| " + " | ".join([
            str(n), _code(report.file), cell(report.body or "未识别"), level_zh(report.level),
            str(report.year or "—"), *marks, f"{report.summary.coverage}%",
            cell(f"{label}：{why(report, short=True)}" if report.summary.exit_status else label),
        ]) + " |")
    out.append("")
    out += [f"{MARKS[i]} {cell(title)}（`{rid}`）  " for i, (rid, title) in enumerate(columns)]
    out.append("")
    return "\n".join(out) + "\n"
