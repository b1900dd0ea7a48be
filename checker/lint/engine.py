"""Running checks over one document: findings with spans in Document.text."""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from checker.model import Document, Finding, Source

RANK = {"error": 0, "warning": 1, "info": 2}
SKIP_PARTS = frozenset({"meta"})  # web-page metadata lines removed from the report's body


@dataclass
class Context:
    """What comparisons need beyond the text."""

    year: int | None = None
    level: str | None = None
    published: dt.date | None = None  # from --published or the page's 发布日期
    today: dt.date = field(default_factory=dt.date.today)
    editions: tuple[tuple[int, int], ...] = ()
    laws_file: str | None = None  # rules/checks/data/laws.yaml of the registry in use


def _locator(doc: Document):
    starts = [p.start for p in doc.paragraphs]

    def where(pos: int):
        i = bisect.bisect_right(starts, pos) - 1
        return doc.paragraphs[i] if 0 <= i < len(doc.paragraphs) else None

    return where


def _sentence(doc_text: str, start: int, end: int) -> str:
    """The clause-run around a span, for ``unless`` (to the sentence ends)."""
    stops = "。！？；\n"
    a = max((doc_text.rfind(c, 0, start) for c in stops), default=-1) + 1
    bs = [doc_text.find(c, end) for c in stops]
    b = min((x for x in bs if x >= 0), default=len(doc_text))
    return doc_text[a:b]


def text_findings(check, text: str, offset_ok=None) -> list[Finding]:
    """A substitute or pattern check over ``text``."""
    out = []
    for m in check.pattern.finditer(text):
        if m.end() == m.start():
            continue
        if offset_ok is not None and not offset_ok(m.start()):
            continue
        if check.unless is not None and check.unless.search(_sentence(text, m.start(), m.end())):
            continue
        replacement = None
        if check.kind == "substitute":
            replacement = check.expand(m)
            if replacement == m.group(0):
                continue
        out.append(Finding(check=check.id, message=check.message, severity=check.severity, start=m.start(),
                           end=m.end(), text=m.group(0), replacement=replacement, fix=check.fix))
    return out


def check_document(check, doc: Document, ctx: Context) -> list[Finding]:
    from checker.lint import compare

    if check.min_year is not None and (ctx.year is None or ctx.year < check.min_year):
        return []
    if check.kind == "compare":
        fn = compare.COMPARISONS.get(check.compare)
        return fn(check, doc, ctx) if fn else []
    where = _locator(doc)

    def ok(pos: int) -> bool:
        p = where(pos)
        return p is None or p.part not in SKIP_PARTS

    return text_findings(check, doc.text, ok)


_WIDTH = str.maketrans("（）", "()")


def _half_width_brackets(text: str, findings: list[Finding]) -> None:
    """In a text punctuated half-width throughout (a web page's conversion, not the drafter's
    choice), a title whose only fault is ( ) for （ ） is a warning, not an error."""
    if text.count(",") <= text.count("，"):
        return
    for f in findings:
        if f.severity == "error" and f.replacement is not None and f.text.translate(_WIDTH) == f.replacement.translate(_WIDTH):
            f.severity = "warning"
            f.message += "（全文为半角标点）"


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Overlapping spans from different checks: the more severe (then the first) is kept."""
    ordered = sorted(findings, key=lambda f: (RANK.get(f.severity, 3), f.start))
    kept: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in ordered:
        if f.end > f.start and any(f.start < b and a < f.end for a, b in taken):
            continue
        kept.append(f)
        if f.end > f.start:
            taken.append((f.start, f.end))
    return sorted(kept, key=lambda f: (f.start, RANK.get(f.severity, 3)))


def run(doc: Document, checks, ctx: Context, selected=lambda cid: True, severity=None) -> list[Finding]:
    """Every selected check over the document, located (paragraph, section), deduplicated."""
    severity = severity or {}
    findings: list[Finding] = []
    for check in checks.checks.values():
        if not selected(check.id):
            continue
        for f in check_document(check, doc, ctx):
            f.severity = severity.get(check.id, f.severity)
            findings.append(f)
    _half_width_brackets(doc.text, findings)
    where = _locator(doc)
    for f in findings:
        p = where(f.start)
        if p is not None:
            f.paragraph, f.section = p.index, p.section_label
    return _dedupe(findings)


def example_document(ex: dict) -> Document:
    from checker import structure

    text = ex["text"]
    fields = {"发布日期": str(ex["published"])} if ex.get("published") else {}
    return structure.build(Source(path="<example>", text=text, encoding="utf-8", sha256="", fields=fields))


def run_example(check, ex: dict, editions=(), laws_file: str | None = None) -> list[Finding]:
    """A check on one example: a sentence for text checks, a small report for comparisons."""
    if check.kind != "compare":
        if check.min_year is not None and ex.get("year") is not None and ex["year"] < check.min_year:
            return []
        return text_findings(check, ex["text"])
    doc = example_document(ex)
    published = ex.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    ctx = Context(year=ex.get("year", doc.meta.year), level=ex.get("level", doc.meta.level),
                  published=published, today=dt.date(2100, 1, 1) if "today" not in ex else ex["today"],
                  editions=editions, laws_file=laws_file)
    return check_document(check, doc, ctx)
