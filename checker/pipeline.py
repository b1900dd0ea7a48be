"""One report end to end: ingest → structure → nlp → rules → match → AuditReport.

Renderers read the AuditReport; nothing downstream recomputes a verdict.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from checker import ingest, lint, match, nlp, prefilter, structure
from checker.errors import UsageError
from checker.model import LEVELS, AuditReport, Document, RuleResult, Source, Summary
from checker.rules import Registry, all_terms, cached_registry

@dataclass
class Options:
    """What a user can set for an audit (CLI options, config files)."""

    profile: str | None = None
    level: str | None = None
    select: list[str] = field(default_factory=list)  # rule ids or id prefixes to keep
    ignore: list[str] = field(default_factory=list)  # rule ids or id prefixes to drop
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> severity override


class Auditor:
    """Holds what is costly to load (registry, segmentation model) across many reports."""

    def __init__(self, registry: Registry | None = None, segmenter=None, rules_root: str | None = None):
        self.registry = registry or cached_registry(rules_root)
        prefilter.table_for(self.registry)  # the literals of its rules, for checker.prefilter
        self._segmenter = segmenter
        if segmenter is None:
            nlp.check_model()  # a missing model is reported up front, even if no rule needs it
        self._terms = tuple(all_terms(self.registry))
        self.phrases = nlp.PhraseWords(self._terms, lambda: self.segmenter)
        self.checks = lint.cached_checks(self.registry.root)  # 形式审查 (rules/checks/*.yaml)

    @property
    def segmenter(self):
        if self._segmenter is None:
            self._segmenter = nlp.get_segmenter(self._terms)
        return self._segmenter

    def audit_path(self, path: str | Path, options: Options | None = None) -> AuditReport:
        return self.audit_source(ingest.read(path), options)

    def audit_source(self, source: Source, options: Options | None = None) -> AuditReport:
        options = options or Options()
        doc = structure.build(source)
        return self.audit_document(doc, options)

    def audit_document(self, doc: Document, options: Options) -> AuditReport:
        meta = doc.meta
        reg = self.registry
        if options.profile:
            prof = reg.profile(options.profile)
            profile_reason = "由 --profile 指定"
        else:
            prof, profile_reason = reg.select_profile(meta.year)
        if options.level:
            if options.level not in LEVELS:
                raise UsageError(f"未知的层级：{options.level}（可用：{', '.join(LEVELS)}）")
            level, level_reason = options.level, "由 --level 指定"
        else:
            level, level_reason = meta.level, meta.level_reason or "未能识别层级"

        rules = [r for r in reg.rules_for(prof.id) if _selected(r.id, options)]
        results = evaluate(rules, doc, level, lambda: self.segmenter, self.phrases)
        self.phrases.save()
        notes = list(doc.source.notes)
        if not meta.is_report:
            notes.append(meta.report_reason if meta.report_reason.startswith(("这是", "这份文本"))
                         else "这份文本不像法治政府建设年度报告：" + (meta.report_reason or "缺少相关标题和内容"))
            results = [_not_a_report(r) for r in results]
        cites = tuple(f"{c}:" for c in prof.cites)
        for r in results:
            r.refs = [ref for ref in r.refs if ref.startswith(cites)]
            if r.id in options.severity:
                r.severity = options.severity[r.id]
        order = {g.id: i for i, g in enumerate(prof.groups)}
        results.sort(key=lambda r: order.get(r.group, len(order)))
        # lint: after match, reads the document only; findings never change coverage
        findings = lint.lint_document(doc, self.checks, lambda cid: _selected(cid, options), options.severity, level)
        return AuditReport(
            file=doc.source.path,
            profile=prof.id,
            profile_title=prof.title,
            profile_reason=profile_reason,
            level=level,
            level_reason=level_reason,
            year=meta.year,
            year_reason=meta.year_reason,
            body=meta.body,
            date=meta.date,
            title=meta.title,
            encoding=doc.source.encoding,
            sha256=doc.source.sha256,
            is_report=meta.is_report,
            notes=notes,
            results=results,
            summary=summarise(results),
            groups=[{"id": g.id, "title": g.title} for g in prof.groups],
            findings=findings,
            kind=meta.kind,
            kind_reason=meta.kind_reason,
            place=dict(meta.place),
            division_code=meta.division_code,
        )


def evaluate(rules, doc: Document, level: str | None, segmenter_factory, phrases=None) -> list[RuleResult]:
    """Rules × document with lazy segmentation: a paragraph is segmented, and the model
    loaded, only when a rule asks for tokens there."""
    tokens = nlp.LazyTokens(doc, segmenter_factory)
    return match.evaluate_all(rules, doc, tokens, nlp.LazySegmenter(segmenter_factory, phrases), level)


def _selected(rule_id: str, options: Options) -> bool:
    def hit(patterns: list[str]) -> bool:
        return any(rule_id == p or rule_id.startswith(p.rstrip("*")) and p.endswith("*") for p in patterns)

    if options.select and not hit(options.select):
        return False
    return not hit(options.ignore)


def _not_a_report(r: RuleResult) -> RuleResult:
    if r.status == "not_applicable":
        return r
    return replace(r, status="missing", score=0, evidence=[], notes=["文本不是法治政府建设年度报告"])


RANK = {"covered": 4, "waived": 3, "partial": 2, "missing": 1, "not_applicable": 0}


def task_counts(results: list[RuleResult]) -> dict[str, int]:
    """Outline articles (refs outline-…:N) counted once each, at the best status of the
    applicable rules that cite them; an article no applicable rule cites is not_applicable."""
    best: dict[str, str] = {}
    for r in results:
        for ref in r.refs:
            if not ref.startswith("outline-"):
                continue
            have = best.get(ref)
            if have is None or RANK[r.status] > RANK[have]:
                best[ref] = r.status
    counts = {s: 0 for s in ("covered", "partial", "missing", "not_applicable", "waived")}
    for status in best.values():
        counts[status] += 1
    counts["applicable"] = len(best) - counts["not_applicable"]
    return counts


def summarise(results: list[RuleResult], fail_on: str = "error") -> Summary:
    counts = {s: 0 for s in ("covered", "partial", "missing", "not_applicable", "waived")}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    # info-level rules (optional contents) are shown but do not move the coverage figure
    scored = [r for r in results if r.severity != "info"]
    cov = sum(r.status == "covered" for r in scored)
    par = sum(r.status == "partial" for r in scored)
    mis = sum(r.status == "missing" for r in scored)
    applicable = counts["covered"] + counts["partial"] + counts["missing"]
    coverage = round(100 * (cov + 0.5 * par) / (cov + par + mis), 1) if (cov + par + mis) else 100.0
    failing_levels = {"error": {"error"}, "warning": {"error", "warning"}, "info": {"error", "warning", "info"}}
    levels = failing_levels.get(fail_on, {"error"})
    errors_failing = sum(1 for r in results if r.severity in levels and r.status in ("missing", "partial"))
    return Summary(
        tasks=task_counts(results),
        total=len(results),
        applicable=applicable,
        covered=counts["covered"],
        partial=counts["partial"],
        missing=counts["missing"],
        not_applicable=counts["not_applicable"],
        waived=counts["waived"],
        coverage=coverage,
        errors_failing=errors_failing,
        exit_status=1 if errors_failing else 0,
    )
