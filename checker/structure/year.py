"""The year a report is on, and the date it was signed."""
from __future__ import annotations

import re
from collections import Counter
from typing import Mapping, Sequence

from checker import recache  # compiled patterns kept across runs
from ..model import Heading
from .lexicon import _ADDRESSEE, _CN_DIGIT, _CONTACT, _DATE_LINE
from .lines import _is_title_line
from .text import _cn_int, _snip


_YEAR_RE = recache.compile(r"(?<![\d.．])((?:19|20)\d{2})(?![\d])")
_BOOK_RE = recache.compile(r"《[^《》]*》|〈[^〈〉]*〉|<[^<>]*>")
_RANGE_CH = r"\-—–~～至到－"


def _clean_years(s: str) -> list[tuple[int, int]]:
    """(year, pos) for every "20XX年" in s that names a year: not inside 《…》, not a range,
    not a document number 〔2022〕/[2022], not a date 2022年1月…"""
    book = [(m.start(), m.end()) for m in _BOOK_RE.finditer(s)]
    out: list[tuple[int, int]] = []
    for m in _YEAR_RE.finditer(s):
        a, b = m.start(), m.end()
        if any(x <= a < y for x, y in book):
            continue
        prev = s[a - 1] if a else ""
        nxt = s[b] if b < len(s) else ""
        if prev in "〔[［【(（" and nxt in "〕]］】)）":
            continue
        if nxt in "〕]］】":
            continue
        tail = s[b:b + 12]
        if not recache.match(r"\s*年", tail):
            continue
        if recache.match(r"\s*年?\s*[" + _RANGE_CH + r"]\s*(?:19|20)?\d{2}", tail):
            continue
        head = s[max(0, a - 8):a]
        if recache.search(r"(?:19|20)\d{2}\s*年?\s*[" + _RANGE_CH + r"]\s*$", head):
            continue
        if recache.match(r"\s*年\s*\d{1,2}\s*月", tail) or recache.match(r"\s*年\s*[一二三四五六七八九十]{1,2}月", tail):
            continue
        out.append((int(m.group(1)), a))
    return out


_DATE_PATTERNS = [
    recache.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    recache.compile(r"(?<!\d)((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})(?!\d)"),
    recache.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"),
]
_CN_DATE = recache.compile(r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def _valid_date(y: int, mo: int, d: int) -> str | None:
    import datetime

    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _find_date(s: str) -> str | None:
    """First date in s as ISO (2022年1月24日, 2023-12-10, 20231210, 二〇二二年一月二十四日)."""
    best: tuple[int, str] | None = None
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(s):
            iso = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if iso and (best is None or m.start() < best[0]):
                best = (m.start(), iso)
            if iso:
                break
    for m in _CN_DATE.finditer(s):
        y = int("".join(str(_CN_DIGIT.get(c, 0)) for c in m.group(1)))
        mo, d = _cn_int(m.group(2)), _cn_int(m.group(3))
        iso = _valid_date(y, mo or 0, d or 0)
        if iso and (best is None or m.start() < best[0]):
            best = (m.start(), iso)
        break
    return best[1] if best else None


def _year_from(s: str) -> tuple[int, int] | None:
    ys = _clean_years(s)
    return ys[0] if ys else None


def _detect_year(text: str, paras: Sequence, headings: Sequence[Heading],
                 fields: Mapping[str, str]) -> tuple[int | None, str]:
    titles = [p for p in paras if p.kind == "title"]
    for p in titles:
        if _is_title_line(p.text):
            y = _year_from(p.text)
            if y:
                return y[0], f"标题：{_snip(p.text, y[1])}"
    body = [p for p in paras if p.kind in ("body", "heading")]
    for p in body[:5]:
        m = recache.search(r"现将[^。]{0,80}?(?:报告|汇报)如下", p.text)
        if m:
            y = _year_from(m.group(0))
            if y:
                return y[0], f"开头：{_snip(m.group(0), y[1], 10, 14)}"
    name = fields.get("名称") or fields.get("标题") or ""
    y = _year_from(name)
    if y:
        return y[0], f"网页“名称”：{_snip(name, y[1])}"
    for p in body[:4]:
        if p.kind == "heading" or _ADDRESSEE.match(p.text):
            continue
        m = recache.match(r"((?:19|20)\d{2})\s*年度?(?!\s*\d{1,2}\s*月)(?![\d" + _RANGE_CH + r"])", p.text)
        if m:
            return int(m.group(1)), f"首段开头：{p.text[:14]}…"
        break
    from .parts import classify_heading  # parts reads years too

    hs = [h for h in headings]
    top = min((h.depth for h in hs), default=None)
    tops = [h for h in hs if h.depth == top]
    for h in tops:
        if classify_heading(h.title) == "achievements":
            y = _year_from(h.title)
            if y:
                return y[0], f"成效部分标题：{h.marker}{h.title}"
    for h in tops:
        if classify_heading(h.title) == "plan":
            y = _year_from(h.title)
            if y:
                return y[0] - 1, f"安排部分标题“{h.marker}{h.title}”的年份减一"
    date, src = _signing_date(paras, fields)
    if date:
        y, mo = int(date[:4]), int(date[5:7])
    else:  # a signing line with year and month only: "2024年1月"
        y = mo = 0
        for p in paras:
            m = recache.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月", p.text) if p.kind == "closing" else None
            if m and _DATE_LINE.match(p.text):
                y, mo, src, date = int(m.group(1)), int(m.group(2)), "落款日期", m.group(0)
                break
    if date:
        if mo <= 4:
            return y - 1, f"{src}{date}（1–4月成文，按上一年度）"
        return y, f"{src}{date}"
    years = Counter(y for y, _ in _clean_years(text))
    if years:
        y, n = years.most_common(1)[0]
        return y, f"正文最常见的年份（{n}次），证据较弱"
    return None, "未找到报告年度"


def _signing_date(paras: Sequence, fields: Mapping[str, str]) -> tuple[str | None, str]:
    for p in paras:
        if p.kind == "closing" and _DATE_LINE.match(p.text):
            d = _find_date(p.text)
            if d:
                return d, "落款日期"
    for p in paras:
        if p.kind == "closing":
            d = _find_date(p.text)
            if d and not _CONTACT.search(p.text):
                return d, "落款日期"
    for p in paras:
        if p.kind == "title" and _DATE_LINE.match(p.text):
            d = _find_date(p.text)
            if d:
                return d, "标题下日期"
    for key in ("成文日期", "发文日期", "发布日期", "发布时间"):
        if fields.get(key):
            d = _find_date(fields[key])
            if d:
                return d, f"网页“{key}”"
    return None, ""


