"""What the text is: the annual rule-of-law-government report, or a text that sits next to it.

Decided from the title (with the lines an issuing office or a web page prints above it), the
opening and the structure — never from a word in one of the report's own headings. A text
that is not the report says what it looks like (``KIND_ZH``): "这是一篇讲话稿，不是法治政府建设
年度报告". The kinds and their signals are words in the lexicon; this module only reads them.
"""
from __future__ import annotations

from typing import Sequence

from checker import recache  # compiled patterns kept across runs
from ..model import Paragraph
from .lexicon import (CITED_TITLE_RE, KIND_OPENING, KIND_TITLE, KIND_TEXT, KIND_ZH, MIN_TERMS_ALONE,
                      MIN_TERMS_WITH_TOPIC, NOT_REPORT, WEAK_KINDS, PLACEHOLDER, PLACEHOLDER_MIN, REPORT_HEADING, REPORT_TITLE,
                      _DOMAIN_TERMS, _LEAD_TOPIC)

__all__ = ["read_kind", "KIND_ZH"]


def _head_lines(paragraphs: Sequence[Paragraph], title: str | None) -> list[str]:
    """The title and the short lines above the first heading (issuer, page title, a title cut
    in two lines), plus each pair of adjacent short lines joined."""
    lines: list[str] = [title] if title else []
    short: list[str] = []
    for p in paragraphs[:8]:
        if p.kind == "heading":
            break
        if p.kind == "meta":  # breadcrumbs and page metadata are never the title
            continue
        t = p.text.strip()
        if len(t) <= 80 and not recache.search(r"[。！？；]", t[:-1]):
            short.append(t)
        elif p.kind == "body":
            break
    lines += short
    lines += [a + b for a, b in zip(short, short[1:]) if len(a) + len(b) <= 80]
    return lines


def _opening(paragraphs: Sequence[Paragraph], n: int = 400) -> str:
    return "".join(p.text for p in paragraphs if p.kind != "meta")[:n]


def read_kind(text: str, paragraphs: Sequence[Paragraph], title: str | None) -> tuple[bool, str, str]:
    """(is_report, reason, kind) — kind is "report" or a key of ``KIND_ZH``."""
    heads = _head_lines(paragraphs, title)
    opening = _opening(paragraphs)
    found: tuple[str, str] | None = None  # (kind, what showed it)

    # 1. a title that names another kind of document (outside any cited 《…》)
    for line in heads:
        outer = CITED_TITLE_RE.sub("", line)
        if REPORT_TITLE.search(outer) and not NOT_REPORT.search(outer):
            continue
        for kind, pat in KIND_TITLE:
            if kind in WEAK_KINDS and recache.search(r"报告|总结", outer):
                continue  # "…工作总结和2024年工作计划" is the report
            m = pat.search(outer)
            if m:
                found = (kind, f"标题“{line}”（{m.group(0)}）")
                break
        if found:
            break
    # 2. how it opens: 同志们, 各位代表, 记者/讯, 本方案, 摘要/关键词, 【条目】 …
    if not found:
        topical = any(REPORT_HEADING.search(p.text) for p in paragraphs if p.kind in ("heading", "title"))
        for kind, pat in KIND_OPENING:
            if kind == "summary" and topical:
                continue  # a sector's opening, but its headings report on 法治政府建设: the report
            m = pat.search(opening)
            if m:
                found = (kind, f"开头“{m.group(0)}”")
                break
    # 3. marks in the whole text: placeholders of a template, 【…】 yearbook entries
    if not found:
        holes = PLACEHOLDER.findall(text)
        if len(holes) >= PLACEHOLDER_MIN:
            found = ("template", f"文中有{len(holes)}处占位符（{'、'.join(dict.fromkeys(holes[:4]))}）")
    if not found:
        for kind, pat, least in KIND_TEXT:
            hits = pat.findall(text)
            if len(hits) >= least:
                found = (kind, f"文中“{hits[0]}”等{len(hits)}处")
                break
    if found:
        kind, why = found
        return False, f"这是一篇{KIND_ZH[kind]}，不是法治政府建设年度报告：{why}", kind

    terms = [t for t in _DOMAIN_TERMS if t in text]
    lead_src = ""
    if title and _LEAD_TOPIC.search(title):
        lead_src = "标题"
    elif _LEAD_TOPIC.search(_opening([p for p in paragraphs if p.kind in ("body", "heading")], 300)):
        lead_src = "开头"
    is_report = (bool(lead_src) and len(terms) >= MIN_TERMS_WITH_TOPIC) or len(terms) >= MIN_TERMS_ALONE
    shown = "、".join(terms[:6]) + ("等" if len(terms) > 6 else "")
    if is_report:
        reason = (f"{lead_src}提及法治政府建设；" if lead_src else "") + f"领域术语{len(terms)}个（{shown}）"
        return True, reason, "report"
    reason = ("标题和开头未提及法治政府/依法行政/法治建设；" if not lead_src else "") + \
             (f"领域术语仅{len(terms)}个" + (f"（{shown}）" if terms else ""))
    return False, "这份文本不像法治政府建设年度报告：" + reason, "other"
