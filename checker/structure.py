"""Structure stage: a normalised ``Source`` -> ``Document``.

Pure regex/string work (a few milliseconds per report). Every offset points into
``Source.text``, which is kept unchanged as ``Document.text``.

Public API
    build(source) -> Document
    split_sentences(text, offset=0) -> list[(start, end)]
    classify_heading(title, year=None) -> part | None
    level_from_name(name) -> level | None
    detect_meta(text, paragraphs, headings=(), fields=None) -> Meta

What ``build`` produces
    paragraphs  one per non-blank line; kind title / meta / heading / body / closing
    headings    numbered markers at a paragraph start (depth 1 一、 2 （一） 3 1. 4 （1）); a heading
                is its paragraph's first sentence: start/end cover marker + title (+ 。), the title
                has neither marker nor end punctuation, and any text after it is the body
    sections    every paragraph's heading path, built with a stack by marker rank
    sentences   split on 。！？!? and newlines and before inline 一是/二是/其一…
    parts       each paragraph's report part (model.PARTS)
    meta        year, body, level, date, title, is_report — each with a Chinese reason
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .model import LEVEL_ZH, LEVELS, Document, Heading, Meta, Paragraph, Sentence, Source

__all__ = [
    "build",
    "split_sentences",
    "classify_heading",
    "level_from_name",
    "detect_meta",
    "LEVEL_NAMES",
]

LEVEL_NAMES = LEVEL_ZH  # kept under its old name for callers of this module

_WS = " \t\r\f\v\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_HAN = "\u4e00-\u9fff"
_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# part order: a lead sentence may only move a part forward
_RANK = {"preamble": 0, "achievements": 1, "shortcomings": 2, "plan": 3, "other": 4}


# ---------------------------------------------------------------------------------------
# small helpers


def _cn_int(s: str) -> int | None:
    """Chinese numeral up to 99 ("十一", "二十三") -> int."""
    if not s:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        if "十" in b or len(a) > 1 or len(b) > 1:
            return None
        tens = _CN_DIGIT.get(a) if a else 1
        ones = _CN_DIGIT.get(b) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1:
        return _CN_DIGIT.get(s)
    return None


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return start, end


def _snip(s: str, pos: int, before: int = 8, after: int = 12) -> str:
    a, b = max(0, pos - before), min(len(s), pos + after)
    return ("…" if a > 0 else "") + s[a:b] + ("…" if b < len(s) else "")


# ---------------------------------------------------------------------------------------
# sentences

_TERMINATORS = set("。！？!?")
_CLOSERS = set("”’」』）)】〕")
_QUOTE_PAIRS = re.compile(r"“[^“”\n]*”|「[^「」\n]*」|『[^『』\n]*』|《[^《》\n]*》")
# inline enumerators: 一是 … 十九是, 其一 … 其十 (not 统一是 / 唯一是 / 之一是)
_ENUM = re.compile(r"(?<![一二三四五六七八九十第统唯之同专万])(?:十[一二三四五六七八九]?|[一二三四五六七八九])是"
                   r"|其[一二三四五六七八九十](?![他中余次实])")
_ENUM_PREV = set("。！？!?；;：:，,、 \t\u3000”’）)】%％‰0123456789")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text`` (plus ``offset``).

    Splits after 。！？!? (keeping the punctuation and any closing quote that follows),
    at newlines, and before inline enumerators 一是/二是/…/其一/其二. Text inside
    “…”, 「…」, 『…』 and 《…》 never breaks. Spans are stripped of whitespace and
    never empty, so ``text[s:e]`` is the exact sentence.
    """
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n\r]+", text):
        _split_line(text, m.start(), m.end(), out)
    return [(s + offset, e + offset) for s, e in out]


def _split_line(text: str, ls: int, le: int, out: list[tuple[int, int]]) -> None:
    protected = bytearray(le - ls)
    for q in _QUOTE_PAIRS.finditer(text, ls, le):
        for k in range(q.start() + 1, q.end() - 1):
            protected[k - ls] = 1
    cuts = {ls, le}
    i = ls
    while i < le:
        if text[i] in _TERMINATORS and not protected[i - ls]:
            j = i + 1
            while j < le and (text[j] in _TERMINATORS or text[j] in _CLOSERS):
                j += 1
            cuts.add(j)
            i = j
            continue
        i += 1
    for m in _ENUM.finditer(text, ls, le):
        p = m.start()
        if p == ls or protected[p - ls]:
            continue
        if text[p - 1] in _ENUM_PREV:
            cuts.add(p)
    pts = sorted(cuts)
    for a, b in zip(pts, pts[1:]):
        a, b = _strip_span(text, a, b)
        if a < b:
            out.append((a, b))


# ---------------------------------------------------------------------------------------
# headings

_H_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(r"第([一二三四五六七八九十]{1,3})(?:部分|章)[、，,：:．.]?")),
    (1, re.compile(r"([一二三四五六七八九十]{1,3})\s*(?:、|[．.](?!\d))")),
    (2, re.compile(r"[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）][、．.]?")),
    (3, re.compile(r"(\d{1,2})\s*(?:、|[．.](?![\d.．]))")),
    (4, re.compile(r"[（(]\s*(\d{1,2})\s*[)）][、．.]?")),
]
_TITLE_TRAIL = "。．.：:；;，,、！!？? \u3000"


