"""Numbered heading markers and each paragraph's section path."""
from __future__ import annotations

import re
from typing import Sequence

from checker import recache  # compiled patterns kept across runs
from ..model import Heading
from .lexicon import _HAN, _WS
from .text import _P, _cn_int, _strip_span


_H_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, recache.compile(r"第([一二三四五六七八九十]{1,3})(?:部分|章)[、，,：:．.]?")),
    (1, recache.compile(r"([一二三四五六七八九十]{1,3})\s*(?:、|[．.](?!\d))")),
    (2, recache.compile(r"[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）][、．.]?")),
    (3, recache.compile(r"(\d{1,2})\s*(?:、|[．.](?![\d.．]))")),
    (4, recache.compile(r"[（(]\s*(\d{1,2})\s*[)）][、．.]?")),
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
        if depth == 1 and recache.match(r"[一二三四五六七八九十]+[、级类个]", text[rest_start:end]):
            return None
        # a marker is followed by words ("1、2、3项" is a list of numbers, not a heading)
        if not (recache.compile(f"[{_HAN}A-Za-z“\"《（(【]").match(nxt) or (nxt.isdigit() and depth != 3)):
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


