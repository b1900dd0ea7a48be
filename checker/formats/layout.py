"""From page lines to report text: running headers, footers and page numbers removed,
lines wrapped by the page joined back into paragraphs, headings kept on their own line.

Shared by the PDF text layer and OCR: both give lines as the page wrapped them.
"""
from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–_·•]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?(?:\s*[-—–_·•])?\s*$"
    r"|^\s*(?:page\s*)?\d{1,4}\s*(?:of\s*\d{1,4})?\s*$"
    r"|^\s*(?:[-—–]\s*)?[ivxlcIVXLC]{1,6}(?:\s*[-—–])?\s*$",
    re.I,
)
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[、.．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[部分章节条]|附件|附表)"
)
_END = "。！？；：!?;:…”」』）)"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_IN_CJK = re.compile(f"(?<=[{_CJK}\u3000-\u303f\uff00-\uffef])[ \t]+(?=[{_CJK}\u3000-\u303f\uff00-\uffef])")


def squeeze_cjk_spaces(line: str) -> str:
    """OCR and some PDF producers put spaces between Chinese characters."""
    return _SPACE_IN_CJK.sub("", line)


_PUNCT = "，。、；：？！“”‘’（）《》【】〔〕,.;:?!()\\[\\]\"'"
_OCR_SPACE = re.compile(
    f"(?<=[{_CJK}{_PUNCT}])[ \\t]+|[ \\t]+(?=[{_CJK}{_PUNCT}])"
)


def squeeze_ocr_spaces(line: str) -> str:
    """OCR separates every word and punctuation mark by a space; Chinese text has none."""
    return _OCR_SPACE.sub("", line).strip()


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


Line = list  # [text, left, right, height]: where the line's ink begins and ends on the page


def strip_running(pages: list[list[Line]]) -> tuple[list[list[Line]], int]:
    """Drop page numbers and lines repeated at the top or bottom of many pages.
    Returns the pages and how many lines were dropped."""
    pages = [[line for line in page if line[0].strip()] for page in pages]
    dropped = 0
    if len(pages) >= 3:
        edge: Counter[str] = Counter()
        for page in pages:
            seen = {_key(line[0]) for line in page[:2] + page[-2:]}
            edge.update(k for k in seen if k)
        running = {k for k, n in edge.items() if n >= max(3, len(pages) // 2) and len(k) <= 60}
    else:
        running = set()
    out = []
    for page in pages:
        kept = []
        for i, line in enumerate(page):
            at_edge = i < 2 or i >= len(page) - 2
            if at_edge and (_PAGE_NUMBER.match(line[0]) or _key(line[0]) in running):
                dropped += 1
                continue
            kept.append(line)
        out.append(kept)
    return out, dropped


def join_paragraphs(pages: list[list[Line]]) -> list[str]:
    """Join the lines the page wrapped. A line is continued by the next one when it runs to
    the right margin, does not end a sentence, and the next one is neither indented (a
    Chinese paragraph's first line is) nor a heading."""
    paragraphs: list[str] = []
    current = ""
    for page in pages:
        if not page:
            continue
        heights = sorted(line[3] for line in page if line[3] > 0) or [0.0]
        h = heights[len(heights) // 2]  # a character's size on this page
        lefts = sorted(line[1] for line in page)
        margin_left = lefts[len(lefts) // 5] if len(lefts) >= 5 else lefts[0]
        margin_right = max(line[2] for line in page)
        for text, left, right, _ in page:
            text = text.strip()
            if not text:
                continue
            starts = bool(_HEADING.match(text)) or left > margin_left + 0.8 * h
            if current and not starts:
                current += ("" if _joins_without_space(current, text) else " ") + text
            else:
                if current:
                    paragraphs.append(current)
                current = text
            full = right >= margin_right - 4 * h  # ragged right: line breaking moves up to ~3 characters
            if not full or text[-1] in _END:
                paragraphs.append(current)
                current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _joins_without_space(left: str, right: str) -> bool:
    return not (left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum())


def pages_to_text(pages: list[list[Line]], ocr: bool = False) -> tuple[str, int]:
    squeeze = squeeze_ocr_spaces  # PDF producers, like OCR, space Latin and digits from Chinese
    pages = [[[squeeze(line[0]), *line[1:]] for line in page] for page in pages]
    pages, dropped = strip_running(pages)
    return "\n".join(join_paragraphs(pages)), dropped
