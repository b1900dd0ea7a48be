"""CSV: one row per report × rule, for a spreadsheet.

A report that could not be read is one row with its error and no rule. Evidence is the
first quoted sentence; the waiver reason (if any) has its own column. The CLI writes a
UTF-8 byte-order mark in front when writing to a file, so spreadsheet programs that
guess the encoding read the Chinese correctly.
"""
from __future__ import annotations

import csv
import io

COLUMNS = [
    "file", "body", "level", "year", "profile", "coverage", "rule_id", "title", "severity",
    "status", "score", "section", "evidence", "waiver", "error",
]


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
        yield {**base, "status": "error", "error": report.error}
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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert_cell(value):
    """A cell a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
    apostrophe, as OWASP advises for CSV: the text stays readable, nothing is evaluated."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(reports, **_opts) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    for report in reports:
        writer.writerows({k: _inert_cell(v) for k, v in row.items()} for row in rows(report))
    return buf.getvalue()
