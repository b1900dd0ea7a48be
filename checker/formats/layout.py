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


def strip_running(pages: list[list[str]]) -> tuple[list[list[str]], int]:
    """Drop page numbers and lines repeated at the top or bottom of many pages.
    Returns the pages and how many lines were dropped."""
    pages = [[line for line in page if line.strip()] for page in pages]
    dropped = 0
    if len(pages) >= 3:
        edge: Counter[str] = Counter()
        for page in pages:
            seen = {_key(line) for line in page[:2] + page[-2:]}
            edge.update(k for k in seen if k)
        running = {k for k, n in edge.items() if n >= max(3, len(pages) // 2) and len(k) <= 60}
    else:
        running = set()
    out = []
    for page in pages:
        kept = []
        for i, line in enumerate(page):
            at_edge = i < 2 or i >= len(page) - 2
            if at_edge and (_PAGE_NUMBER.match(line) or _key(line) in running):
                dropped += 1
                continue
            kept.append(line)
        out.append(kept)
    return out, dropped


def join_paragraphs(lines: list[str]) -> list[str]:
    """Join lines the page wrapped: a line is continued by the next unless it ends a
    sentence, is much shorter than a full line, or the next one is a heading."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return []
    lengths = sorted(len(line) for line in lines)
    full = lengths[int(len(lengths) * 0.8)] if len(lengths) >= 5 else max(lengths)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current and not _HEADING.match(line):
            current += ("" if _joins_without_space(current, line) else " ") + line
        else:
            if current:
                paragraphs.append(current)
            current = line
        ends = line[-1] in _END or len(line) < 0.75 * full or (_HEADING.match(line) and len(line) < 0.9 * full)
        if ends:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _joins_without_space(left: str, right: str) -> bool:
    return not (left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum())


def pages_to_text(pages: list[list[str]], ocr: bool = False) -> tuple[str, int]:
    squeeze = squeeze_ocr_spaces if ocr else squeeze_cjk_spaces
    pages = [[squeeze(line) for line in page] for page in pages]
    pages, dropped = strip_running(pages)
    lines = [line for page in pages for line in page]
    return "\n".join(join_paragraphs(lines)), dropped
