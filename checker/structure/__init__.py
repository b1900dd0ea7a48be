"""Structure stage: a normalised ``Source`` -> ``Document``.

Pure regex/string work (a few milliseconds per report). Every offset points into
``Source.text``, which is kept unchanged as ``Document.text``.

Public API
    build(source) -> Document
    split_sentences(text, offset=0) -> list[(start, end)]
    classify_heading(title, year=None) -> part | None
    level_from_name(name) -> level | None
    detect_meta(text, paragraphs, headings=(), fields=None) -> Meta

One module per concern
    lexicon   every word list, pattern of words and threshold, named once (ingest reads it too)
    text      small helpers (numerals, spans) and the paragraph record ``build`` works on
    lines     paragraphs and sentences; web metadata, title and closing lines
    headings  numbered markers (depth 1 一、 2 （一） 3 1. 4 （1）) and each paragraph's section path
    parts     which report part (model.PARTS) a heading or lead sentence opens
    year      the year reported on and the signing date
    body      who wrote it (gazetteer of divisions) and at what level
    kind      whether the text is the annual report, or what else it looks like

What ``build`` produces
    paragraphs  one per non-blank line; kind title / meta / heading / body / closing
    headings    numbered markers at a paragraph start; a heading is its paragraph's first
                sentence: start/end cover marker + title (+ 。), the title has neither marker
                nor end punctuation, and any text after it is the body
    sections    every paragraph's heading path, built with a stack by marker rank
    sentences   split on 。！？!? and newlines and before inline 一是/二是/其一…
    parts       each paragraph's report part (model.PARTS)
    meta        year, body, level, date, title, is_report — each with a Chinese reason
"""
from __future__ import annotations

from typing import Mapping, Sequence

from ..model import LEVEL_ZH, Document, Heading, Meta, Paragraph, Sentence, Source
from .body import _body_and_level, level_from_name, place_and_code
from .headings import _make_heading, _sections
from .kind import read_kind
from .lexicon import CITED_TITLE_RE
from .lines import _is_title_line, _mark_meta_title_closing, _paragraphs, _parse_meta_fields, split_sentences
from .parts import _assign_parts, classify_heading
from .year import _detect_year, _signing_date

__all__ = [
    "build",
    "split_sentences",
    "classify_heading",
    "level_from_name",
    "detect_meta",
    "LEVEL_NAMES",
    "CITED_TITLE_RE",
]

LEVEL_NAMES = LEVEL_ZH  # kept under its old name for callers of this module


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
    place, division_code = place_and_code(body, text)
    date, _ = _signing_date(paragraphs, fields)

    title = None
    for p in paragraphs:
        if p.kind == "title" and _is_title_line(p.text):
            title = p.text
            break
    if title is None and fields.get("名称"):
        title = fields["名称"]

    is_report, report_reason, kind = read_kind(text, paragraphs, title)
    return Meta(year=year, year_reason=year_reason, body=body, level=level, level_reason=level_reason,
                date=date, title=title, is_report=is_report, report_reason=report_reason,
                kind=kind, kind_reason=report_reason, place=place, division_code=division_code)


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
