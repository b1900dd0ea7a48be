"""Rule × document → RuleResult with evidence.

How a rule is evaluated (what to match comes from the registry):

1. Each concept of the rule is searched for in every body or heading paragraph:
   exact phrases and patterns first (one compiled alternation per concept), with
   - hits inside 《…》 dropped unless the concept allows titles (a cited document is not an action),
   - ``near``: required context in the same sentence / paragraph / character window,
   - ``not_near``: vetoing context (安全生产督察 is not 政府督查),
   - ``boundary``: the hit must start and end on pkuseg token boundaries.
   When a concept has no exact hit anywhere, fuzzy matching runs: rapidfuzz partial
   alignment of each phrase against sentences (variant spellings, small typos), and,
   with ``tokens: true``, the phrase's pkuseg tokens in order with small gaps
   (inserted words).
2. ``covered`` conditions are evaluated on hits in the rule's counting parts
   (achievements by default). A condition names concepts that must all (or ``min`` of
   ``any``) occur within one scope (sentence, paragraph, section, part, document).
3. Otherwise the same conditions over every part, then the ``partial`` conditions, give
   ``partial`` — so a task named only in the shortcomings or the next-year plan is never
   covered, and the note says where it was found.
4. Section checks (kind: section) need the report part itself; their concepts are looked
   for in that part's body only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

from checker.model import LEVEL_ZH, Document, Evidence, Paragraph, RuleResult, Sentence
from checker.nlp import LazyTokens
from checker.structure import CITED_TITLE_RE as TITLE_RE
from checker.rules import Check, Concept, Condition, Context, Rule

MAX_EVIDENCE = 3
OWN_DOCUMENT_RE = re.compile(r"(制定|出台|印发|修订|修改|编制|起草)(了|出|完成)?(\d+项|\d+件)?$")
SKIP_KINDS = frozenset({"title", "closing", "meta"})
PART_NOTES = {
    "plan": "仅在下一年度工作安排中提及，属于计划而非已完成的工作",
    "shortcomings": "仅在存在的问题中提及，属于不足而非已完成的工作",
}


@dataclass(frozen=True)
class Hit:
    concept: str
    paragraph: Paragraph
    sentence: Sentence
    start: int
    end: int
    quality: float

    @property
    def part(self) -> str:
        return self.paragraph.part

    def key(self, within: str) -> object:
        if within == "sentence":
            return self.sentence.index
        if within == "paragraph":
            return self.paragraph.index
        if within == "section":
            return self.paragraph.section[:1] or ("",)
        if within == "part":
            return self.paragraph.part
        return 0


# --- compiled patterns --------------------------------------------------------------------


def _alternation(phrases: Iterable[str], patterns: Iterable[str]) -> re.Pattern[str] | None:
    alts = [re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)]
    alts += [f"(?:{p})" for p in patterns]
    return re.compile("|".join(alts)) if alts else None


_COMPILED: dict[int, tuple[object, re.Pattern[str] | None]] = {}


def _compiled(obj: Concept | Context) -> re.Pattern[str] | None:
    # keyed by identity: registry objects live as long as the process (pydantic models
    # holding lists are not hashable); the stored object keeps the id from being reused
    entry = _COMPILED.get(id(obj))
    if entry is None or entry[0] is not obj:
        entry = (obj, _alternation(obj.any, obj.regex))
        _COMPILED[id(obj)] = entry
    return entry[1]



# --- per-document helpers ------------------------------------------------------------------


class DocIndex:
    """Lookups shared by every rule for one document."""

    def __init__(self, doc: Document, tokens: LazyTokens | None = None, segmenter=None):
        self.doc = doc
        self.tokens = tokens
        self.segmenter = segmenter
        self.paragraphs = [p for p in doc.paragraphs if p.kind not in SKIP_KINDS]
        self._titles: dict[int, list[tuple[int, int]]] = {}
        self._hits: dict[tuple[int, Concept], list[Hit]] = {}
        self.sentences = [(p, s) for p in self.paragraphs for s in p.sentences]
        self._token_words: dict[int, list[tuple[str, int, int]]] = {}

    def titles(self, para: Paragraph) -> list[tuple[int, int]]:
        """Spans of cited titles 《…》 in a paragraph. A document the body made itself
        (制定《…办法》, 出台, 印发, 修订, 编制) is its own action and is not a citation."""
        spans = self._titles.get(para.index)
        if spans is None:
            spans = [
                (m.start() + para.start, m.end() + para.start)
                for m in TITLE_RE.finditer(para.text)
                if not OWN_DOCUMENT_RE.search(para.text, max(0, m.start() - 6), m.start())
            ]
            self._titles[para.index] = spans
        return spans

    def sentence_at(self, para: Paragraph, pos: int) -> Sentence:
        for sent in para.sentences:
            if sent.start <= pos < sent.end:
                return sent
        # a position between sentences (whitespace, a heading marker): nearest sentence before it
        best = para.sentences[0] if para.sentences else Sentence(-1, para.start, para.end, para.text)
        for sent in para.sentences:
            if sent.start <= pos:
                best = sent
        return best

    def words_of_sentence(self, sent: Sentence) -> list[tuple[str, int, int]]:
        words = self._token_words.get(sent.index)
        if words is None:
            text = self.doc.text
            if self.tokens is not None:
                words = [(text[s:e], s, e) for s, e in self.tokens.spans_in(sent.start, sent.end)]
            elif self.segmenter is not None:
                words = [(sent.text[s:e], sent.start + s, sent.start + e) for s, e in self.segmenter.cut(sent.text)]
            else:
                words = []
            self._token_words[sent.index] = words
        return words


def _in_spans(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _context_ok(ctx: Context, index: DocIndex, para: Paragraph, sent: Sentence, start: int, end: int) -> bool:
    pattern = _compiled(ctx)
    if pattern is None:
        return False
    text = index.doc.text
    if ctx.within == "sentence":
        scope = (sent.start, sent.end)
    elif ctx.within == "paragraph":
        scope = (para.start, para.end)
    else:
        scope = (max(para.start, start - int(ctx.within)), min(para.end, end + int(ctx.within)))
    return pattern.search(text, scope[0], scope[1]) is not None


def _accept(concept: Concept, index: DocIndex, para: Paragraph, start: int, end: int) -> Sentence | None:
    """The sentence holding an acceptable hit, or None when a filter rejects it."""
    if not concept.in_titles and _in_spans(start, end, index.titles(para)):
        return None
    if not concept.headings and para.heading is not None and start < para.heading.end:
        return None
    if concept.boundary and index.tokens is not None and not index.tokens.on_boundary(start, end):
        return None
    sent = index.sentence_at(para, start)
    if concept.near is not None and not _context_ok(concept.near, index, para, sent, start, end):
        return None
    if concept.not_near is not None and _context_ok(concept.not_near, index, para, sent, start, end):
        return None
    return sent


def find_hits(concept: Concept, name: str, index: DocIndex, paragraphs: list[Paragraph] | None = None) -> list[Hit]:
    paragraphs = index.paragraphs if paragraphs is None else paragraphs
    pattern = _compiled(concept)
    hits: list[Hit] = []
    if pattern is not None:
        text = index.doc.text
        for para in paragraphs:
            for m in pattern.finditer(text, para.start, para.end):
                if m.end() == m.start():
                    continue
                sent = _accept(concept, index, para, m.start(), m.end())
                if sent is not None:
                    hits.append(Hit(name, para, sent, m.start(), m.end(), 1.0))
    if not hits and (concept.fuzzy or concept.tokens):
        hits = _fuzzy_hits(concept, name, index, paragraphs)
    return hits


def _fuzzy_hits(concept: Concept, name: str, index: DocIndex, paragraphs: list[Paragraph]) -> list[Hit]:
    allowed = {p.index for p in paragraphs}
    pool = [(p, s) for p, s in index.sentences if p.index in allowed]
    texts = [s.text for _, s in pool]
    hits: list[Hit] = []
    phrases = [p for p in concept.any if len(p) >= 4]
    if concept.fuzzy and texts:
        for phrase in phrases:
            for _text, score, i in process.extract(
                phrase, texts, scorer=fuzz.partial_ratio, score_cutoff=concept.fuzzy, limit=None
            ):
                para, sent = pool[i]
                align = fuzz.partial_ratio_alignment(phrase, sent.text, score_cutoff=concept.fuzzy)
                if align is None:
                    continue
                start, end = sent.start + align.dest_start, sent.start + align.dest_end
                if _accept(concept, index, para, start, end) is not None:
                    hits.append(Hit(name, para, sent, start, end, round(score / 100, 3)))
    if concept.tokens and index.segmenter is not None:
        for phrase in phrases:
            want = index.segmenter.words(phrase)
            if len(want) < 2:
                continue
            for para, sent in pool:
                if not _in_order(want, sent.text):
                    continue  # no token match is possible: do not segment this sentence
                span = _ordered_tokens(want, index.words_of_sentence(sent), max_gap=2)
                if span and _accept(concept, index, para, *span) is not None:
                    hits.append(Hit(name, para, sent, span[0], span[1], 0.9))
    hits.sort(key=lambda h: (h.start, -h.quality))
    unique: list[Hit] = []
    for h in hits:
        if not unique or h.start >= unique[-1].end:
            unique.append(h)
    return unique


def _in_order(words: list[str], text: str) -> bool:
    """Every word occurs in ``text``, in order (a cheap exact test before segmenting)."""
    pos = 0
    for w in words:
        pos = text.find(w, pos)
        if pos < 0:
            return False
        pos += len(w)
    return True


def _ordered_tokens(want: list[str], words: list[tuple[str, int, int]], max_gap: int) -> tuple[int, int] | None:
    """Span of ``want``'s tokens appearing in order in ``words`` with at most ``max_gap`` extra tokens between."""
    n = len(words)
    for i, (w, s, _e) in enumerate(words):
        if w != want[0]:
            continue
        j, k, gap, end = i + 1, 1, 0, words[i][2]
        while k < len(want) and j < n and gap <= max_gap:
            if words[j][0] == want[k]:
                end = words[j][2]
                k += 1
                gap = 0
            else:
                gap += 1
            j += 1
        if k == len(want):
            return s, end
    return None


