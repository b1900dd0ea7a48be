"""Comparisons a regular expression cannot make: each takes (check, doc, ctx) and returns
findings. A check names one with ``compare: NAME`` in rules/checks/*.yaml."""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path

from checker import recache  # compiled patterns kept across runs
from checker.model import Finding

CN = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
      "九": 9}


def _days_in(year: int, month: int) -> int:
    """calendar.monthrange(year, month)[1] (month 1–12), without importing calendar and
    locale for it (~2 ms of a cold start)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _f(check, start, end, text, message=None, replacement=None) -> Finding:
    return Finding(check=check.id, message=message or check.message, severity=check.severity, start=start,
                   end=end, text=text, replacement=replacement, fix=check.fix)


def _body_paragraphs(doc):
    return [p for p in doc.paragraphs if p.part not in ("meta", "title")]


# --- dates ------------------------------------------------------------------------------

DATE_RE = recache.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_PLANNED = recache.compile(r"前|底|计划|将|拟|力争|预计|截至|截止|至|到|期间|起|开始|施行|实施|推进|完成")


def impossible_dates(check, doc, ctx):
    """2023年2月30日, 2023年13月: dates that cannot exist."""
    out = []
    for p in _body_paragraphs(doc):
        for m in DATE_RE.finditer(p.text):
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if m.group(3) else None
            bad = not 1 <= mo <= 12 or (d is not None and not 1 <= d <= _days_in(y, mo))
            if bad and 1900 < y < 2200:
                out.append(_f(check, p.start + m.start(), p.start + m.end(), m.group(0)))
    return out


def future_dates(check, doc, ctx):
    """A date in the achievements after the report was signed (or published, or today)."""
    ref = ctx.published or _iso(doc.meta.date) or ctx.today
    out = []
    for p in doc.paragraphs:
        if p.part != "achievements" or p.kind != "body":
            continue
        for s in p.sentences:
            for m in DATE_RE.finditer(s.text):
                y, mo = int(m.group(1)), int(m.group(2))
                if not 1 <= mo <= 12:
                    continue
                d = int(m.group(3)) if m.group(3) else 1
                if not 1 <= d <= _days_in(y, mo):
                    continue
                if dt.date(y, mo, d) > ref and not _PLANNED.search(s.text):
                    out.append(_f(check, s.start + m.start(), s.start + m.end(), m.group(0),
                                  f"{check.message}（晚于 {ref.isoformat()}）"))
    return out


def _iso(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _closing_span(doc):
    for p in reversed(doc.paragraphs):
        if p.kind == "closing" and DATE_RE.search(p.text) or p.kind == "closing" and recache.search(r"[〇○零一二三四五六七八九]{4}年", p.text):
            return p.start, p.end, p.text
    return None


def signature_date(check, doc, ctx):
    """The signature date should fall in the year after the year reported on (or its December)."""
    signed = _iso(doc.meta.date)
    year = ctx.year
    if signed is None or year is None:
        return []
    if dt.date(year, 12, 1) <= signed <= dt.date(year + 1, 12, 31):
        return []
    span = _closing_span(doc) or (0, 0, "")
    return [_f(check, span[0], span[1], span[2],
               f"{check.message}：成文日期 {signed.isoformat()}，报告年度 {year} 年")]


def publication(check, doc, ctx):
    """Published after 1 April of the following year (1 March for a department)."""
    published = ctx.published or _iso(_page_date(doc))
    return publication_finding(check, ctx.year, ctx.level, published)


def publication_finding(check, year, level, published):
    if published is None or year is None:
        return []
    due = dt.date(year + 1, 3 if level == "department" else 4, 1)
    if published < due:
        return []
    what = "部门报告应于次年3月1日前报送" if level == "department" else "应于次年4月1日前公开"
    return [_f(check, 0, 0, "", f"{check.message}：{published.isoformat()} 发布，{what}（{due.isoformat()} 前）")]


def _page_date(doc):
    for key in ("发布日期", "发布时间", "公开日期"):
        value = doc.source.fields.get(key)
        if value:
            m = recache.search(r"(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})", value)
            if m:
                try:
                    return dt.date(*map(int, m.groups())).isoformat()
                except ValueError:
                    return None
    return None


# --- headings ---------------------------------------------------------------------------

def _marker_number(marker: str) -> int | None:
    core = marker.strip("（）()、.．， ")
    if core.isdigit():
        return int(core)
    if not core or any(c not in CN and c != "十" for c in core):
        return None
    if "十" in core:
        a, _, b = core.partition("十")
        return (CN.get(a, 1) if a else 1) * 10 + (CN.get(b, 0) if b else 0)
    return CN.get(core) if len(core) == 1 else None


def numbering(check, doc, ctx):
    """Heading numbers that skip (一、二、四) or repeat under the same parent heading."""
    out = []
    last: dict[int, int] = {}
    for h in doc.headings:
        n = _marker_number(h.marker)
        for d in [d for d in last if d > h.depth]:
            del last[d]
        if n is None:
            continue
        prev = last.get(h.depth, 0)
        last[h.depth] = n
        if n == prev:
            out.append(_f(check, h.start, h.end, doc.text[h.start:h.end], f"{check.message}：编号“{h.marker}”重复"))
        elif n > prev + 1:
            out.append(_f(check, h.start, h.end, doc.text[h.start:h.end],
                          f"{check.message}：编号“{h.marker}”之前缺少 {n - prev - 1} 个同级编号"))
        elif n < prev:
            out.append(_f(check, h.start, h.end, doc.text[h.start:h.end],
                          f"{check.message}：编号“{h.marker}”排在更大的编号之后"))
    return out


def heading_levels(check, doc, ctx):
    """A heading level used before the level above it, e.g. （一） before any 一、 (reported once)."""
    seen: set[int] = set()
    for h in doc.headings:
        if h.depth > 1 and (h.depth - 1) not in seen and any(d < h.depth for d in seen | {0}) and seen:
            return [_f(check, h.start, h.end, doc.text[h.start:h.end],
                       f"{check.message}：“{h.marker}”一级出现在上一级编号之前")]
        if h.depth == 1:
            seen = {1}
        else:
            seen.add(h.depth)
    return []


# --- numbers ----------------------------------------------------------------------------

PCT_RE = recache.compile(r"(\d+(?:\.\d+)?)\s*%")
_SHARE = recache.compile(r"率|覆盖|占比|占|比例|比重")
_GROWTH = recache.compile(r"增长|增加|增幅|提高|提升|上升|同比|环比|超|倍|下降|减少")


def percent_over_100(check, doc, ctx):
    """A share (率、覆盖、占比) above 100 %."""
    out = []
    for p in _body_paragraphs(doc):
        for m in PCT_RE.finditer(p.text):
            if float(m.group(1)) <= 100:
                continue
            clause = recache.split(r"[，,；;。：:、（(]", p.text[max(0, m.start() - 16):m.start()])[-1]
            if _SHARE.search(clause) and not _GROWTH.search(clause):
                out.append(_f(check, p.start + m.start(), p.start + m.end(), m.group(0)))
    return out


_FULL = recache.compile(r"全覆盖|覆盖率(?:达到?|为)?\s*100\s*%|百分之百")
_OF = recache.compile(r"(?<!\d)(\d+)\s*个[^。；，,\d]{1,16}?(?:中|[，,](?:其中|已有))\s*(?:有|的)?\s*(\d+)\s*个")
_RATIO = recache.compile(r"(\d+)\s*个[^。；、，,\d]{1,16}?(?:中|有)[^。；、，,\d]{0,6}?(\d+)\s*个[^。；\d]{0,20}?(?:占比|比例为?|比率为?|率为|率达到?|占)\s*(\d+(?:\.\d+)?)\s*%")


def coverage_counts(check, doc, ctx):
    """A coverage statement its own counts contradict: 12 个村中 10 个 … 全覆盖; 20 个中 15 个，占 90%."""
    out = []
    for p in _body_paragraphs(doc):
        for s in p.sentences:
            full = _FULL.search(s.text)
            for m in _OF.finditer(s.text):
                total, part = int(m.group(1)), int(m.group(2))
                if full and 0 < part < total:
                    out.append(_f(check, s.start + m.start(), s.start + full.end() if full.start() > m.start()
                                  else s.start + m.end(), s.text[m.start():max(m.end(), full.end())],
                                  f"{check.message}：{total} 个中 {part} 个，却写“{full.group(0)}”"))
            for m in _RATIO.finditer(s.text):
                total, part, pct = int(m.group(1)), int(m.group(2)), float(m.group(3))
                if 0 < part <= total and abs(100 * part / total - pct) > 1.5:
                    out.append(_f(check, s.start + m.start(), s.start + m.end(), m.group(0),
                                  f"{check.message}：{part}/{total} 约为 {100 * part / total:.1f}%，不是 {pct:g}%"))
    return out


# --- title ------------------------------------------------------------------------------

_YEAR = recache.compile(r"(?<!\d)(20\d\d)(?!\d)\s*年")
_CN_YEAR = recache.compile(r"二[〇○零][一二三四五六七八九〇○零]{2}年")


def _title_para(doc):
    titles = [p for p in doc.paragraphs if p.kind == "title"]
    if doc.meta.title:
        named = [p for p in titles if doc.meta.title in p.text or p.text in doc.meta.title]
        if named:
            return named[0]
    return titles[0] if titles else None


def title_year(check, doc, ctx):
    """The title names the year reported on, and the body's work is that year's."""
    tp = _title_para(doc)
    if tp is None:
        return []
    years = [int(m.group(1)) for m in _YEAR.finditer(tp.text)]
    if not years and not _CN_YEAR.search(tp.text):
        return [_f(check, tp.start, tp.end, tp.text, "标题未写明报告年度（如“关于2023年度法治政府建设情况的报告”）")]
    if not years:
        return []
    t = years[0]
    counts = Counter(int(m.group(1)) for p in doc.paragraphs if p.part == "achievements"
                     for m in _YEAR.finditer(p.text))
    if counts[t] == 0 and counts[t - 1] >= 3:
        return [_f(check, tp.start, tp.end, tp.text,
                   f"{check.message}：标题写 {t} 年，正文写的是 {t - 1} 年的工作（{counts[t - 1]} 处）")]
    signed = _iso(doc.meta.date)
    if signed is not None and signed < dt.date(t, 11, 1):
        return [_f(check, tp.start, tp.end, tp.text,
                   f"{check.message}：标题写 {t} 年，成文日期却是 {signed.isoformat()}")]
    return []


_ORG = recache.compile(r"人民政府|政府|[省市县区旗镇乡]|街道|局|委员会|委|办公室|办|厅|中心|管委会|院")


def title_body(check, doc, ctx):
    """The title names the reporting body (as in 某县人民政府关于…的报告)."""
    tp = _title_para(doc)
    if tp is None:
        return []
    head = recache.split(r"关于|20\d\d|法治政府", tp.text)[0]
    others = [p.text for p in doc.paragraphs if p.kind == "title" and p.index < tp.index]
    if _ORG.search(head) or any(_ORG.search(t) for t in others) or (doc.meta.body and doc.meta.body in tp.text):
        return []
    return [_f(check, tp.start, tp.end, tp.text)]


# --- cited documents --------------------------------------------------------------------

CITED = recache.compile(r"《([^《》\n]{2,60})》")
_OUTLINE = recache.compile(r"^法治政府建设实施纲要\s*[（(]\s*(\d{4})\s*[^\d年]{0,2}\s*(\d{4})\s*年?\s*[)）]$")


def outline_edition(check, doc, ctx):
    """《法治政府建设实施纲要（A—B年）》 for an edition the registry has no profile for."""
    out = []
    for m in CITED.finditer(doc.text):
        o = _OUTLINE.match(m.group(1).replace(" ", ""))
        if o and ctx.editions and (int(o.group(1)), int(o.group(2))) not in ctx.editions:
            known = "、".join(f"{a}—{b}年" for a, b in ctx.editions)
            out.append(_f(check, m.start(), m.end(), m.group(0), f"{check.message}（规则库中的版本：{known}）"))
    return out


LAWS_FILE = Path(__file__).resolve().parents[2] / "rules" / "checks" / "data" / "laws.yaml"


@functools.lru_cache(maxsize=2)
def laws(path: str = str(LAWS_FILE)) -> dict:
    """{name: entry} from the dated list (rules/checks/data/laws.yaml); short names too."""
    p = Path(path)
    if not p.is_file():
        return {"by_name": {}, "full": []}
    # kept in the user cache (checker.cache) under the file's path, size and time: parsing the
    # list took longer than checking a report against it
    from checker import cache

    kept = cache.data_entry(p, "laws", 1)
    got = cache.load_data(kept)
    if isinstance(got, dict):
        return got
    import yaml  # only a report citing a law needs the list

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the same data, ten times faster
    data = yaml.load(p.read_text(encoding="utf-8"), Loader=loader) or {}
    by_name = {}
    for entry in data.get("laws", []):
        name = entry["name"]
        by_name[name] = entry
        short = name.removeprefix("中华人民共和国")
        by_name.setdefault(short, entry)
    out = {"by_name": by_name, "full": [e["name"] for e in data.get("laws", [])], "meta": data.get("source", {})}
    cache.store_data(kept, out)
    return out


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


_HISTORY = recache.compile(r"废止|废除|取代|替代|施行前|此前|原《|旧|修订|修改|编纂|合并")


def _law_name(raw: str) -> str:
    return recache.sub(r"\s+", "", raw).split("（")[0].split("(")[0]


def repealed_laws(check, doc, ctx):
    """A law cited as current that was no longer in force in the year reported on."""
    if ctx.year is None:
        return []
    table = None
    start = dt.date(ctx.year, 1, 1)
    out = []
    for m in CITED.finditer(doc.text):
        if table is None:  # read on the first law cited
            table = laws(ctx.laws_file or str(LAWS_FILE))["by_name"]
        entry = table.get(_law_name(m.group(1)))
        repealed = _date(entry.get("repealed")) if entry else None
        if repealed is None or repealed > start:
            continue
        sentence = _around(doc.text, m.start(), m.end())
        if _HISTORY.search(sentence):
            continue
        by = entry.get("replaced_by")
        out.append(_f(check, m.start(), m.end(), m.group(0),
                      f"{check.message}：《{entry['name']}》已于 {repealed.isoformat()} 废止"
                      + (f"，现行为《{by}》" if by else ""), f"《{by}》" if by else None))
    return out


_KIND = recache.compile(r"(法典|法|条例|规定|通则|办法)$")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _close_name(name: str, known: list[str]) -> str | None:
    """A listed name this one is a slip of: a character or two added or lost (行政处罚条法),
    or the right name with the wrong kind of act (政府信息公开法 for …条例). A different law
    one character away (国防法, 消防法) is not a slip: substitutions are never matched."""
    stem = _KIND.sub("", name)
    for k in known:
        if k == name:
            return None
    for k in known:
        if 0 < abs(len(k) - len(name)) <= 2 and (_subsequence(k, name) or _subsequence(name, k)):
            return k
        if _KIND.sub("", k) == stem and k != name and len(stem) >= 9:
            return k
    return None


def misnamed_laws(check, doc, ctx):
    """《中华人民共和国…》 not in the list but a slip of a name in it: a misnamed law."""
    data = None
    out = []
    for m in CITED.finditer(doc.text):
        if data is None:  # read on the first law cited
            data = laws(ctx.laws_file or str(LAWS_FILE))
        name = _law_name(m.group(1))
        if not name.startswith("中华人民共和国") or not _KIND.search(name) or name in data["by_name"]:
            continue
        best = _close_name(name, data["full"])
        if best:
            out.append(_f(check, m.start(), m.end(), m.group(0), f"{check.message}：应为《{best}》", f"《{best}》"))
    return out


def _around(text, start, end):
    a = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    b = min([x for x in (text.find("。", end), text.find("\n", end)) if x >= 0] or [len(text)])
    return text[a:b]


COMPARISONS = {
    "impossible-dates": impossible_dates,
    "future-dates": future_dates,
    "signature-date": signature_date,
    "publication": publication,
    "numbering": numbering,
    "heading-levels": heading_levels,
    "percent-over-100": percent_over_100,
    "coverage-counts": coverage_counts,
    "title-year": title_year,
    "title-body": title_body,
    "outline-edition": outline_edition,
    "repealed-laws": repealed_laws,
    "misnamed-laws": misnamed_laws,
}