def _match_marker(text: str, start: int, end: int) -> tuple[int, str, int] | None:
    """(depth, marker, marker_end) when the paragraph text[start:end] opens with a heading marker."""
    for depth, pat in _H_PATTERNS:
        m = pat.match(text, start, end)
        if not m:
            continue
        num = m.group(1)
        if depth in (1, 2) and _cn_int(num) in (None, 0):
            continue
        if depth in (3, 4) and int(num) == 0:
            continue
        rest_start, _ = _strip_span(text, m.end(), end)
        if rest_start >= end:
            return None
        nxt = text[rest_start]
        # "一、二级网格员…" / "1、2号楼…" enumerate numbers, they are not headings
        if depth == 1 and re.match(r"[一二三四五六七八九十]+[、级类个]", text[rest_start:end]):
            return None
        # a marker is followed by words ("1、2、3项" is a list of numbers, not a heading)
        if not (re.match(f"[{_HAN}A-Za-z“\"《（(【]", nxt) or (nxt.isdigit() and depth != 3)):
            return None
        return depth, text[start:m.end()].rstrip(_WS), rest_start
    return None


def _make_heading(text: str, pidx: int, pstart: int, pend: int,
                  sents: Sequence[tuple[int, int]]) -> Heading | None:
    mk = _match_marker(text, pstart, pend)
    if mk is None:
        return None
    depth, marker, rest = mk
    # the heading is the paragraph's first sentence; when more text follows it in the
    # same line, that text is the paragraph's body ("（一）高位推进。将贯彻…")
    first_end = pend
    for s, e in sents:
        if e > rest:
            first_end = e
            break
    end = pend if first_end >= pend else first_end
    title = text[rest:end].rstrip(_TITLE_TRAIL)
    if not title:
        return None
    return Heading(paragraph=pidx, depth=depth, marker=marker, title=title, start=pstart, end=end)


# ---------------------------------------------------------------------------------------
# heading -> part

_OTHER_H = re.compile(r"其[他它]需要报告|其[他它](?:有关)?事项|^其[他它](?:有关)?情况|^其[他它]$")
_SHORT_KW = re.compile(r"不足|问题|短板|差距|困难|薄弱环节|弱项")
_SHORT_NEG = re.compile(r"(?:解决|化解|处理|整改|破解|补齐|补强|补|弥补|克服|排查|研究|聚焦|攻坚|应对|回应|帮助|协调|缩小)"
                        r"[^，,、]{0,6}$")
