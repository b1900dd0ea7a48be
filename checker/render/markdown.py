"""Markdown: one section per report, for pasting into a review note or an issue."""
from __future__ import annotations

import html

from checker.render import FINDING_SEVERITY_ZH, PART_ZH, SEVERITY_ZH, STATUS_ICON, STATUS_ZH, level_zh, to_fix


def _esc(text) -> str:
    """A report's or a file name's text made inert: HTML escaped (a report's <script> is
    shown, not run, by a Markdown viewer), control characters shown as \\xNN."""
    from checker.limits import inert

    return html.escape(inert(str(text), keep_newlines=False), quote=False).replace("`", "&#96;")


def _code(text) -> str:
    """A file name as a code span: shown literally by Markdown, so only a backtick (which
    would end the span), a pipe (which would end the cell) and controls need care."""
    from checker.limits import inert

    return "`" + inert(" ".join(str(text).split()), keep_newlines=False).replace("`", "'").replace("|", "\\|") + "`"


def _cell(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return _esc(text).replace("|", "\\|")


def render_one(report) -> str:
    out: list[str] = []
    name = _esc(report.body or report.file)
    out.append(f"## {name}：法治政府建设年度报告检查")
    out.append("")
    if report.error:
        out.append(f"**无法检查**：{_esc(report.error)}")
        return "\n".join(out) + "\n"
    s = report.summary
    out += [
        "| 项目 | 内容 |",
        "| --- | --- |",
        f"| 文件 | {_code(report.file)} |",
        f"| 报告主体 | {_cell(report.body or '未识别')} |",
        f"| 层级 | {level_zh(report.level)}（{_cell(report.level_reason)}） |",
        f"| 报告年度 | {report.year or '未识别'}（{_cell(report.year_reason)}） |",
        f"| 检查依据 | {report.profile_title}（{_cell(report.profile_reason)}） |",
        f"| 覆盖率 | **{s.coverage}%**：已覆盖 {s.covered}，部分 {s.partial}，缺失 {s.missing}，不适用 {s.not_applicable} |",
        *(
            [f"| 纲要任务 | 适用 {s.tasks['applicable']} 项：已覆盖 {s.tasks['covered']}，部分 {s.tasks['partial']}，"
             f"缺失 {s.tasks['missing']}，不适用 {s.tasks['not_applicable']} |"]
            if s.tasks else []
        ),
        "",
    ]
    for note in report.notes:
        out.append(f"> {_esc(note)}")
    if report.notes:
        out.append("")
    out += ["| 状态 | 要素 | 要求 | 得分 | 位置 | 证据 |", "| --- | --- | --- | --- | --- | --- |"]
    for r in report.results:
        ev = r.evidence[0] if r.evidence else None
        where = _cell(ev.section or PART_ZH.get(ev.part, ""), 30) if ev else ""
        quote = f"“{_cell(ev.text, 60)}”" if ev else ""
        if r.waiver:  # a reviewer's decision: why, who, until when
            w = r.waiver
            who = f"，{w['by']}" if w.get("by") else ""
            until = f"，至 {w['until']}" if w.get("until") else ""
            quote = (quote + " " if quote else "") + f"⊘ 豁免：{_cell(w.get('reason', ''), 60)}{who}{until}"
        out.append(
            f"| {STATUS_ICON[r.status]} {STATUS_ZH[r.status]} | {_cell(r.title, 40)} `{r.id}` | "
            f"{SEVERITY_ZH.get(r.severity, r.severity)} | {r.score} | {where} | {quote} |"
        )
    fixes = to_fix(report)
    if fixes:
        out += ["", "### 需要补充", ""]
        for r in fixes:
            extra = _esc("；".join(r.notes))
            out.append(
                f"- **{STATUS_ZH[r.status]}**（{SEVERITY_ZH.get(r.severity, r.severity)}）{r.title}：{r.hint}"
                + (f"（{extra}）" if extra else "")
            )
    out += findings_lines(report)  # 形式审查
    return "\n".join(out) + "\n"




def findings_lines(report) -> list[str]:
    """形式审查 as a list: severity, message, the text and the suggested replacement."""
    findings = getattr(report, "findings", None) or []
    if not findings:
        return []
    out = ["", "### 形式审查", ""]
    for f in findings:
        sev = "已豁免" if f.waiver else FINDING_SEVERITY_ZH.get(f.severity, f.severity)
        quote = f"：“{_cell(f.text, 60)}”" if f.text else ""
        fix = f" → “{_cell(f.replacement, 60)}”" if f.replacement is not None else ""
        out.append(f"- **{sev}** {_esc(f.message)} `{f.check}`{quote}{fix}")
    return out


def render(reports, **_opts) -> str:
    return "\n".join(render_one(r) for r in reports)