# --- conditions ----------------------------------------------------------------------------


def _satisfy(cond: Condition, hits: dict[str, list[Hit]]) -> list[Hit] | None:
    """Evidence hits for the first scope where the condition holds, or None."""
    by_key: dict[str, dict[object, Hit]] = {}
    for name in cond.concepts():
        keyed: dict[object, Hit] = {}
        for h in hits.get(name, ()):
            k = h.key(cond.within)
            if k not in keyed or h.quality > keyed[k].quality:
                keyed[k] = h
        by_key[name] = keyed
    if cond.all:
        keys = set(by_key[cond.all[0]])
        for name in cond.all[1:]:
            keys &= set(by_key[name])
    else:
        keys = set().union(*(by_key[n] for n in cond.any))
    best: tuple[float, int, list[Hit]] | None = None
    for k in keys:
        present_any = [n for n in cond.any if k in by_key[n]]
        if cond.any and len(present_any) < cond.min:
            continue
        ev = [by_key[n][k] for n in cond.all] + [by_key[n][k] for n in present_any]
        quality = sum(h.quality for h in ev) / len(ev)
        first = min(h.start for h in ev)
        rank = (quality, -first)
        if best is None or rank > (best[0], -best[1]):
            best = (quality, first, ev)
    return best[2] if best else None