_PLAN_STRONG = re.compile(r"下一步|下步|下一年度?|下年度|明年|今后|打算|努力方向|展望|下阶段|下一阶段")
_PLAN_DONE = re.compile(r"落实|完成|执行|实施|制定|印发|编制|组织|部署|统筹|精心|周密|科学|对照|按照")
_PLAN_END = re.compile(r"(?:安排|计划|思路|工作要点|要点|主要任务|重点任务|工作重点|目标任务)"
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


# ---------------------------------------------------------------------------------------
# years and dates

_YEAR_RE = re.compile(r"(?<![\d.．])((?:19|20)\d{2})(?![\d])")
_BOOK_RE = re.compile(r"《[^《》]*》|〈[^〈〉]*〉|<[^<>]*>")
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
        if not re.match(r"\s*年", tail):
            continue
        if re.match(r"\s*年?\s*[" + _RANGE_CH + r"]\s*(?:19|20)?\d{2}", tail):
            continue
        head = s[max(0, a - 8):a]
        if re.search(r"(?:19|20)\d{2}\s*年?\s*[" + _RANGE_CH + r"]\s*$", head):
            continue
        if re.match(r"\s*年\s*\d{1,2}\s*月", tail) or re.match(r"\s*年\s*[一二三四五六七八九十]{1,2}月", tail):
            continue
        out.append((int(m.group(1)), a))
    return out


_DATE_PATTERNS = [
    re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"),
]
_CN_DATE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


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


# ---------------------------------------------------------------------------------------
# line kinds: web metadata, title, closing

_META_KEYS = ("当前位置", "索引号", "组配分类", "发布机构", "主题分类", "名称", "文号", "发文日期",
              "发布日期", "发布时间", "信息来源", "来源", "浏览次数", "字体", "成文日期", "生效日期",
              "废止日期", "有效性", "所属机构", "公开方式", "公开范围", "公开时限", "时效", "作者",
              "点击数", "访问量", "分类", "关键词", "主题词", "发文机关", "发布单位", "信息索引号")
_META_KEY_RE = re.compile("(" + "|".join(sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[:：]")
_META_LINE = re.compile(r"^(?:" + "|".join(sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[:：]")
_JUNK_LINE = re.compile(r"(?:网站|打印本页|关闭窗口|返回顶部|分享到|扫一扫|上一篇|下一篇|相关链接|【打印】|【关闭】)$"
                        r"|^(?:打印|关闭|返回|【)")
_TITLE_RE = re.compile(r"关于.{0,80}(?:报告|总结|情况|汇报)$")
_TITLE_RE2 = re.compile(r"(?:法治政府|依法行政|法治建设|依法治).{0,40}(?:报告|总结|汇报)$")
_SENT_PUNCT = re.compile(r"[。，,；;！!？?]")
_TESHI = re.compile(r"^特此(?:报告|汇报)[。.！!]?$")
_CONTACT = re.compile(r"联系人|联系电话|联系方式|电话[:：]\s*\d")
_DATE_LINE = re.compile(
    r"^[（(]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}"
    r"|(?:19|20)\d{6}|[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
    r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月)"
    r"\s*[)）]?$")
# a news outlet named as a page's source is the publisher, not the reporting body
_MEDIA = re.compile(r"融媒体|新闻中心|传媒|日报|晚报|报社|电视台|广播|新闻网|记者")
_ORG_STRONG = re.compile(r"(?:人民政府|政府|委员会|办事处|党委|党工委|工委|局|厅|办公室|中心)$")
_ORG_WEAK = re.compile(r"(?:街道|镇|乡|县|区|市|旗|盟|州|省|苏木)$")


def _parse_meta_fields(line: str) -> dict[str, str]:
    out: dict[str, str] = {}
    keys = list(_META_KEY_RE.finditer(line))
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
        value = line[m.end():end].strip(_WS)
        if value and m.group(1) not in out:
            out[m.group(1)] = value
    return out


def _is_meta_line(t: str) -> bool:
    if _META_LINE.match(t):
        return True
    return len(_META_KEY_RE.findall(t)) >= 2 and len(t) < 200


def _is_signature(t: str, strong_only: bool) -> bool:
    if len(t) > 40 or _SENT_PUNCT.search(t) or re.search("[:：]", t):
        return False
    if _match_any_marker(t):
        return False
    if _ORG_STRONG.search(t):
        return True
    return (not strong_only) and bool(_ORG_WEAK.search(t)) and len(t) <= 20


def _match_any_marker(t: str) -> bool:
    return _match_marker(t, 0, len(t)) is not None


def _is_title_line(t: str) -> bool:
    if len(t) > 100 or "。" in t[:-1]:
        return False
    return bool(_TITLE_RE.search(t) or _TITLE_RE2.search(t))


# ---------------------------------------------------------------------------------------
# administrative names

_UNIT_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "街道", "苏木",
                  "省", "市", "盟", "县", "区", "旗", "镇", "乡")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_ORG_WORDS = re.compile(r"人民政府|政府|办事处|工作委员会|党工委|委员会|党委|工委|人大常委会|人大|政协")
_NAME_STOP = set("我全本各该此每其这那在的和与及对为以了是把被将向从到于等个多有无或也都并就又")
_STEM_BLACKLIST = {"法治", "平安", "文明", "示范", "民主", "和谐", "美丽", "生态", "特色", "智慧", "数字",
                   "幸福", "重点", "全国", "先进", "卫生", "园林", "旅游", "工业", "农业", "经济", "改革",
                   "试点", "中心", "城乡", "乡村", "村镇", "集镇", "建制", "边境", "口岸", "所在", "辖区",
                   "相关", "有关", "基层", "城区", "农村", "社区", "各个", "所属", "整个", "本级", "上级"}
_DEPT_TAIL = re.compile(r"^(?P<d>[" + _HAN + r"]{0,12}?(?:管理局|局|厅|办公室|委员会|委|办|中心|署))$")


def _unit_level(unit: str) -> str | None:
    if unit in _MUNICIPALITIES:
        return "province"
    for suf, lvl in (("特别行政区", "province"), ("自治区", "province"), ("省", "province"),
                     ("自治州", "city"), ("地区", "city"), ("盟", "city"), ("市", "city"),
                     ("自治县", "county"), ("自治旗", "county"), ("新区", "county"), ("县", "county"),
                     ("区", "county"), ("旗", "county"),
                     ("街道", "township"), ("苏木", "township"), ("镇", "township"), ("乡", "township")):
        if unit.endswith(suf):
            return lvl
    return None


def _scan_units(s: str, max_name: int = 10, strict: bool = False) -> tuple[list[str], int]:
    """Split a leading chain of administrative units: "重庆市荣昌区昌元街道" -> [重庆市, 荣昌区, 昌元街道].

    Returns the units and where the chain ends."""
    units: list[str] = []
    i, n = 0, len(s)
    while i < n:
        found = None
        for j in range(i + 1, min(n, i + max_name + 1)):
            if not re.match(f"[{_HAN}]", s[j - 1]) or (strict and s[j - 1] in _NAME_STOP):
                break
            for suf in _UNIT_SUFFIXES:
                if s.startswith(suf, j):
                    end = j + len(suf)
                    # "新乡市": a one-character unit suffix followed by 市/县/区/旗 belongs to the name
                    if len(suf) == 1 and end < n and s[end] in "市县区旗" and suf in "乡镇区":
                        end += 1
                    found = end
                    break
            if found:
                break
        if not found:
            break
        unit = s[i:found]
        if strict and (unit[0] in "市县区镇乡省" or unit in ("乡镇", "县区", "市区", "城区", "镇区")):
            break
        units.append(unit)
        i = found
    return units, i


@dataclass
class _Org:
    name: str  # the most specific name: "许疃镇", "弋阳县司法局"
    level: str | None
    suffix: str  # what decided the level: "镇", "局", "区" …
    ambiguous: bool = False  # "XX市": districted city or county-level city


def _parse_org(raw: str, strict: bool = False) -> _Org | None:
    """An organisation name -> its most specific administrative unit or department."""
    s = re.sub(f"[{_WS}]", "", raw)
    s = re.sub(r"^(?:中共|中国共产党)", "", s)
    if not s:
        return None
    # department: a name ending in 局/厅/办公室/委员会/委/办/中心 that is not a party committee
    party = bool(re.search(r"(?:工作委员会|党工委|工委|党委)$", s)) or bool(
        re.search(r"[省市县区旗镇乡州盟]委(?:员会)?$", s)) or raw.strip().startswith(("中共", "中国共产党"))
    if not party and not s.endswith("办事处") and re.search(r"(?:局|厅|办公室|委员会|委|办|中心|署)$", s):
        units: list[str] = []
        rest = ""
        for piece in re.split(r"人民政府|政府", s):
            u, end = _scan_units(piece, strict=strict)
            units += u
            if piece[end:]:
                rest = piece[end:]
        m = _DEPT_TAIL.match(rest) if rest else None
        if m:
            suffix = re.search(r"(管理局|局|厅|办公室|委员会|委|办|中心|署)$", s).group(1)
            # "XX盟行政公署" / "XX地区行政公署" is that unit's government, not a department
            if suffix == "署" and units:
                lvl = _unit_level(units[-1])
                return _Org(units[-1], lvl, _unit_suffix(units[-1]), ambiguous=units[-1].endswith("市")) if lvl else None
            return _Org(s, "department", suffix)
    units = []
    for piece in _ORG_WORDS.sub("|", s).split("|"):
        if piece:
            units += _scan_units(piece, strict=strict)[0]
    units = [u for u in units if _unit_level(u)]
    if not units:
        return None
    rank = {"province": 1, "city": 2, "county": 3, "township": 4}
    best = max(units, key=lambda u: rank[_unit_level(u) or "province"])
    lvl = _unit_level(best)
    suffix = _unit_suffix(best)
    return _Org(best, lvl, suffix, ambiguous=(lvl == "city" and suffix == "市"))


def _unit_suffix(unit: str) -> str:
    if unit in _MUNICIPALITIES:
        return "直辖市"
    return next((suf for suf in _UNIT_SUFFIXES if unit.endswith(suf)), unit[-1:])


def level_from_name(name: str) -> str | None:
    """The government level a body's name implies (model.LEVELS), or None.

    "许疃镇"/"昌元街道办事处" -> township; "弋阳县"/"临河区"/"XX旗" -> county (区 is a district,
    自治区 a province); "XX自治州"/"XX盟"/"XX地区"/"XX市" -> city ("XX市" may also be a county-level
    city: ``detect_meta`` refines it from context); "XX省"/"XX自治区"/"北京市" -> province;
    "XX县司法局"/"XX市发展和改革委员会"/"XX政务服务中心" -> department.
    """
    if not name:
        return None
    org = _parse_org(name)
    return org.level if org else None


# ---------------------------------------------------------------------------------------
# self-references and context for the level

_SELF_REFS: dict[str, re.Pattern[str]] = {
    "township": re.compile(r"我镇|全镇|本镇|我乡(?!镇)|全乡(?!镇)|本乡(?!镇)|我街道|全街道|本街道|街道党工委|党工委"
                           r"|(?<!乡)镇党委|(?<!乡)镇政府|(?<![县镇])乡党委|(?<![县镇])乡政府|我街(?!道)"),
    "county": re.compile(r"我县|全县|本县|我区|全区|本区|我旗|全旗|本旗"),
    "city": re.compile(r"我市|全市|本市|我州|全州|本州|我盟|全盟"),
    "province": re.compile(r"我省|全省|本省|全自治区|我自治区"),
    "department": re.compile(r"我局|本局|我委(?!员)|本委(?!员)|我厅|本厅|我办(?!理)|本办(?!理|法)|我中心|本中心|本部门"
                             r"|局党组|局机关|厅党组|委党组"),
}
_SELF_SUFFIX = {"我镇": "镇", "全镇": "镇", "本镇": "镇", "我乡": "乡", "全乡": "乡", "本乡": "乡",
                "我街道": "街道", "全街道": "街道", "本街道": "街道", "我县": "县", "全县": "县", "本县": "县",
                "我区": "区", "全区": "区", "本区": "区", "我旗": "旗", "全旗": "旗", "本旗": "旗",
                "我市": "市", "全市": "市", "本市": "市", "我州": "州", "全州": "州"}
_NEXT_BAD = {"县": "乡级直区市域城", "镇": "村街级", "区": "县域级", "市": "县区级场民政", "乡": "镇村级",
             "街道": "", "旗": "县级", "州": "县市"}
_CONTENT = {
    "township": re.compile(r"村[（(]社区[)）]|村[、和]社区|(?<!\d)\d+个(?:行政)?村|各村|村居|村组|村两委|行政村"),
    "county": re.compile(r"乡镇[（(]街道[)）]|镇[（(]街道[)）]|各乡镇|乡镇街道|县直|区直|旗直|镇街"),
    "city": re.compile(r"县[（(]市、?区[)）]|县[（(]区[)）]|县[（(]市[)）]|各县区|县市区|区县|各县[（(]市"),
}
_ADDRESSEE = re.compile(r"^[^。，,；;]{2,40}[:：]$")


def _self_counts(text: str) -> dict[str, Counter]:
    return {lvl: Counter(m.group(0) for m in pat.finditer(text)) for lvl, pat in _SELF_REFS.items()}


def _self_name(text: str, counts: dict[str, Counter]) -> tuple[str, str] | None:
    """A place name the report uses for itself: "我镇" + "周铁镇机构改革" -> 周铁镇."""
    suffixes: Counter = Counter()
    for lvl in ("township", "county", "city"):
        for form, n in counts[lvl].items():
            if form in _SELF_SUFFIX:
                suffixes[_SELF_SUFFIX[form]] += n
        if lvl == "township":
            n = len(re.findall(r"(?<![镇乡（(、和各])街道(?![)）])", text))
            if n >= 5:
                suffixes["街道"] += n // 2
    best: tuple[int, int, str, str] | None = None
    for suf, n in suffixes.most_common():
        if n < 2:
            continue
        names: Counter = Counter()
        for m in re.finditer(f"(?=([{_HAN}]{{2}}){suf})", text):
            stem = m.group(1)
            after = m.end(1) + len(suf)
            nxt = text[after] if after < len(text) else ""
            if nxt and nxt in _NEXT_BAD.get(suf, ""):
                continue
            if any(c in _NAME_STOP or c in "省市县区乡镇村街州旗" for c in stem) or stem in _STEM_BLACKLIST:
                continue
            names[stem] += 1
        for stem, k in names.items():
            stem_n = text.count(stem)
            key = (k, stem_n)
            if k >= 2 or (k >= 1 and stem_n >= 3):
                if best is None or key > best[:2]:
                    best = (k, stem_n, stem + suf, suf)
        if best:
            break
    if best is None:
        return None
    return best[2], best[3]


# ---------------------------------------------------------------------------------------
# lead sentences that open a part in running text

_LEAD_MARK = r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]?\s*)?"
_SHORT_LEAD_START = re.compile(
    _LEAD_MARK + r"(?:[^，,。]{0,10}?(?:工作中|方面|目前|当前|仍然?|还|也))?存在的?(?:主要|突出|一些)?(?:问题|不足|短板|困难|差距)"
    r"|" + _LEAD_MARK + r"(?:问题|不足|短板|困难)(?:和|与|及|、)(?:不足|问题|原因|短板|困难)")
_SHORT_LEAD_ANY = [
    re.compile(r"(?:但|但是|然而|不过|同时|当然)[^。；;！？!?]{0,30}?(?:还|仍|也|尚)然?(?:存在|有(?![效力序关所利益助望待]))着?"
               r"[^。；;！？!?，,]{0,15}?(?:问题|不足|短板|差距|困难|薄弱环节)"),
    re.compile(r"清醒(?:地)?(?:认识|看到|意识)"),
    re.compile(r"工作中(?:还|仍|也)?(?:存在|有)[^。；;]{0,20}?(?:问题|不足|短板)"),
]
_PLAN_LEAD = re.compile(_LEAD_MARK + r"(?:下一步|下步|下一阶段|今后|下一年度?|新的一年|明年)")
_PLAN_LEAD_YEAR = re.compile(_LEAD_MARK + r"((?:19|20)\d{2})\s*年度?(?![\d])[，,]?\s*[^。；;]{0,30}?"
                             r"(?:将|要|拟|计划|继续|打算|安排|思路|要点|任务|目标)")
_OTHER_LEAD = re.compile(_LEAD_MARK + r"其[他它]需要报告的?(?:事项|情况)")


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


@dataclass
class _P:
    index: int
    start: int
    end: int
    text: str
    kind: str = "body"
    part: str = "preamble"
    section: tuple[str, ...] = ()
    sents: list[tuple[int, int]] = field(default_factory=list)
    heading: Heading | None = None


def build(source: Source) -> Document:
    """Paragraphs, headings, sections, sentences, parts and meta for one normalised report."""
    text = source.text
    paras = _paragraphs(text)
    fields = dict(source.fields or {})
    _mark_meta_title_closing(text, paras, fields)

    headings: list[Heading] = []
    for p in paras:
        if p.kind in ("body",):
            h = _make_heading(text, p.index, p.start, p.end, p.sents)
            if h is not None:
                p.kind, p.heading = "heading", h
                headings.append(h)
    _sections(paras)

    year, _ = _detect_year(text, paras, headings, fields)
    _assign_parts(text, paras, headings, year)

    paragraphs: list[Paragraph] = []
    n = 0
    for p in paras:
        sents = []
        for s, e in p.sents:
            sents.append(Sentence(index=n, start=s, end=e, text=text[s:e]))
            n += 1
        paragraphs.append(Paragraph(index=p.index, start=p.start, end=p.end, text=p.text, kind=p.kind,
                                    part=p.part, section=p.section, sentences=tuple(sents), heading=p.heading))
    meta = detect_meta(text, paragraphs, headings, fields)
    return Document(source=source, text=text, paragraphs=tuple(paragraphs), headings=tuple(headings), meta=meta)


def _paragraphs(text: str) -> list[_P]:
    out: list[_P] = []
    for m in re.finditer(r"[^\n\r\u2028\u2029]+", text):
        s, e = _strip_span(text, m.start(), m.end())
        if s < e:
            out.append(_P(index=len(out), start=s, end=e, text=text[s:e], sents=split_sentences(text[s:e], s)))
    return out


def _mark_meta_title_closing(text: str, paras: list[_P], fields: dict[str, str]) -> None:
    # web-page metadata lines (ingest normally removes them into Source.fields)
    for p in paras:
        if _is_meta_line(p.text):
            p.kind = "meta"
            for k, v in _parse_meta_fields(p.text).items():
                fields.setdefault(k, v)
    # closing: 特此报告 and signature/date/contact lines at the end
    run: list[int] = []
    i = len(paras) - 1
    while i >= 0:
        t = paras[i].text
        if paras[i].kind == "meta":
            i -= 1
            continue
        if _TESHI.match(t) or _DATE_LINE.match(t) or _CONTACT.search(t) or _is_signature(t, strong_only=False) \
                or (_JUNK_LINE.search(t) and len(t) <= 30 and not _SENT_PUNCT.search(t)):
            run.append(i)
            i -= 1
            continue
        break
    run.reverse()
    has_anchor = any(_TESHI.match(paras[k].text) or _DATE_LINE.match(paras[k].text) for k in run)
    closing_start = None
    for k in run:
        t = paras[k].text
        if _TESHI.match(t) or _DATE_LINE.match(t) or _CONTACT.search(t) or _is_signature(t, not has_anchor):
            closing_start = k
            break
    for k in run:
        if closing_start is None or k < closing_start:
            paras[k].kind = "meta"
    for k, p in enumerate(paras):
        if k > 0 and _TESHI.match(p.text) and (closing_start is None or k < closing_start):
            closing_start = k
            break
    if closing_start is not None:
        for p in paras[closing_start:]:
            p.kind = "closing"
    # title: the first title-like line near the top, with the issuer lines just above it
    limit = len(paras) if closing_start is None else closing_start
    for k in range(min(limit, 40)):
        p = paras[k]
        if p.kind == "meta":
            continue
        if _match_any_marker(p.text) or len(p.text) > 120:
            break
        if _is_title_line(p.text):
            p.kind = "title"
            j = k - 1
            while j >= 0 and (paras[j].kind == "meta" or (
                    paras[j].kind == "body" and len(paras[j].text) <= 40 and not _SENT_PUNCT.search(paras[j].text)
                    and not re.search("[:：]", paras[j].text))):
                if paras[j].kind == "body":
                    paras[j].kind = "title"
                j -= 1
            j = k + 1
            while j < limit and paras[j].kind in ("body", "meta"):
                if paras[j].kind == "body" and _DATE_LINE.match(paras[j].text):
                    paras[j].kind = "title"
                elif paras[j].kind != "meta":
                    break
                j += 1
            break
    for p in paras:
        if p.kind in ("meta", "title", "closing"):
            p.part = p.kind


def _sections(paras: list[_P]) -> None:
    stack: list[tuple[int, str]] = []
    for p in paras:
        if p.kind in ("title", "meta", "closing"):
            p.section = ()
            continue
        if p.heading is not None:
            while stack and stack[-1][0] >= p.heading.depth:
                stack.pop()
            stack.append((p.heading.depth, p.heading.marker + p.heading.title))
        p.section = tuple(label for _, label in stack)


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


# ---------------------------------------------------------------------------------------
# meta


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
        m = re.search(r"现将[^。]{0,80}?(?:报告|汇报)如下", p.text)
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
        m = re.match(r"((?:19|20)\d{2})\s*年度?(?!\s*\d{1,2}\s*月)(?![\d" + _RANGE_CH + r"])", p.text)
        if m:
            return int(m.group(1)), f"首段开头：{p.text[:14]}…"
        break
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
            m = re.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月", p.text) if p.kind == "closing" else None
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


_DOMAIN_TERMS = ("依法行政", "法治政府", "行政执法", "普法", "法律顾问", "规范性文件", "行政复议", "重大行政决策",
                 "第一责任人", "法治建设", "合法性审查", "合法性审核", "执法全过程记录", "行政应诉", "三项制度",
                 "公职律师", "法治思想", "述法", "法治宣传", "依法治", "权责清单", "放管服", "行政诉讼", "法治督察")
_LEAD_TOPIC = re.compile(r"法治政府|依法行政|法治建设|依法治[省市县区镇乡旗州盟]")
# a title ending in another kind of document: a notice, work points, a plan, a speech …
_KIND_END = re.compile(r"(通知|工作要点|要点|实施方案|方案|实施意见|意见|讲话|公告|通报|简报|纪要)$")
CITED_TITLE_RE = re.compile(r"《[^《》]{1,80}》")  # a cited title; the matcher skips hits inside it
# titles of other kinds of document that share the annual report's vocabulary
_OTHER_KIND = re.compile(
    r"普法(依法治理)?(工作)?(总结|报告|情况)|依法治理工作总结|安全生产|政府工作报告|工作要点|实施方案|实施意见|"
    r"通知|公告|通报|简报|讲话|举办|召开|开展.{0,10}(活动|培训)|培训班"
)


def _body_and_level(text: str, paragraphs: Sequence[Paragraph], fields: Mapping[str, str]
                    ) -> tuple[str | None, str, str | None, str]:
    """(body, body_source, level, level_reason)."""
    orgs: list[tuple[_Org, str]] = []  # (org, source)
    titles = [p for p in paragraphs if p.kind == "title"]
    for p in titles:
        t = p.text
        if _is_title_line(t):
            m = re.search(r"关于", t)
            prefix = t[:m.start()] if m else re.split(r"(?:19|20)\d{2}|法治政府|依法行政|法治建设", t)[0]
            for piece in re.split(f"[{_WS}、,，]+", prefix):
                o = _parse_org(piece) if piece else None
                if o:
                    orgs.append((o, "标题"))
        elif not _DATE_LINE.match(t):
            o = _parse_org(t)
            if o:
                orgs.append((o, "标题"))
    if not orgs:
        for p in paragraphs:
            if p.kind == "closing" and _is_signature(p.text, strong_only=False):
                for piece in re.split(f"[{_WS}]+", p.text):
                    o = _parse_org(piece) if piece else None
                    if o:
                        orgs.append((o, "落款"))
    if not orgs:
        for key in ("发布机构", "发文机关", "发布单位", "信息来源", "来源"):
            if fields.get(key) and not _MEDIA.search(fields[key]):
                o = _parse_org(fields[key])
                if o:
                    orgs.append((o, f"网页“{key}”"))
                    break
    counts = _self_counts(text)
    if not orgs:
        body = [p for p in paragraphs if p.kind in ("body", "heading") and p.part != "title"]
        for p in body[:3]:
            if _ADDRESSEE.match(p.text):
                continue
            m = re.match(r"(?:(?:19|20)\d{2}\s*年度?|一年来|今年以来|今年)[，,]?\s*", p.text)
            if m:
                rest = p.text[m.end():m.end() + 24]
                units, _ = _scan_units(rest, max_name=4, strict=True)
                # keep the chain up to its last unit the report names again ("沙湖区认真落实自治区…"
                # scans as 沙湖区 + 认真落实自治区: only the first is a name)
                keep = 0
                for k, u in enumerate(units):
                    stem = u[:-len(_unit_suffix(u))]
                    if stem and stem not in _STEM_BLACKLIST and text.count(u) >= 2:
                        keep = k + 1
                units = units[:keep]
                if units:
                    end = len("".join(units))
                    o = _parse_org(rest[:end])
                    dm = re.match(r"([" + _HAN + r"]{1,8}?(?:局|办公室|委员会|中心))", rest[end:])
                    if dm and not re.search("[认坚全深持扎以在围积紧着按通进高加切大]", dm.group(1)[:1]):
                        o = _parse_org(rest[:end] + dm.group(1)) or o
                    if o:
                        orgs.append((o, "首句主语"))
            break
    if not orgs:
        sn = _self_name(text, counts)
        if sn:
            o = _parse_org(sn[0])
            if o:
                orgs.append((o, "正文自称的地名"))
    rank = {"department": 5, "township": 4, "county": 3, "city": 2, "province": 1, None: 0}
    org, src = (max(orgs, key=lambda x: rank[x[0].level]) if orgs else (None, ""))

    # ---- level
    selfs = []
    for lvl in LEVELS:
        c = counts[lvl]
        if sum(c.values()):
            selfs.append((lvl, sum(c.values()), "、".join(f"“{f}”{n}次" for f, n in c.most_common(3))))
    selfs.sort(key=lambda x: -x[1])
    self_of = {lvl: (n, desc) for lvl, n, desc in selfs}

    def self_note(lvl: str) -> str:
        return f"正文自称{self_of[lvl][1]}" if lvl in self_of else ""

    addressee = None
    for p in paragraphs[:12]:
        if p.kind in ("body",) and _ADDRESSEE.match(p.text) and re.search(r"委|政府|党中央|国务院", p.text):
            addressee = p.text.rstrip(":：")
            break
    content = {lvl: len(pat.findall(text)) for lvl, pat in _CONTENT.items()}

    def join(*xs: str) -> str:
        return "；".join(x for x in xs if x)

    dept_n = self_of.get("department", (0, ""))[0]
    if org and src == "正文自称的地名" and dept_n >= 2:
        first_person = sum(n for f, n in counts[org.level].items() if f.startswith("我")) if org.level else 0
        if dept_n >= first_person:
            return None, "", "department", join(f"正文自称为部门（多于“我{org.suffix}”）", self_note("department"))
    if org and org.level and not org.ambiguous:
        lvl = org.level
        return org.name, src, lvl, join(f"报告主体“{org.name}”（{src}，{org.suffix}）→ {LEVEL_NAMES[lvl]}", self_note(lvl))
    if org and org.ambiguous:
        # "XX市": a districted city (has 县（市、区） under it, makes local law, reports to the
        # province) or a county-level city (reports to another, named city; has 镇/街道 under it)
        city_sig: list[tuple[int, str]] = []
        county_sig: list[tuple[int, str]] = []
        stem = org.name[:-1]
        if addressee and re.search(r"省委|省政府|省人民政府|自治区", addressee):
            city_sig.append((3, f"报送“{addressee}”"))
        addr = re.sub(r"中共|中国共产党", "", addressee or "")
        other_city = [c for c in re.findall(f"([{_HAN}]{{2,4}}?)市(?:党?委|人民政府|政府)", addr) if c != stem]
        if other_city:
            county_sig.append((3, f"报送上级市“{addressee}”"))
        if content["city"]:
            city_sig.append((min(content["city"], 2), f"正文提到县（市、区）{content['city']}次"))
        if re.search(r"制定[^。]{0,10}(?:地方性法规|政府规章)|立法计划|立法项目", text):
            city_sig.append((2, "正文涉及地方立法"))
        towns = re.search(r"(?:全市|我市|市辖)\s*(?:共有|辖)?\s*\d+\s*个(?:乡镇|镇|乡|街道)", text)
        if towns or (content["county"] and not content["city"]):
            county_sig.append((1, "市下直接辖乡镇（街道）"))
        c_score, k_score = sum(w for w, _ in city_sig), sum(w for w, _ in county_sig)
        if k_score > c_score:
            return org.name, src, "county", join(
                f"报告主体“{org.name}”（{src}，市）按县级市 → 县级", "，".join(d for _, d in county_sig),
                self_note("city"))
        reason = "，".join(d for _, d in city_sig) if city_sig else "未见县级市的迹象，按设区的市"
        return org.name, src, "city", join(f"报告主体“{org.name}”（{src}，市）→ 设区的市级", reason, self_note("city"))

    body_name = org.name if org else None
    if "department" in self_of and self_of["department"][0] >= 2:
        return body_name, src, "department", join("正文自称为部门", self_note("department"))
    terr = [s for s in selfs if s[0] != "department"]
    if terr and terr[0][1] >= 2:
        lvl = terr[0][0]
        return body_name, src, lvl, join(f"未找到报告主体名称；{self_note(lvl)} → {LEVEL_NAMES[lvl]}")
    if addressee and re.search(r"党中央|国务院", addressee):
        return body_name, src, "province", f"报送“{addressee}”→ 省级或国务院部门"
    if addressee:
        m = re.search(r"(自治区|省|自治州|州|盟|市|县|区|旗)(?:党?委|人民政府|政府)", addressee)
        if m:
            sup = m.group(1)
            lvl = {"自治区": "city", "省": "city", "自治州": "county", "州": "county", "盟": "county",
                   "市": "county", "县": "township", "区": "township", "旗": "township"}[sup]
            return body_name, src, lvl, f"报送“{addressee}”（上级为{sup}）→ {LEVEL_NAMES[lvl]}或其部门"
    best = max(content.items(), key=lambda kv: kv[1])
    if best[1] >= 3:
        lvl = best[0]
        what = {"township": "村（社区）", "county": "乡镇（街道）", "city": "县（市、区）"}[lvl]
        return body_name, src, lvl, f"正文多次提到{what}（{best[1]}次）→ {LEVEL_NAMES[lvl]}"
    return body_name, src, None, "未能判断报告主体层级"


def detect_meta(text: str, paragraphs: Sequence[Paragraph], headings: Sequence[Heading] = (),
                fields: Mapping[str, str] | None = None) -> Meta:
    """Year, body, level, date, title and is_report for a structured report, each with a reason."""
    fields = dict(fields or {})
    for p in paragraphs:
        if p.kind == "meta":
            for k, v in _parse_meta_fields(p.text).items():
                fields.setdefault(k, v)
    year, year_reason = _detect_year(text, paragraphs, headings, fields)
    body, _src, level, level_reason = _body_and_level(text, paragraphs, fields)
    date, _ = _signing_date(paragraphs, fields)

    title = None
    for p in paragraphs:
        if p.kind == "title" and _is_title_line(p.text):
            title = p.text
            break
    if title is None and fields.get("名称"):
        title = fields["名称"]

    terms = [t for t in _DOMAIN_TERMS if t in text]
    lead_src = ""
    if title and _LEAD_TOPIC.search(title):
        lead_src = "标题"
    else:
        lead_text = "".join(p.text for p in paragraphs if p.kind in ("body", "heading"))[:300]
        if _LEAD_TOPIC.search(lead_text):
            lead_src = "开头"
    is_report = (bool(lead_src) and len(terms) >= 3) or len(terms) >= 6
    shown = "、".join(terms[:6]) + ("等" if len(terms) > 6 else "")
    # what the document calls itself: its title, or short first lines that read as one
    # (an issuing office's name may stand above the title)
    candidates = [title] if title else []
    for p in paragraphs[:3]:
        line = p.text.strip()
        if len(line) <= 60 and not re.search(r"[。！？；]", line):
            candidates.append(line)
    other = None
    for line in candidates:
        outer = CITED_TITLE_RE.sub("", line)  # 关于印发《…法治建设工作要点》的通知: the kind is outside 《》
        m = _KIND_END.search(outer) if "报告" not in outer else None
        m = m or (_OTHER_KIND.search(outer) if not _LEAD_TOPIC.search(outer) else None)
        if m:
            other, heading_line = m, line
            break
    if other:
        # the title says what the document is: a legal-education summary, a government work
        # report, a notice … shares the vocabulary but is not the annual report
        is_report = False
        report_reason = f"标题“{heading_line}”表明这是另一类文件（{other.group(0)}），不是法治政府建设年度报告"
    elif is_report:
        report_reason = (f"{lead_src}提及法治政府建设；" if lead_src else "") + f"领域术语{len(terms)}个（{shown}）"
    else:
        report_reason = ("标题和开头未提及法治政府/依法行政/法治建设；" if not lead_src else "") + \
                        (f"领域术语仅{len(terms)}个" + (f"（{shown}）" if terms else ""))
    return Meta(year=year, year_reason=year_reason, body=body, level=level, level_reason=level_reason,
                date=date, title=title, is_report=is_report, report_reason=report_reason)


def _dump(doc: Document) -> str:  # pragma: no cover - a debugging aid
    lines = [f"{doc.meta}"]
    for p in doc.paragraphs:
        lines.append(f"{p.index:3d} {p.kind:8s} {p.part:12s} {p.section_label[:40]:40s} | {p.text[:40]}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import sys

    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as fh:
            print(_dump(build(Source(path=path, text=fh.read(), encoding="utf-8", sha256="0"))))
