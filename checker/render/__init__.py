"""Renderers read AuditReports and produce text; they never decide a verdict.

Each format is a module with ``render(reports, **opts) -> str`` (a list of one or more
reports). The terminal renderer writes to a rich Console instead.
"""
from __future__ import annotations

from checker.model import LEVEL_ZH  # noqa: F401  (re-exported for renderers)

STATUS_ZH = {
    "covered": "已覆盖",
    "partial": "部分",
    "missing": "缺失",
    "not_applicable": "不适用",
    "waived": "已豁免",
}
STATUS_ICON = {"covered": "✔", "partial": "◐", "missing": "✘", "not_applicable": "–", "waived": "⊘"}
SEVERITY_ZH = {"error": "必备", "warning": "建议", "info": "提示"}
# a form finding's severity (形式审查), in every view
FINDING_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
PART_ZH = {
    "title": "标题",
    "preamble": "导语",
    "achievements": "主要举措和成效",
    "shortcomings": "存在的不足",
    "plan": "下一年度安排",
    "other": "其他情况",
    "closing": "落款",
    "meta": "网页信息",
}


def level_zh(level: str | None) -> str:
    return LEVEL_ZH.get(level or "", "未识别")


def kind_zh(report) -> str:
    """What the text is, for the header: 法治政府建设年度报告 or 讲话稿, 新闻报道 …"""
    from checker.structure.lexicon import KIND_ZH

    kind = getattr(report, "kind", "report") or "report"
    return KIND_ZH.get(kind, kind)


def to_fix(report):
    """Missing or partial results, error-level first: what a drafter should add."""
    rank = {"error": 0, "warning": 1, "info": 2}
    items = [r for r in report.results if r.status in ("missing", "partial")]
    return sorted(items, key=lambda r: (rank.get(r.severity, 3), r.status != "missing"))