def _progress(cond: Condition, hits: dict[str, list[Hit]]) -> float:
    """How much of a condition is met anywhere (for partial scores): 0..1."""
    need = len(cond.all) + (cond.min if cond.any else 0)
    have = sum(1 for n in cond.all if hits.get(n)) + min(cond.min, sum(1 for n in cond.any if hits.get(n)))
    return have / need if need else 0.0


def _default_covered(check: Check) -> list[Condition]:
    return check.covered or [Condition(any=list(check.concepts))]


# --- evaluation ----------------------------------------------------------------------------


def _evidence(hits: list[Hit], doc: Document) -> list[Evidence]:
    out: list[Evidence] = []
    seen: set[int] = set()
    for h in sorted(hits, key=lambda h: h.start):
        if h.sentence.index in seen:
            continue
        seen.add(h.sentence.index)
        out.append(
            Evidence(
                paragraph=h.paragraph.index,
                section=h.paragraph.section_label,
                start=h.sentence.start,
                end=h.sentence.end,
                text=h.sentence.text,
                match=doc.text[h.start:h.end],
                match_start=h.start,
                match_end=h.end,
                part=h.part,
                concept=h.concept,
                quality=h.quality,
            )
        )
    return out[:MAX_EVIDENCE]


def _result(rule: Rule, status: str, score: int, evidence: list[Evidence], notes: list[str]) -> RuleResult:
    default = {
        "covered": "已覆盖。",
        "partial": "部分覆盖。",
        "missing": "未找到相关内容。",
        "not_applicable": "不适用。",
    }
    message = rule.messages.get(status, default[status])  # type: ignore[arg-type]
    return RuleResult(
        id=rule.id,
        title=rule.title,
        refs=list(rule.refs),
        severity=rule.severity,
        status=status,
        score=max(0, min(100, score)),
        evidence=evidence,
        message=message,
        hint="" if status in ("covered", "not_applicable") else rule.hint,
        group=rule.group,
        notes=notes,
    )


