"""Small helpers shared by the structure modules: Chinese numerals, spans, snippets, the paragraph record."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Heading
from .lexicon import _CN_DIGIT, _WS


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


@dataclass
class _P:
    """A paragraph while the structure is being worked out (before it is a Paragraph)."""

    index: int
    start: int
    end: int
    text: str
    kind: str = "body"
    part: str = "preamble"
    section: tuple[str, ...] = ()
    sents: list[tuple[int, int]] = field(default_factory=list)
    heading: Heading | None = None
