"""Which report part (model.PARTS) a heading or a lead sentence opens, and each paragraph's part."""
from __future__ import annotations

import re
from typing import Sequence

from checker import recache  # compiled patterns kept across runs
from ..model import Heading
from .lexicon import _ADDRESSEE, _HAN, _RANK
from .year import _clean_years
from .text import _P


_OTHER_H = recache.compile(r"其[他它]需要报告|其[他它](?:有关)?事项|^其[他它](?:有关)?情况|^其[他它]$")
_SHORT_KW = recache.compile(r"不足|问题|短板|差距|困难|薄弱环节|弱项")
_SHORT_NEG = recache.compile(r"(?:解决|化解|处理|整改|破解|补齐|补强|补|弥补|克服|排查|研究|聚焦|攻坚|应对|回应|帮助|协调|缩小)"
                        r"[^，,、]{0,6}$")
_PLAN_STRONG = recache.compile(r"下一步|下步|下一年度?|下年度|明年|今后|打算|努力方向|展望|下阶段|下一阶段")
_PLAN_DONE = recache.compile(r"落实|完成|执行|实施|制定|印发|编制|组织|部署|统筹|精心|周密|科学|对照|按照")
_PLAN_END = recache.compile(r"(?:安排|计划|思路|工作要点|要点|主要任务|重点任务|工作重点|目标任务)"
                       r"[\s。：:；;]*$")


def _heading_parts(title: str, year: int | None = None) -> list[str]:
    """Parts a heading names, in report order (a combined heading names two)."""
    t = title.strip()
    if _OTHER_H.search(t):
        return ["other"]
    parts: list[str] = []
    for m in _SHORT_KW.finditer(t):
        before = t[: m.start()]
        if _SHORT_NEG.search(before) and not re.search(r"存在的?[^，,]{0,4}$", before):
            continue
        parts.append("shortcomings")
        break
    # "安排/计划" at the end names a plan, unless a verb says it was carried out ("落实年度普法计划")
    plan = bool(_PLAN_STRONG.search(t) or (_PLAN_END.search(t) and not _PLAN_DONE.search(t)))
    if not plan and year is not None:
        plan = any(y > year for y, _ in _clean_years(t))
    if plan:
        parts.append("plan")
    return parts or ["achievements"]


def classify_heading(title: str, year: int | None = None) -> str | None:
    """The report part a section heading opens (model.PARTS), or None for an empty title.

    shortcomings ← 不足/问题/短板/差距/困难/薄弱环节 (not "解决问题情况");
    plan ← 下一步/下一年度/明年/今后/打算/…, a title ending in 安排/计划/思路/要点/主要任务,
    or a year later than ``year``; other ← 其他需要报告/其他事项; achievements otherwise.
    A heading naming both problems and plans ("存在的问题及下一步打算") is shortcomings.
    """
    if not title or not re.search(f"[{_HAN}]", title):
        return None
    return _heading_parts(title, year)[0]


_LEAD_MARK = r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]?\s*)?"
_SHORT_LEAD_START = recache.compile(
    _LEAD_MARK + r"(?:[^，,。]{0,10}?(?:工作中|方面|目前|当前|仍然?|还|也))?存在的?(?:主要|突出|一些)?(?:问题|不足|短板|困难|差距)"
    r"|" + _LEAD_MARK + r"(?:问题|不足|短板|困难)(?:和|与|及|、)(?:不足|问题|原因|短板|困难)")
_SHORT_LEAD_ANY = [
    recache.compile(r"(?:但|但是|然而|不过|同时|当然)[^。；;！？!?]{0,30}?(?:还|仍|也|尚)然?(?:存在|有(?![效力序关所利益助望待]))着?"
               r"[^。；;！？!?，,]{0,15}?(?:问题|不足|短板|差距|困难|薄弱环节)"),
    recache.compile(r"清醒(?:地)?(?:认识|看到|意识)"),
    recache.compile(r"工作中(?:还|仍|也)?(?:存在|有)[^。；;]{0,20}?(?:问题|不足|短板)"),
]
_PLAN_LEAD = recache.compile(_LEAD_MARK + r"(?:下一步|下步|下一阶段|今后|下一年度?|新的一年|明年)")
_PLAN_LEAD_YEAR = recache.compile(_LEAD_MARK + r"((?:19|20)\d{2})\s*年度?(?![\d])[，,]?\s*[^。；;]{0,30}?"
                             r"(?:将|要|拟|计划|继续|打算|安排|思路|要点|任务|目标)")
