"""CSV: one row per report × rule, for a spreadsheet.

Headers and values are in Chinese by default (状态 已覆盖/部分/缺失…, 层级 县级…); with
``english=True`` the columns keep their English keys and values, as in the JSON, for
scripts. A report that could not be read is one row with its error and no rule. Evidence
is the first quoted sentence; the waiver reason (if any) has its own column. The CLI
writes a UTF-8 byte-order mark in front when writing to a file, so spreadsheet programs
that guess the encoding read the Chinese correctly.

No cell can be read as a formula: text from a report (a file name, a sentence) that starts
with ``= + - @`` or a tab or carriage return gets a leading apostrophe (``neutralise``), the
usual defence against CSV injection — spreadsheet programs show the text as it was.
"""
from __future__ import annotations

import csv
import io

from checker.render import SEVERITY_ZH, STATUS_ZH, level_zh

COLUMNS = [
    "file", "body", "level", "year", "profile", "coverage", "rule_id", "title", "severity",
    "status", "score", "section", "evidence", "waiver", "error",
]
HEADERS_ZH = {
    "file": "文件", "body": "报告主体", "level": "层级", "year": "报告年度", "profile": "检查依据",
    "coverage": "覆盖率（%）", "rule_id": "规则编号", "title": "要素", "severity": "级别",
    "status": "状态", "score": "得分", "section": "位置", "evidence": "证据", "waiver": "豁免理由",
    "error": "错误",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A value safe to put in a spreadsheet cell: text that a spreadsheet would read as a
    formula gets a leading apostrophe; numbers and other text are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def rows(report):
    base = {
        "file": report.file,
        "body": report.body or "",
        "level": report.level or "",
        "year": report.year or "",
        "profile": report.profile,
        "coverage": "" if report.error else report.summary.coverage,
    }
    if report.error:
        yield {**base, "status": "error" if report.summary.exit_status else "skipped", "error": report.error}
        return
    for r in report.results:
        ev = r.evidence[0] if r.evidence else None
        yield {
            **base,
            "rule_id": r.id,
            "title": r.title,
            "severity": r.severity,
            "status": r.status,
            "score": r.score,
            "section": ev.section if ev else "",
            "evidence": ev.text if ev else "",
            "waiver": (r.waiver or {}).get("reason", ""),
        }


def _zh(row: dict, report) -> dict:
    out = dict(row)
    if out.get("level"):
        out["level"] = level_zh(out["level"])
    if report.profile_title:
        out["profile"] = report.profile_title
    if out.get("severity"):
        out["severity"] = SEVERITY_ZH.get(out["severity"], out["severity"])
    if out.get("status"):
        out["status"] = STATUS_ZH.get(out["status"], {"error": "出错", "skipped": "未检查"}.get(out["status"], out["status"]))
    return {HEADERS_ZH[k]: v for k, v in out.items()}


def render(reports, english: bool = False, **_opts) -> str:
    buf = io.StringIO()
    fields = COLUMNS if english else [HEADERS_ZH[c] for c in COLUMNS]
    writer = csv.DictWriter(buf, fieldnames=fields, restval="", lineterminator="\r\n")
    writer.writeheader()
    for report in reports:
        for row in rows(report):
            row = row if english else _zh(row, report)
            writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buf.getvalue()


def header(english: bool = False) -> str:
    """The header line alone (a streamed batch writes it first, then ``report_lines``)."""
    return render([], english=english)


def report_lines(report, english: bool = False) -> str:
    """One report's lines without the header: ``header() + report_lines(a) + report_lines(b)``
    is ``render([a, b])``."""
    return render([report], english=english)[len(header(english)):]
