"""Who wrote the report and at what government level."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..model import LEVEL_ZH, LEVELS, Paragraph
from .lexicon import (_ADDRESSEE, _CONTENT, _DATE_LINE, _DEPT_TAIL, _HAN, _MEDIA, _MUNICIPALITIES, _NAME_STOP, _NEXT_BAD,
    _ORG_WORDS, _SELF_REFS, _SELF_SUFFIX, _STEM_BLACKLIST, _UNIT_SUFFIXES, _WS)
from checker import recache  # compiled patterns kept across runs

from . import gazetteer
from .lexicon import (COMMON_STEMS, DEPT_END, DEPT_NAME, DEPT_PLACE_RANK, DEPT_SECTOR, GLUED_TITLE, PARTY_COMMITTEE,
    SELF_GOV, SELF_GOV_ANYWHERE, SUBJECT_LEAD, SUBJECT_NEXT, SUFFIX_LEVEL)
from .lines import _is_signature, _is_title_line


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
            if not recache.compile(f"[{_HAN}]").match(s[j - 1]) or (strict and s[j - 1] in _NAME_STOP):
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
    """A reporting body found in the text: its name, level and what decided the level."""

    name: str  # the most specific name: "许疃镇", "弋阳县司法局"
    level: str | None
    suffix: str  # what decided the level: "镇", "局", "区" …
    ambiguous: bool = False  # "XX市": districted city or county-level city
    unverified: bool = False  # a place name the gazetteer does not hold
    division: "gazetteer.Division | None" = None  # the gazetteer's entry for it


def _parse_org(raw: str, strict: bool = False) -> _Org | None:
    """An organisation name -> its most specific administrative unit or department."""
    s = recache.sub(f"[{_WS}]", "", raw)
    s = recache.sub(r"^(?:中共|中国共产党)", "", s)
    if not s:
        return None
    # department: a name ending in 局/厅/办公室/委员会/委/办/中心 that is not a party committee
    party = bool(recache.search(r"(?:工作委员会|党工委|工委|党委)$", s)) or bool(
        recache.search(r"[省市县区旗镇乡州盟]委(?:员会)?$", s)) or raw.strip().startswith(("中共", "中国共产党"))
    if not party and not s.endswith("办事处") and recache.search(r"(?:局|厅|办公室|委员会|委|办|中心|署)$", s):
        units: list[str] = []
        rest = ""
        for piece in recache.split(r"人民政府|政府", s):
            u, end = _scan_units(piece, strict=strict)
            units += u
            if piece[end:]:
                rest = piece[end:]
        m = _DEPT_TAIL.match(rest) if rest else None
        if m:
            suffix = recache.search(r"(管理局|局|厅|办公室|委员会|委|办|中心|署)$", s).group(1)
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
            n = len(recache.findall(r"(?<![镇乡（(、和各])街道(?![)）])", text))
            if n >= 5:
                suffixes["街道"] += n // 2
    best: tuple[int, int, str, str] | None = None
    for suf, n in suffixes.most_common():
        if n < 2:
            continue
        names: Counter = Counter()
        for m in recache.compile(f"(?=([{_HAN}]{{2}}){suf})").finditer(text):
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


def _body_and_level(text: str, paragraphs: Sequence[Paragraph], fields: Mapping[str, str]
                    ) -> tuple[str | None, str, str | None, str]:
    """(body, body_source, level, level_reason)."""
    orgs: list[tuple[_Org, str]] = []  # (org, source)

    def add(o: _Org | None, where: str) -> None:
        o = _checked(o, text, strong=where == "标题") if o else None
        if o:
            orgs.append((o, where))
            if not o.unverified:  # a name the gazetteer holds beats one it does not
                orgs[:] = [(x, w) for x, w in orgs if not x.unverified]
    titles = [p for p in paragraphs if p.kind == "title"]
    for p in titles:
        t = p.text
        if _is_title_line(t):
            m = recache.search(r"关于", t)
            prefix = t[:m.start()] if m else recache.split(r"(?:19|20)\d{2}|法治政府|依法行政|法治建设", t)[0]
            for piece in recache.split(f"[^{_HAN}]+", prefix):  # a banner or URL glued before it splits off
                o = _parse_org(piece) if piece else None
                if o:
                    add(o, "标题")
        elif not _DATE_LINE.match(t):
            o = _parse_org(t)
            if o:
                add(o, "标题")
    self_gov = None
    if not orgs:
        subj, self_gov = _first_subject(text, paragraphs)
        if subj is None and self_gov is None:
            for pat in SELF_GOV_ANYWHERE:
                gm = pat.search(text[:3000])
                if gm:
                    self_gov = (gm.group(1), gm.group(0)[:24])
                    break
        if subj is not None:
            if subj.level is None:
                subj = _Org(subj.name, _unit_level(subj.name), subj.suffix, ambiguous=subj.name.endswith("市"))
            add(subj, "首句主语")
    if not orgs and self_gov:
        suf, said = self_gov
        name = _named_place(text, suf, SUFFIX_LEVEL.get(suf))
        if name:
            add(_Org(name, SUFFIX_LEVEL.get(suf), suf, ambiguous=suf == "市"), f"自称“{said}”与正文地名")
    if not orgs:
        for p in paragraphs:
            if p.kind == "closing" and _is_signature(p.text, strong_only=False):
                for piece in recache.split(f"[{_WS}]+", p.text):
                    o = _parse_org(piece) if piece else None
                    if o:
                        add(o, "落款")
    if not orgs:
        for key in ("发布机构", "发文机关", "发布单位", "信息来源", "来源"):
            if fields.get(key) and not _MEDIA.search(fields[key]):
                o = _parse_org(fields[key])
                if o:
                    add(o, f"网页“{key}”")
                    if orgs:
                        break
    counts = _self_counts(text)
    if not orgs:
        body = [p for p in paragraphs if p.kind in ("body", "heading") and p.part != "title"]
        for p in body[:3]:
            if _ADDRESSEE.match(p.text):
                continue
            m = recache.match(r"(?:(?:19|20)\d{2}\s*年度?|一年来|今年以来|今年)[，,]?\s*", p.text)
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
                    dm = recache.match(r"([" + _HAN + r"]{1,8}?(?:局|办公室|委员会|中心))", rest[end:])
                    if dm and not recache.search("[认坚全深持扎以在围积紧着按通进高加切大]", dm.group(1)[:1]):
                        o = _parse_org(rest[:end] + dm.group(1)) or o
                    if o:
                        add(o, "首句主语")
            break
    if not orgs:
        sn = _self_name(text, counts)
        if sn:
            o = _parse_org(sn[0])
            if o:
                add(o, "正文自称的地名")
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
        if p.kind in ("body",) and _ADDRESSEE.match(p.text) and recache.search(r"委|政府|党中央|国务院", p.text):
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
        return org.name, src, lvl, join(f"报告主体“{org.name}”（{src}，{org.suffix}）→ {LEVEL_ZH[lvl]}", self_note(lvl))
    if org and org.ambiguous:
        # "XX市": a districted city (has 县（市、区） under it, makes local law, reports to the
        # province) or a county-level city (reports to another, named city; has 镇/街道 under it)
        city_sig: list[tuple[int, str]] = []
        county_sig: list[tuple[int, str]] = []
        stem = org.name[:-1]
        if addressee and recache.search(r"省委|省政府|省人民政府|自治区", addressee):
            city_sig.append((3, f"报送“{addressee}”"))
        addr = recache.sub(r"中共|中国共产党", "", addressee or "")
        other_city = [c for c in recache.findall(f"([{_HAN}]{{2,4}}?)市(?:党?委|人民政府|政府)", addr) if c != stem]
        if other_city:
            county_sig.append((3, f"报送上级市“{addressee}”"))
        if content["city"]:
            city_sig.append((min(content["city"], 2), f"正文提到县（市、区）{content['city']}次"))
        if recache.search(r"制定[^。]{0,10}(?:地方性法规|政府规章)|立法计划|立法项目", text):
            city_sig.append((2, "正文涉及地方立法"))
        towns = recache.search(r"(?:全市|我市|市辖)\s*(?:共有|辖)?\s*\d+\s*个(?:乡镇|镇|乡|街道)", text)
        if towns or (content["county"] and not content["city"]):
            county_sig.append((1, "市下直接辖乡镇（街道）"))
        if org.division is not None:
            d = org.division
            parents = [a.name for a in gazetteer.ancestors(d)]
            named = [p for p in parents if p in text or (len(p) > 2 and p[:-1] in text)]
            w = 3 + (3 if named else 0)
            what = f"全国行政区划：{'、'.join(parents[::-1]) + '下' if parents else ''}{LEVEL_ZH[d.level]}"
            (city_sig if d.level == "city" else county_sig).append((w, what))
        c_score, k_score = sum(w for w, _ in city_sig), sum(w for w, _ in county_sig)
        if k_score > c_score:
            return org.name, src, "county", join(
                f"报告主体“{org.name}”（{src}，市）按县级市 → 县级", "，".join(d for _, d in county_sig),
                self_note("city"))
        reason = "，".join(d for _, d in city_sig) if city_sig else "未见县级市的迹象，按设区的市"
        return org.name, src, "city", join(f"报告主体“{org.name}”（{src}，市）→ 设区的市级", reason, self_note("city"))

    body_name = org.name if org else None
    if org is None and self_gov:
        suf, said = self_gov
        lvl = SUFFIX_LEVEL.get(suf)
        if lvl:
            return None, "", lvl, join(f"未找到报告主体名称；自称“{said}” → {LEVEL_ZH[lvl]}", self_note(lvl))
    if "department" in self_of and self_of["department"][0] >= 2:
        return body_name, src, "department", join("正文自称为部门", self_note("department"))
    terr = [s for s in selfs if s[0] != "department"]
    sector = DEPT_SECTOR.findall(text)
    if body_name is None and len(sector) >= 2 and len(sector) > sum(n for _, n, _ in terr):
        return None, "", "department", join(f"正文以行业系统自称（“{sector[0]}”{len(sector)}次，多于地域自称）",
                                           self_note("department"))
    if terr and terr[0][1] >= 2:
        lvl = terr[0][0]
        if body_name is None:
            form = next((f for f, _ in counts[lvl].most_common() if f in _SELF_SUFFIX), None)
            name = _named_place(text, _SELF_SUFFIX[form], lvl) if form else None
            if name:
                return name, "正文", lvl, join(f"报告主体“{name}”（正文自称“{form}”，并写出其名）→ {LEVEL_ZH[lvl]}",
                                              self_note(lvl))
        return body_name, src, lvl, join(f"未找到报告主体名称；{self_note(lvl)} → {LEVEL_ZH[lvl]}")
    if addressee and recache.search(r"党中央|国务院", addressee):
        return body_name, src, "province", f"报送“{addressee}”→ 省级或国务院部门"
    if addressee:
        m = recache.search(r"(自治区|省|自治州|州|盟|市|县|区|旗)(?:党?委|人民政府|政府)", addressee)
        if m:
            sup = m.group(1)
            lvl = {"自治区": "city", "省": "city", "自治州": "county", "州": "county", "盟": "county",
                   "市": "county", "县": "township", "区": "township", "旗": "township"}[sup]
            return body_name, src, lvl, f"报送“{addressee}”（上级为{sup}）→ {LEVEL_ZH[lvl]}或其部门"
    best = max(content.items(), key=lambda kv: kv[1])
    if best[1] >= 3:
        lvl = best[0]
        what = {"township": "村（社区）", "county": "乡镇（街道）", "city": "县（市、区）"}[lvl]
        return body_name, src, lvl, f"正文多次提到{what}（{best[1]}次）→ {LEVEL_ZH[lvl]}"
    return body_name, src, None, "未能判断报告主体层级"




# ---------------------------------------------------------------------------------------
# the gazetteer: real places only, their level, place and code


def _last_unit(name: str) -> tuple[list[str], str]:
    """(units, rest) of a name: "四川省绵阳市教育局" -> ([四川省, 绵阳市], 教育局)."""
    s = recache.sub(r"^(?:中共|中国共产党)", "", name)
    units: list[str] = []
    rest = s
    for piece in recache.split(r"(人民政府|政府)", s):
        if piece in ("人民政府", "政府"):
            continue
        u, end = _scan_units(piece)
        if u:
            units += u
            rest = piece[end:]
    return units, rest


def _checked(org: _Org, text: str, strong: bool = False) -> _Org | None:
    """An organisation found in the text, held against the gazetteer: a place that is no real
    division ("深入推进市", "依法管理区") is dropped; a department keeps its nearest place only
    ("四川省绵阳市教育局" -> 绵阳市教育局); a place's level is the gazetteer's."""
    if not gazetteer.available():
        return org
    if org.level == "department":
        units, rest = _last_unit(org.name)
        known = [u for u in units if gazetteer.known(u)]
        if known and rest:
            return _Org(known[-1] + rest, "department", org.suffix)
        if not units:
            # a department named without its place: the place it is written with elsewhere
            places = Counter(m.group(1) for m in re.finditer(f"([{_HAN}]{{2,10}}){re.escape(org.name)}", text)
                             if gazetteer.known(m.group(1)))
            if not places:
                places = Counter(n for _, n in gazetteer.names_in(text[:3000])
                                 if (text.count(n + org.name) > 0))
            if places:
                return _Org(places.most_common(1)[0][0] + org.name, "department", org.suffix)
            place = _dept_place(org.name, text)
            if place:
                return _Org(place + org.name.lstrip("省市县区"), "department", org.suffix)
        return org
    if org.level is None:
        return org
    if org.name in _MUNICIPALITIES:
        return org
    d = gazetteer.resolve(org.name, text)
    if d is not None:
        if org.suffix == "市" and d.level in ("city", "county"):
            # "XX市": the table's level, weighed with what the text says (kept ambiguous)
            return _Org(org.name, d.level, org.suffix, ambiguous=True, division=d)
        return _Org(org.name, d.level, org.suffix, ambiguous=False, division=d)
    same = gazetteer.lookup(org.name)
    if same:
        levels = {x.level for x in same}
        return _Org(org.name, same[0].level, org.suffix, ambiguous=False) if len(levels) == 1 else org
    # not in the national table: a place the table lacks (renamed, new) is written again as a
    # name; a cut of ordinary words ("深入推进市", "依法管理区") has a long or a common stem
    stem = org.name[:-len(_unit_suffix(org.name))] if org.name.endswith(_UNIT_SUFFIXES) else org.name
    if 2 <= len(stem) <= 3 and stem not in _STEM_BLACKLIST and (strong or text.count(org.name) >= 2):
        return _Org(org.name, org.level, org.suffix, org.ambiguous, unverified=True)
    return None


def _dept_place(name: str, text: str) -> str | None:
    """The place of a department named alone ("司法厅", "省司法厅"): the division of the level its
    name implies (厅 and 省… a province's) the report names most often."""
    rank = DEPT_PLACE_RANK.get(name[-1]) if name[0] not in "省市县区" else {"省": 1, "市": 2, "县": 3, "区": 3}[name[0]]
    if not rank:
        return None
    counts: Counter = Counter()
    for _, n in gazetteer.names_in(text[:20000]):
        if any(d.rank == rank for d in gazetteer.lookup(n)):
            counts[n] += 1
    if rank == 1:  # provinces are mostly written short: 四川, 江苏
        for d in gazetteer.provinces():
            stem = recache.sub(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", d.name)
            if len(stem) >= 2 and stem != d.name:
                counts[d.name] += text.count(stem) - text.count(d.name)
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] >= 2 else None


def _named_place(text: str, suffix: str, level: str | None) -> str | None:
    """The real division the report names most often with this ending ("县" -> 某某县), or whose
    stem it names ("鱼复" + 街道), at the level the ending implies."""
    if not gazetteer.available():
        return None
    names: Counter = Counter()
    for _, n in gazetteer.names_in(text[:20000]):
        if n.endswith(suffix) and (level is None or any(d.level == level for d in gazetteer.lookup(n))):
            names[n] += 1
    if names:
        return names.most_common(1)[0][0]
    stems: Counter = Counter()
    named = gazetteer.stems(suffix)  # known(stem + suffix), as a set
    for m in recache.finditer(f"(?=([{_HAN}]{{2,4}}))", text[:20000]):
        for k in range(4, 1, -1):
            stem = m.group(1)[:k]
            if len(stem) == k and stem in named and stem not in _STEM_BLACKLIST \
                    and stem not in COMMON_STEMS:
                stems[stem] += 1
                break
    good = [(s, n) for s, n in stems.most_common(3) if n >= 2]
    return good[0][0] + suffix if good else None


def _first_subject(text: str, paragraphs: Sequence[Paragraph]) -> tuple[_Org | None, tuple[str, str] | None]:
    """The subject of the report's first sentence: "2021年，教育部坚持…" -> 教育部,
    "…余杭区司法局以…" -> 余杭区司法局; or how it names itself without a place:
    "县人民政府坚持…" -> (None, ("县", "县人民政府"))."""
    body = [p for p in paragraphs if p.kind in ("body", "heading")]
    for p in body[:3]:
        if _ADDRESSEE.match(p.text) or p.kind == "heading" or not recache.search("[，,。]", p.text):
            continue  # an addressee, a heading or a name line is no sentence with a subject
        s = p.text[:160]
        glued = GLUED_TITLE.search(p.text[:240])  # a title glued into one line with a banner and the text
        if glued:
            names = [n for _, n in gazetteer.names_in(glued.group(1))]
            if names:
                return _Org(names[-1], None, _unit_suffix(names[-1])), None
        m = SUBJECT_LEAD.match(s)
        rest = s[m.end():] if m else s
        chain: list[str] = []
        pos = 0
        for at, n in gazetteer.names_in(rest[:30]):
            if at != pos:
                break
            chain.append(n)
            pos = at + len(n)
        if chain:
            dm = DEPT_NAME.match(rest, pos)
            if dm and not recache.match(r"人民政府|政府|党委|党工委|办事处", rest[pos:]) and not PARTY_COMMITTEE.search(dm.group(1)):
                return _Org(chain[-1] + dm.group(1), "department", dm.group(1)[-1]), None
            if SUBJECT_NEXT.match(rest, pos):
                return _Org(chain[-1], None, _unit_suffix(chain[-1])), None
            continue
        gm = SELF_GOV.match(rest)
        if gm:
            return None, (gm.group(1), gm.group(0))
        dm = DEPT_NAME.match(rest)
        if dm and not PARTY_COMMITTEE.search(dm.group(1)):
            name = dm.group(1)
            return _Org(name, "department", recache.search(DEPT_END + "$", name).group(0)), None
    return None, None


def place_and_code(body: str | None, text: str) -> tuple[dict[str, str], str | None]:
    """The body's place {"province", "city", "county"} as far as the gazetteer knows it, and the
    division code of the body itself (a place) or of the place a department belongs to."""
    if not body or not gazetteer.available():
        return {}, None
    units, _ = _last_unit(body)
    if not units and gazetteer.known(body):
        units = [body]
    for u in reversed(units):
        d = gazetteer.resolve(u, text, tuple(units))
        if d:
            return gazetteer.place_of(d), d.code
    return {}, None
