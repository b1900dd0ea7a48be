"""形式审查: what a reviewer marks in red on the page, beyond coverage.

Checks are data (rules/checks/*.yaml, verified when loaded: ``registry``); how they run
is code (``engine`` for text checks, ``compare`` for comparisons, ``copies`` for copying
across reports). The lint stage runs after match and only adds ``AuditReport.findings``:
findings never change coverage. Their severity can fail the run (``--fail-on``), and
waivers and select/ignore apply to checks as to coverage rules.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from checker.lint.engine import Context, run
from checker.lint.registry import COPY_CHECKS, Check, CheckError, CheckRegistry, cached_checks, load_checks
from checker.model import AuditReport, Document, Finding

__all__ = ["lint_document", "settle", "after_audit", "cached_checks", "load_checks", "Check", "CheckError",
           "CheckRegistry", "Context", "failing"]

FAILING = {"error": {"error"}, "warning": {"error", "warning"}, "info": {"error", "warning", "info"}}


def lint_document(doc: Document, checks: CheckRegistry, selected, severity: dict, level: str | None,
                  year: int | None = None, published: dt.date | None = None) -> list[Finding]:
    """The lint stage: every selected check on one document."""
    if not doc.meta.is_report or not checks.checks:
        return []
    ctx = Context(year=year if year is not None else doc.meta.year, level=level, published=published,
                  editions=checks.editions,
                  laws_file=str(checks.root / "checks" / "data" / "laws.yaml") if checks.root else None)
    return run(doc, checks, ctx, selected, severity)


def failing(report: AuditReport, fail_on: str = "error") -> list[Finding]:
    levels = FAILING.get(fail_on, {"error"})
    return [f for f in report.findings if f.waiver is None and f.severity in levels]


def settle(report: AuditReport, fail_on: str = "error") -> None:
    """After the summary is computed: findings at a failing severity make the exit status 1."""
    if report.error:
        return
    bad = failing(report, fail_on)
    if bad:
        report.summary.exit_status = max(report.summary.exit_status, 1)
        report.notes.append(f"形式审查有 {len(bad)} 处问题达到 fail-on 级别（{fail_on}），退出码 1")


def _owner(report: AuditReport) -> str:
    return report.body or report.file


def comparable(report: AuditReport | None, text: str | None) -> bool:
    """A report the copy checks compare: read, audited, and a report."""
    return report is not None and not report.error and bool(text) and report.is_report


def add_to_batch(batch, key: int, report: AuditReport, text: str | None, made=None) -> None:
    """A report, as it comes in, into a copies.Batch for ``after_audit(batch=…)``; ``made``:
    its copies.sketch when a pool worker made it."""
    if comparable(report, text):
        batch.add(key, text, _owner(report), made)


def _copy_finding(check: Check, severity: str, para, message: str, related: list[dict]) -> Finding:
    return Finding(check=check.id, message=message, severity=severity, start=para.start, end=para.end,
                   text=para.text, replacement=None, fix=check.fix, related=related)


def _previous_findings(check, severity, text, previous_text, previous_name) -> list[Finding]:
    from checker.lint import copies

    pairs, share = copies.carried_over(text, previous_text)
    return [_copy_finding(check, severity, p,
                          f"{check.message}：与上年报告第 {q.key[1] + 1} 行基本相同（约 {share:.0%} 的段落沿用上年）",
                          [{"file": previous_name, "line": q.key[1] + 1, "start": q.start, "end": q.end,
                            "share": round(share, 3)}])
            for p, q in pairs]


def _locate(report: AuditReport, findings: list[Finding], text: str) -> None:
    """Paragraph numbers for copy findings (the normalised text's lines are its paragraphs)."""
    for f in findings:
        f.paragraph = text.count("\n", 0, f.start)


_PREVIOUS: tuple | None = None  # ((path, mtime, size), text) of the last --previous read


def previous_text(previous: str | Path) -> str:
    """Last year's report, normalised (``--previous``): read once for as long as the file
    does not change — a stream checks it against every row (and a PDF may need OCR)."""
    global _PREVIOUS
    import os

    try:
        st = os.stat(previous)
        key = (os.fspath(previous), st.st_mtime_ns, st.st_size)
    except OSError:
        key = None  # ingest.read says what is wrong with it
    if key is not None and _PREVIOUS is not None and _PREVIOUS[0] == key:
        return _PREVIOUS[1]
    from checker import ingest

    text = ingest.read(previous).text
    _PREVIOUS = (key, text) if key is not None else None
    return text


def after_audit(rows, checks: CheckRegistry, previous: str | Path | None = None,
                published: dt.date | None = None, batch=None) -> set[int]:
    """Checks that need more than one report (copying) or a fact from the command line
    (``--published``); findings are added to each row's report, before waivers and fail-on.
    ``batch``: a copies.Batch the rows' reports were added to as they were audited (keyed by
    row index), so the batch's shared paragraphs are already found. Returns the indices of
    the rows whose findings it changed; every other row's report is as ``order_findings``
    leaves it."""
    from checker.lint import compare
    from checker.pipeline import _selected

    live = [r for r in rows if comparable(r.report, r.text)]
    changed: set[int] = set()

    def wanted(row, cid):
        check = checks.checks.get(cid)
        if check is None or not _selected(cid, row.settings.options):
            return None, None
        return check, row.settings.options.severity.get(cid, check.severity)

    if published is not None:
        for row in live:
            check, sev = wanted(row, "publication-date")
            if check is None:
                continue
            rep = row.report
            rep.findings = [f for f in rep.findings if f.check != check.id]
            for f in compare.publication_finding(check, rep.year, rep.level, published):
                f.severity = sev
                rep.findings.append(f)
            changed.add(row.index)
    prev_text = previous_text(previous) if previous is not None else None
    by_owner: dict[tuple[str, int], object] = {}
    for row in live:
        if row.report.year is not None:
            by_owner.setdefault((_owner(row.report), row.report.year), row)
    for row in live:
        check, sev = wanted(row, "copy-previous")
        if check is None:
            continue
        found = []
        if prev_text is not None:
            found = _previous_findings(check, sev, row.text, prev_text, str(previous))
        elif row.report.year is not None:
            last = by_owner.get((_owner(row.report), row.report.year - 1))
            if last is not None:
                found = _previous_findings(check, sev, row.text, last.text, last.report.file)
        _locate(row.report, found, row.text)
        row.report.findings.extend(found)
        if found:
            changed.add(row.index)
    if len(live) > 1:
        if batch is not None:  # made while the reports came in, keyed by row index
            by_key = {r.index: r for r in live}
            shared = batch.shared()
        else:
            from checker.lint import copies

            by_key = dict(enumerate(live))
            shared = copies.shared_across([r.text for r in live], [_owner(r.report) for r in live])
        for i, items in shared.items():
            row = by_key.get(i)
            if row is None:
                continue
            check, sev = wanted(row, "copy-batch")
            if check is None:
                continue
            found = []
            for p, others in items:
                where = [{"file": by_key[q.key[0]].report.file, "body": by_key[q.key[0]].report.body,
                          "line": q.key[1] + 1, "start": q.start, "end": q.end} for q in others if q.key[0] in by_key]
                if not where:
                    continue
                names = "、".join(sorted({w["body"] or Path(w["file"]).name for w in where}))
                found.append(_copy_finding(check, sev, p, f"{check.message}：{names}的报告中有基本相同的段落", where))
            _locate(row.report, found, row.text)
            row.report.findings.extend(found)
            if found:
                changed.add(row.index)
    for row in live:
        order_findings(row.report)
    return changed


def order_findings(report: AuditReport) -> None:
    """A report's findings in the order after_audit leaves every report's: by place, then check."""
    report.findings.sort(key=lambda f: (f.start, f.check))