_OTHER_LEAD = recache.compile(_LEAD_MARK + r"其[他它]需要报告的?(?:事项|情况)")


def _lead_part(lead: str, year: int | None) -> str | None:
    if _OTHER_LEAD.match(lead):
        return "other"
    if _PLAN_LEAD.match(lead):
        return "plan"
    m = _PLAN_LEAD_YEAR.match(lead)
    if m and year is not None and int(m.group(1)) > year:
        return "plan"
    if _SHORT_LEAD_START.match(lead) and len(lead) < 200:
        return "shortcomings"
    for pat in _SHORT_LEAD_ANY:
        m = pat.search(lead)
        if m and m.start() <= 60:
            return "shortcomings"
    return None


# ---------------------------------------------------------------------------------------
# build


def _lead(text: str, p: _P) -> str:
    if not p.sents:
        return p.text
    s, e = p.sents[0]
    return text[s:e]


def _preamble_end(text: str, body: list[_P]) -> int:
    """How many leading body paragraphs form the preamble in a report without headings."""
    end = 0
    for k, p in enumerate(body[:4]):
        if _ADDRESSEE.match(p.text) and re.search(r"委|政府|领导|同志", p.text):
            end = k + 1
        elif re.search(r"(?:报告|汇报|总结)如下", p.text) and k < 3:
            end = k + 1
    return end


def _assign_parts(text: str, paras: list[_P], headings: Sequence[Heading], year: int | None) -> None:
    body = [p for p in paras if p.kind in ("body", "heading")]
    if not body:
        return
    depths = [p.heading.depth for p in body if p.heading]
    top = min(depths) if depths else None

    if top is None:
        pre = _preamble_end(text, body)
        for p in body[:pre]:
            p.part = "preamble"
        current = "achievements"
        for p in body[pre:]:
            lp = _lead_part(_lead(text, p), year)
            if lp and _RANK[lp] > _RANK[current]:
                current = lp
            p.part = current
        return

    first_top = next(k for k, p in enumerate(body) if p.heading and p.heading.depth == top)
    pre_paras = body[:first_top]
    if top >= 3 and pre_paras:
        pre = _preamble_end(text, pre_paras)
        for p in pre_paras[:pre]:
            p.part = "preamble"
        for p in pre_paras[pre:]:
            p.part = "achievements"
    else:
        for p in pre_paras:
            p.part = "preamble"

    from_headings: set[str] = set()
    for p in body[first_top:]:
        if p.heading and p.heading.depth == top:
            from_headings.update(_heading_parts(p.heading.title, year))
    missing = {"shortcomings", "plan", "other"} - from_headings
    last_heading = max(k for k, p in enumerate(body) if p.heading)

    current = "achievements"
    section_parts: list[str] = ["achievements"]
    for k in range(first_top, len(body)):
        p = body[k]
        if p.heading and p.heading.depth == top:
            section_parts = _heading_parts(p.heading.title, year)
            current = section_parts[0]
        elif len(section_parts) > 1:
            # a combined section ("存在的问题及下一步打算"): sub-headings and lead sentences split it
            cand = None
            if p.heading:
                hp = _heading_parts(p.heading.title, year)
                cand = hp[0] if hp[0] in section_parts else None
            else:
                cand = _lead_part(_lead(text, p), year)
            if cand in section_parts and _RANK[cand] > _RANK[current]:
                current = cand
        elif p.kind == "body" and current in ("achievements", "shortcomings", "plan") and (
                len(p.section) <= 1 or k > last_heading):
            lp = _lead_part(_lead(text, p), year)
            if lp in missing and _RANK[lp] > _RANK[current]:
                current = lp
        p.part = current