def evaluate(rule: Rule, index: DocIndex, level: str | None) -> RuleResult:
    if level and level not in rule.applies_to:
        return _result(rule, "not_applicable", 0, [], [f"不适用于{LEVEL_ZH.get(level, level)}报告"])
    if rule.check.kind == "section":
        return _evaluate_section(rule, index)
    return _evaluate_phrases(rule, index)


def _evaluate_phrases(rule: Rule, index: DocIndex) -> RuleResult:
    check = rule.check
    every = {name: find_hits(c, name, index) for name, c in check.concepts.items()}
    counting = set(rule.parts)
    counted = {name: [h for h in hs if h.part in counting] for name, hs in every.items()}
    covered_conds = _default_covered(check)
    for cond in covered_conds:
        ev = _satisfy(cond, counted)
        if ev:
            quality = sum(h.quality for h in ev) / len(ev)
            extra = min(10, 3 * (sum(len(v) for v in counted.values()) - len(ev)))
            return _result(rule, "covered", round(60 + 30 * quality + extra), _evidence(ev, index.doc), [])
    for cond in covered_conds:
        ev = _satisfy(cond, every)
        if ev:
            parts = {h.part for h in ev} - counting
            notes = [PART_NOTES[p] for p in sorted(parts) if p in PART_NOTES]
            return _result(rule, "partial", 50, _evidence(ev, index.doc), notes)
    for cond in check.partial:
        ev = _satisfy(cond, every)
        if ev:
            progress = max(_progress(c, counted) for c in covered_conds)
            parts = {h.part for h in ev} - counting
            notes = [PART_NOTES[p] for p in sorted(parts) if p in PART_NOTES]
            return _result(rule, "partial", round(30 + 35 * progress), _evidence(ev, index.doc), notes)
    return _result(rule, "missing", 0, [], [])


def _body_chars(paras: list[Paragraph]) -> int:
    """Characters of a part without its own heading (sub-headings are content: many plans
    are a list of （一）（二）… items)."""
    total = 0
    for i, p in enumerate(paras):
        start = p.heading.end if (i == 0 and p.heading is not None) else p.start
        total += len(re.sub(r"\s", "", p.text[start - p.start:]))
    return total


def _evaluate_section(rule: Rule, index: DocIndex) -> RuleResult:
    check = rule.check
    paras = [p for p in index.paragraphs if p.part == check.part]
    if not paras:
        return _result(rule, "missing", 0, [], [])
    head = paras[0]
    first_sentence = head.sentences[0] if head.sentences else Sentence(-1, head.start, head.end, head.text)
    anchor = Evidence(
        paragraph=head.index,
        section=head.section_label,
        start=first_sentence.start,
        end=first_sentence.end,
        text=first_sentence.text,
        part=head.part,
        concept="section",
    )
    size = _body_chars(paras)
    notes: list[str] = []
    if size < check.min_chars:
        notes.append(f"该部分正文仅 {size} 字")
        return _result(rule, "partial", 40, [anchor], notes)
    if not check.concepts:
        return _result(rule, "covered", 100, [anchor], notes)
    hits = {name: find_hits(c, name, index, paras) for name, c in check.concepts.items()}
    for cond in _default_covered(check):
        ev = _satisfy(cond, hits)
        if ev:
            quality = sum(h.quality for h in ev) / len(ev)
            return _result(rule, "covered", round(70 + 30 * quality), [anchor, *_evidence(ev, index.doc)][:MAX_EVIDENCE], notes)
    return _result(rule, "partial", 50, [anchor], notes)


def compile_rules(rules: list[Rule]) -> None:
    """Compile every concept's and context's pattern now (e.g. in a parent before forking,
    so workers inherit them instead of compiling their own)."""
    for rule in rules:
        for concept in rule.check.concepts.values():
            _compiled(concept)
            for ctx in (concept.near, concept.not_near):
                if ctx is not None:
                    _compiled(ctx)


def evaluate_all(rules: list[Rule], doc: Document, tokens: LazyTokens | None, segmenter, level: str | None) -> list[RuleResult]:
    index = DocIndex(doc, tokens, segmenter)
    return [evaluate(rule, index, level) for rule in rules]
