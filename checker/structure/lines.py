"""Paragraphs and sentences; which lines are web metadata, the title, or the closing."""
from __future__ import annotations

import re

from checker import recache  # compiled patterns kept across runs

from .headings import _match_marker
from .text import _P
from .lexicon import (NAV_LINE, PAGE_CLOCK, _CLOSERS, _CONTACT, _DATE_LINE, _ENUM, _ENUM_PREV, _JUNK_LINE, _META_KEY_RE,
    _META_LINE, _ORG_STRONG, _ORG_WEAK, _QUOTE_PAIRS, _SENT_PUNCT, _TERMINATORS, _TESHI, _TITLE_RE,
    _TITLE_RE2, _WS)
from .text import _strip_span


_PHYSICAL_LINE_RE = recache.compile(r"[^\n\r]+")
_LINE_RE = recache.compile(r"[^\n\r\u2028\u2029]+")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text`` (plus ``offset``).

    Splits after 。！？!? (keeping the punctuation and any closing quote that follows),
    at newlines, and before inline enumerators 一是/二是/…/其一/其二. Text inside
    “…”, 「…」, 『…』 and 《…》 never breaks. Spans are stripped of whitespace and
    never empty, so ``text[s:e]`` is the exact sentence.
    """
    out: list[tuple[int, int]] = []
    for m in _PHYSICAL_LINE_RE.finditer(text):
        _split_line(text, m.start(), m.end(), out)
    return [(s + offset, e + offset) for s, e in out]


# a terminator and the terminators and closing quotes/brackets right after it
_TERMINATOR_RUN = recache.compile("[" + re.escape("".join(sorted(_TERMINATORS))) + "]["
                             + re.escape("".join(sorted(_TERMINATORS | _CLOSERS))) + "]*")


def _split_line(text: str, ls: int, le: int, out: list[tuple[int, int]]) -> None:
    protected = bytearray(le - ls)
    for q in _QUOTE_PAIRS.finditer(text, ls, le):
        a, b = q.start() + 1 - ls, q.end() - 1 - ls
        if b > a:
            protected[a:b] = b"\x01" * (b - a)
    cuts = {ls, le}
    # a cut after each run of terminators (and the closers after them) that does not
    # start inside quotes: found by a regex, not a Python loop over every character
    i = ls
    while True:
        m = _TERMINATOR_RUN.search(text, i, le)
        if m is None:
            break
        if protected[m.start() - ls]:
            i = m.start() + 1
            continue
        cuts.add(m.end())
        i = m.end()
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
    if _META_LINE.match(t) or NAV_LINE.match(t):
        return True
    if len(t) <= 60 and PAGE_CLOCK.search(t) and not recache.search("[。，,；;]", t):
        return True
    return len(_META_KEY_RE.findall(t)) >= 2 and len(t) < 200


def _is_signature(t: str, strong_only: bool) -> bool:
    if len(t) > 40 or _SENT_PUNCT.search(t) or recache.search("[:：]", t):
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


def _paragraphs(text: str) -> list[_P]:
    out: list[_P] = []
    for m in _LINE_RE.finditer(text):
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
                    and not recache.search("[:：]", paras[j].text))):
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


