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
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from checker.lazy import module as _lazy_module

fuzz, process = _lazy_module("rapidfuzz.fuzz"), _lazy_module("rapidfuzz.process")  # imported on first fuzzy match

from checker import prefilter, recache
from checker.model import LEVEL_ZH, Document, Evidence, Paragraph, RuleResult, Sentence
from checker.nlp import LazyTokens
from checker.structure import CITED_TITLE_RE as TITLE_RE
from checker.rules import expand
from checker.ruleview import Condition as _ConditionView

if TYPE_CHECKING:  # the models are not imported to match (a registry holds their views)
    from checker.rules import Check, Concept, Condition, Context, Rule

MAX_EVIDENCE = 3
OWN_DOCUMENT_RE = recache.compile(r"(制定|出台|印发|修订|修改|编制|起草)(了|出|完成)?(\d+项|\d+件)?$")
SKIP_KINDS = frozenset({"title", "closing", "meta"})
PART_NOTES = {
    "plan": "仅在下一年度工作安排中提及，属于计划而非已完成的工作",
    "shortcomings": "仅在存在的问题中提及，属于不足而非已完成的工作",
}


@dataclass(frozen=True)
class Hit:
    """Where a concept's words occur: paragraph, sentence, offsets, and what kind of sentence it is."""

    concept: str
    paragraph: Paragraph
    sentence: Sentence
    start: int
    end: int
    quality: float
    kind: str = "deed"  # see classify()
    score: int = 80
    supported: bool = False  # a heading hit whose paragraphs carry the topic
    clause: int = 0  # start of the clause (between ，；：。) holding the hit

    @staticmethod
    def clause_start(sent: Sentence, start: int) -> int:
        return sent.start + _after_last(_LAST_STOP_RE, sent.text, 0, max(0, start - sent.start))

    @property
    def part(self) -> str:
        return self.paragraph.part

    def key(self, within: str) -> object:
        if within == "clause":
            return (self.sentence.index, self.clause)
        if within == "sentence":
            return self.sentence.index
        if within == "paragraph":
            return self.paragraph.index
        if within == "section":
            return self.paragraph.section[:1] or ("",)
        if within == "part":
            return self.paragraph.part
        return 0


def _exact_hit(concept: str, para: Paragraph, sent: Sentence, start: int, end: int) -> Hit:
    """``Hit(concept, para, sent, start, end, 1.0, clause=…)`` without the frozen class's
    __init__ (a call of object.__setattr__ for each of its ten fields): made for every exact
    match of every concept."""
    new = object.__new__(Hit)
    new.__dict__.update(concept=concept, paragraph=para, sentence=sent, start=start, end=end, quality=1.0,
                        kind="deed", score=80, supported=False, clause=Hit.clause_start(sent, start))
    return new


def _with(h: Hit, **changes) -> Hit:
    """``dataclasses.replace(h, **changes)`` without its walk over the fields and a call to
    __init__ (it runs for every hit of every rule of every report)."""
    new = object.__new__(Hit)
    d = new.__dict__
    d.update(h.__dict__)
    d.update(changes)
    return new


def _after_last(last_re: re.Pattern[str], text: str, lo: int, hi: int) -> int:
    """The offset just after the last separator in text[lo:hi] (``last_re`` is
    ``.*[separators]``), or ``lo`` when there is none: one call in C instead of a Python
    loop over every separator found."""
    m = last_re.match(text, lo, hi)
    return m.end() if m else lo


# greedy ``.*`` then one separator: matched from ``lo``, ends just after the last separator
_LAST_STOP_RE = recache.compile(r".*[，,；;：:。！!？?]", re.S)
_LAST_COMMA_RE = recache.compile(r".*[，,；;：:]", re.S)
_LAST_STOP_OR_COMMA_RE = recache.compile(r".*[，,；;：:。]", re.S)
_LAST_SPLIT_RE = recache.compile(r".*[，,；;：:、。！!？?]", re.S)
_HAN_RE = recache.compile(r"[\u4e00-\u9fff]")
_SPACE_RE = recache.compile(r"\s")
_CLAUSE_END_RE = recache.compile(r"[，,；;：:。]")
_ITEM_END_RE = recache.compile(r"[，,；;。]")


# --- compiled patterns --------------------------------------------------------------------


def _alternation(phrases: Iterable[str], patterns: Iterable[str]) -> re.Pattern[str] | None:
    # longest first; ties in a fixed order, so that the pattern (the key of its kept program)
    # is the same in every process (a set's order changes with the hash seed)
    alts = [re.escape(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p))]
    alts += [f"(?:{expand(p)})" for p in patterns]
    return recache.compile("|".join(alts)) if alts else None  # the program kept across runs


_COMPILED: dict[int, tuple[object, re.Pattern[str] | None]] = {}


def _compiled(obj: Concept | Context) -> re.Pattern[str] | None:
    # keyed by identity: registry objects live as long as the process (pydantic models
    # holding lists are not hashable); the stored object keeps the id from being reused
    entry = _COMPILED.get(id(obj))
    if entry is None or entry[0] is not obj:
        entry = (obj, _alternation(obj.any, obj.regex))
        _COMPILED[id(obj)] = entry
    return entry[1]



def _term_start(term: tuple[int, int, frozenset[str]]) -> int:
    return term[0]


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
        self.topic: frozenset[str] = frozenset()  # the rule being evaluated: its id and refs
        self.concepts: dict[str, Concept] = {}  # the rule being evaluated: its concepts by name
        self.claims: dict[int, set[str]] = {}  # heading paragraph -> topics whose words are in it
        self.terms: dict[int, list[tuple[int, int, frozenset[str]]]] = {}  # paragraph -> every rule's hits
        self._sorted_terms: dict[int, list[tuple[int, int, frozenset[str]]]] = {}  # the same by start
        self._chains = self._heading_chains()
        self._governs: dict[int, bool] = {}
        self._leads: dict[tuple[int, int], set[str]] = {}  # (paragraph, sentence start) -> _lead_claims
        self._last_nearest: tuple | None = None  # (hit, topic, _nearest_claims(hit)) of the last call
        self._facts: dict[tuple[int, int], tuple] = {}  # (sentence start, end) -> sentence_facts

    def hits(self, concept: Concept, name: str) -> list[Hit]:
        key = (id(concept), name)
        got = self._hits.get(key)  # type: ignore[arg-type]
        if got is None:
            got = find_hits(concept, name, self)
            self._hits[key] = got  # type: ignore[index]
        return got

    def _heading_chains(self) -> dict[int, tuple[Paragraph, ...]]:
        """For each paragraph, the heading paragraphs it lies under (outermost first),
        itself included when it starts with a heading."""
        chains: dict[int, tuple[Paragraph, ...]] = {}
        stack: list[Paragraph] = []
        for p in self.paragraphs:
            if p.heading is not None:
                while stack and stack[-1].heading.depth >= p.heading.depth:  # type: ignore[union-attr]
                    stack.pop()
                stack.append(p)
            chains[p.index] = tuple(stack)
        return chains

    def under(self, head: Paragraph) -> tuple[int, int]:
        """Offsets of the text a heading governs: from its end to the next heading of the same or higher rank."""
        assert head.heading is not None
        end = self.doc.text.__len__()
        seen = False
        for p in self.paragraphs:
            if p.index == head.index:
                seen = True
                continue
            if seen and p.heading is not None and p.heading.depth <= head.heading.depth:
                end = p.start
                break
        return head.heading.end, end

    def concept_of(self, hit: "Hit") -> Concept | None:
        return self.concepts.get(hit.concept)

    def governs(self, head: Paragraph) -> bool:
        """A heading with text under it; a numbered line with none is an item of a list (content)."""
        got = self._governs.get(head.index)
        if got is None:
            lo, hi = self.under(head)
            got = _HAN_RE.search(self.doc.text, lo, hi) is not None  # no copy of the section
            self._governs[head.index] = got
        return got

    def _lead_claims(self, hit: "Hit") -> set[str]:
        """Topics named by an inline lead (一是严格执行规范性文件制定程序。) earlier in the hit's
        paragraph: a short sentence opening with 一是/二是/首先… heads the sentences after it.
        The same for every hit of a sentence (``terms`` is complete before any hit is
        classified): found once per sentence."""
        key = (hit.paragraph.index, hit.sentence.start)
        got = self._leads.get(key)
        if got is None:
            got = self._leads[key] = self._find_lead_claims(hit)
        return got

    def _find_lead_claims(self, hit: "Hit") -> set[str]:
        para = hit.paragraph
        lead = None
        for sent in para.sentences:
            if sent.start >= hit.sentence.start:
                break
            if LEAD_RE.match(sent.text) and len(sent.text.strip()) <= 40:
                lead = sent
        if lead is None:
            return set()
        claims: set[str] = set()
        for a, b, topic in self.terms.get(para.index, ()):
            if lead.start <= a and b <= lead.end:
                claims |= topic
        return claims

    def _nearest_claims(self, hit: "Hit") -> tuple[set[str], int]:
        """Topics named by the nearest heading above the hit that names any (the hit's own
        heading line excluded): a sub-heading on one topic inside a chapter on another
        decides what its paragraphs are about; an inline lead (一是……。) on the rule's own topic
        is nearer still."""
        last = self._last_nearest
        if last is not None and last[0] is hit and last[1] is self.topic:  # on_topic, then other_topic
            return last[2]
        got = self._find_nearest_claims(hit)
        self._last_nearest = (hit, self.topic, got)
        return got

    def _find_nearest_claims(self, hit: "Hit") -> tuple[set[str], int]:
        lead = self._lead_claims(hit)
        if lead & self.topic:  # a lead lifts the sentences after it; its few words lower none
            return lead, 99
        for head in reversed(self._chains.get(hit.paragraph.index, ())):
            if head.index == hit.paragraph.index and hit.start < head.heading.end:  # type: ignore[union-attr]
                continue
            claims = self.claims.get(head.index)
            if claims:
                return claims, head.heading.depth  # type: ignore[union-attr]
        return set(), 0

    def nested(self, hit: "Hit", topic: frozenset[str] | None = None) -> bool:
        """The hit lies inside a longer term of a rule on other topics only (行政决策 in 重大行政决策)."""
        topic = self.topic if topic is None else topic
        start, end = hit.start, hit.end
        for a, b, t in self._terms_from_start(hit.paragraph.index):  # a loop: any() over a generator costs more here
            if a > start:  # in order of start: no later term can hold the hit
                return False
            if end <= b and b - a > end - start and not (t & topic):
                return True
        return False

    def _terms_from_start(self, para: int) -> list[tuple[int, int, frozenset[str]]]:
        """A paragraph's ``terms`` in order of start (sorted again if more were added)."""
        terms = self.terms.get(para, ())
        got = self._sorted_terms.get(para)
        if got is None or len(got) != len(terms):
            got = self._sorted_terms[para] = sorted(terms, key=_term_start)
        return got

    def other_topic(self, hit: "Hit") -> bool:
        """The hit's own lead or nearest heading, below a chapter title, names other topics and
        not this one (a nearest heading naming none is on a topic unknown: not another's)."""
        claims, depth = self._nearest_claims(hit)
        if depth <= 1 or claims & self.topic:
            return False
        own = [h for h in self._chains.get(hit.paragraph.index, ())
               if not (h.index == hit.paragraph.index and hit.start < h.heading.end)]  # type: ignore[union-attr]
        return bool(own) and bool(self.claims.get(own[-1].index))

    def on_topic(self, hit: "Hit") -> bool:
        """The nearest heading naming topics names this rule's topic."""
        return bool(self._nearest_claims(hit)[0] & self.topic)

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

    def sentence_facts(self, sent: Sentence) -> tuple[bool, bool, list[tuple[int, int]], tuple[int, int] | None, bool]:
        """What ``classify`` reads of a sentence whatever the hit in it: it opens with a plan
        lead, holds figures, its slogans (形成……格局) and its first parallel formula (……抓……、……抓)
        as offsets, and a concrete verb or 对……进行. Made once a sentence: a sentence holds
        the hits of many rules."""
        key = (sent.start, sent.end)
        got = self._facts.get(key)
        if got is None:
            text = self.doc.text
            m = PARALLEL_RE.search(text, sent.start, sent.end)
            got = self._facts[key] = (
                PLAN_LEAD_RE.search(sent.text) is not None,
                FIGURE_RE.search(sent.text) is not None,
                [(m.start(), m.end()) for m in SLOGAN_RE.finditer(text, sent.start, sent.end)],
                (m.start(), m.end()) if m else None,
                bool(CONCRETE_VERB_RE.search(sent.text) or DONE_TO_RE.search(sent.text)),
            )
        return got

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
    pattern = _compiled(ctx) if prefilter.may_match(ctx, index) else None
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


def _inside_excluded(concept: Concept, index: "DocIndex", para: Paragraph, start: int, end: int) -> bool:
    text = index.doc.text
    for phrase in concept.exclude:
        lo = max(para.start, end - len(phrase))
        pos = text.find(phrase, lo, min(para.end, start + len(phrase)))
        while pos >= 0 and pos <= start:
            if pos + len(phrase) >= end:
                return True
            pos = text.find(phrase, pos + 1, min(para.end, start + len(phrase)))
    return False


def _accept(concept: Concept, index: DocIndex, para: Paragraph, start: int, end: int) -> Sentence | None:
    """The sentence holding an acceptable hit, or None when a filter rejects it."""
    if not concept.in_titles and _in_spans(start, end, index.titles(para)):
        return None
    if not concept.headings and para.heading is not None and start < para.heading.end:
        return None
    if concept.exclude and _inside_excluded(concept, index, para, start, end):
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
    scan = prefilter.searches(concept, index, paragraphs)  # where its literals occur
    pattern = _compiled(concept) if scan else None
    hits: list[Hit] = []
    if pattern is not None:
        text = index.doc.text
        for para, wins in scan:
            for m in _matches(pattern, text, para, wins):
                start, end = m.span()
                if end == start:
                    continue
                sent = _accept(concept, index, para, start, end)
                if sent is not None:
                    hits.append(_exact_hit(name, para, sent, start, end))
    if not hits and (concept.fuzzy or concept.tokens):
        hits = _fuzzy_hits(concept, name, index, paragraphs)
    return hits


def _matches(pattern: re.Pattern[str], text: str, para: Paragraph, wins: list[tuple[int, int, int]] | None) -> list[re.Match[str]]:
    """``pattern.finditer`` over a paragraph, searching only the windows round the concept's
    literals where a match can lie (``wins``, from prefilter.searches) when there are any:
    the same matches, without running a long alternation over the rest of the paragraph."""
    if wins is None:
        return list(pattern.finditer(text, para.start, para.end))
    out = []
    pos = para.start
    search = pattern.search
    for lo, hi, end in wins:
        if pos < lo:
            pos = lo
        while pos <= hi:
            m = search(text, pos, end)
            if m is None or m.start() > hi:
                break
            out.append(m)
            pos = m.end()  # no match is empty (prefilter.width_of)
    return out


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
                    hits.append(Hit(name, para, sent, start, end, round(score / 100, 3), clause=Hit.clause_start(sent, start)))
    if concept.tokens and index.segmenter is not None:
        joined = "\x00".join(texts)  # no word holds \x00: a word in no sentence is not in this
        for phrase in phrases:
            want = index.segmenter.words(phrase)
            if len(want) < 2 or not all(w in joined for w in want):
                continue  # a word no sentence holds: no sentence holds them all in order
            for para, sent in pool:
                if not _in_order(want, sent.text):
                    continue  # no token match is possible: do not segment this sentence
                span = _ordered_tokens(want, index.words_of_sentence(sent), max_gap=2)
                if span and _accept(concept, index, para, *span) is not None:
                    hits.append(Hit(name, para, sent, span[0], span[1], 0.9, clause=Hit.clause_start(sent, span[0])))
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


# --- what a sentence is, and how strong it is as evidence -------------------------------------

# kinds of evidence, strongest first; only a deed makes a rule covered (README "Evidence kinds")
KINDS = ("deed", "passing", "heading", "slogan", "plan", "problem")
KIND_RANK = {k: len(KINDS) - i for i, k in enumerate(KINDS)}
KIND_NOTES = {
    "passing": "仅在其他工作的段落或列举中顺带提及，未写具体做法",
    "heading": "仅在标题中提及，标题下的正文未写具体做法",
    "slogan": "仅有口号式表述（如“形成……格局”），未写具体做法",
    "plan": PART_NOTES["plan"],
    "problem": PART_NOTES["shortcomings"],
}
# the scale of RuleResult.score and Evidence.score (documented in README)
SCALE = {
    "deed_figures_topic": 100,  # a deed with figures, under a heading on the same topic
    "deed_figures": 90,  # a deed with figures, or a deed under a heading on the same topic
    "deed": 80,  # a deed
    "deed_weak": 70,  # a deed in the preamble's summary, or one item of a long list
    "passing": 50,
    "heading": 45,
    "slogan": 40,
    "plan": 30,
    "problem": 20,
}
ELEMENT_BONUS = 10  # ranking only: per further element of the rule in the same sentence
WORD_BONUS = 2  # ranking only: per further distinct word of the rule in the same sentence (up to 3)
DEED_BONUS = {
    "topic": 10,  # under a heading whose words are this rule's topic
    "figures": 8,  # reports figures (12件, 3次, 100%)
    "concrete": 4,  # names a concrete act (开展, 制定, 召开, 办理 …)
    "done": 2,  # … and reports it done (a verb with 了 in the same clause)
    "other_topic": -10,  # under a heading that names other topics only
    "outcome": -10,  # the words name the work's outcome (……效果, ……成果), not the work
}
FIGURE_RE = recache.compile(
    r"\d+(\.\d+)?\s*[(（]?\s*(%|％|个|件|次|人|名|场|期|条|份|家|项|余|万|户|起|批|所|宗|篇|册|本|元|天|小时|起|套|台|部|类|处|座|支|辆)"
    r"|[一二三四五六七八九十两百千]+(次|场|期|件|批|名)(?!制)"
)
# a clause that states a shortcoming: the hit is named as what is wrong
PROBLEM_RE = recache.compile(
    r"不够|不足|不强|不高|不到位|不规范|不完善|不健全|不牢固?|不严格?|不力|不畅|薄弱|滞后|欠缺|缺乏|缺少|有待|亟待|仍需|尚需|"
    r"走形式|流于形式|走过场|差距|短板|弱项|突出问题|等问题|存在问题|的问题"
)
PLAN_LEAD_RE = recache.compile(r"^\s*(下一步|下步|今后|明年|\d{4}年[，,]?我(县|区|市|镇|乡|街道|局|委|厅)?将|将继续|我们将|要进一步)")
SLOGAN_RE = recache.compile(r"形成[^。；;]{0,40}(格局|局面|氛围|态势|良好局面|工作机制|长效机制|长效管理机制)")
PARALLEL_RE = recache.compile(r"[^，,、；;。]{1,10}抓[^，,、；;。]{0,4}[，,、][^，,、；;。]{1,10}抓")
# verbs that open a concrete act (not 加强/推进/完善, which open aims)
CONCRETE_VERB_RE = recache.compile(r"(及时|先后|共|累计|全年)?(修订|修改|制定|出台|印发|编制|开展|组织|举办|召开|完成|办理|聘请|建成|配备|发放|培训|审查|审核|清理|公布|发布|查处|受理|调解|化解|检查|抽查|评查|排查|督查|成立|举行)")
CLAUSE_SPLIT_RE = recache.compile(r"[，,；;：:、。！!？?]")
# a verb with the perfective 了 (统一了, 进行了清理): something was done (了解, 为了, 除了 are not)
DONE_RE = recache.compile(r"(?<![为除罢])(?<!不得)了(?![解如然])")
# an inline lead: 一是……。 二是……。 (a sub-heading written into the paragraph)
LEAD_RE = recache.compile(r"\s*([一二三四五六七八九十]+是|首先|其次|再次|最后|第[一二三四五六七八九十]+[，,、])")
# a hit that names what was studied: 学习贯彻……会议精神 (a cited event, like a cited title)
CITED_SPIRIT_RE = recache.compile(r"[^，,；;。]{0,12}?(重要)?(讲话|会议|全会)?精神")
STUDY_RE = recache.compile(r"学习|贯彻|传达|领会")
# 对……进行……: an act done to an object (对执法案卷进行评查, 对讨论情况进行如实记录)
DONE_TO_RE = recache.compile(r"对[^，,；;。]{1,30}进行")
# the hit's words name the outcome of the work, not the work (取得良好法治宣传效果, 巩固了依法决策成果)
OUTCOME_RE = recache.compile(r"(工作)?的?(良好|显著|明显|积极|实际)?的?(成果|成效|效果|实效)")
# what a figure in the next clause usually opens with: it counts what the hit's clause did
COUNT_LEAD_RE = recache.compile(r"\s*(共|累计|合计|总计|计|达|涉及|其中|覆盖|受益|惠及)")


def _clause_of(text: str, sent: Sentence, start: int, end: int) -> tuple[int, int]:
    """The comma clause (between ，；：。) holding a hit, with the next clause when that one only
    counts what this one did (开展普法活动，共计12场)."""
    lo = _after_last(_LAST_COMMA_RE, text, sent.start, max(sent.start, start))
    m = _CLAUSE_END_RE.search(text, end, sent.end)
    hi = m.start() if m else sent.end
    if m and COUNT_LEAD_RE.match(text, m.end()):
        m2 = _CLAUSE_END_RE.search(text, m.end(), sent.end)
        hi = m2.start() if m2 else sent.end
    return lo, max(hi, end)


def _clause(text: str, start: int, end: int, base: int) -> tuple[int, int]:
    """The clause (between , ; : 、 。) around a hit, as offsets into ``text`` (which starts at ``base``)."""
    lo, hi = start - base, end - base
    left = _after_last(_LAST_SPLIT_RE, text, 0, max(0, lo))
    m = CLAUSE_SPLIT_RE.search(text, max(lo, hi))
    right = m.start() if m else len(text)
    return base + left, base + right


# what separates the items of a list: 、, and a closing quote right before an opening one
# (“送法进村”、“每月一法”“谁执法谁普法”等 is a list of three names)
ITEM_SEP_RE = recache.compile(r"、|(?<=[”’」』])(?=[“‘「『])")
# a list's last item ends at 等 right after it (……“谁执法谁普法”等法治宣传教育活动)
LIST_END_RE = recache.compile(r"[”’」』]?等")


def _enumeration(sent: Sentence, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the enumeration (A、B、C…, three items or more) holding a hit, if any."""
    text = sent.text
    lo = start - sent.start
    left = _after_last(_LAST_STOP_OR_COMMA_RE, text, 0, max(0, lo))
    m = _ITEM_END_RE.search(text, max(0, end - sent.start))
    right = m.start() if m else len(text)
    if len(ITEM_SEP_RE.findall(text, left, right)) >= 2:
        return sent.start + left, sent.start + right
    return None


def _items(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The items of the enumeration text[lo:hi], as offsets."""
    cuts = [lo, *(m.start() for m in ITEM_SEP_RE.finditer(text, lo, hi)), hi]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        a += text.startswith("、", a)
        if b > a:
            out.append((a, b))
    return out


def _repeated_formula(text: str, sent: Sentence, start: int, end: int) -> bool:
    """The hit's words open a formula repeated in parallel (……亲自部署、……亲自过问、……亲自协调):
    a recital of duties, not a report of what was done."""
    head = text[start:min(end, start + 2)]
    return len(head) == 2 and text.count(head, sent.start, sent.end) >= 3


def _context_only_listed(concept: Concept, text: str, sent: Sentence, hit: "Hit") -> bool:
    """A concept that needs context in its sentence (法律顾问 near 决策) finds it only as one
    short item of a list (A、B、C…) that does not hold the hit: the sentence lists what the
    hit's subject does, and the rule's element is one entry of it."""
    ctx = concept.near
    if ctx is None or ctx.within != "sentence":
        return False
    pattern = _compiled(ctx)
    if pattern is None:
        return False
    found = False
    for m in pattern.finditer(text, sent.start, sent.end):
        if m.start() < hit.end and hit.start < m.end():
            return False  # the context is the hit's own words
        span = _enumeration(sent, m.start(), m.end())
        item = next(((a, b) for a, b in _items(text, *span) if a <= m.start() < b), None) if span else None
        if item is None or item[1] - item[0] > 14 or item[0] <= hit.start < item[1] or m.end() > item[1]:
            return False
        found = True
    return found


def _context_in(concept: Concept, text: str, sent: Sentence, lo: int, hi: int) -> bool:
    """The context a concept needs in its sentence lies in text[lo:hi] (or it needs none)."""
    ctx = concept.near
    if ctx is None or ctx.within != "sentence":
        return True
    pattern = _compiled(ctx)
    return pattern is None or any(m.start() < hi and lo < m.end() for m in pattern.finditer(text, sent.start, sent.end))


def _names_outcome(text: str, hit: "Hit") -> bool:
    """The hit's words qualify an outcome (取得良好法治宣传效果): they say what the work
    achieved, not what was done."""
    return OUTCOME_RE.match(text, hit.end, hit.sentence.end) is not None


def _reads_as_heading(title: str) -> bool:
    """A heading names a topic; a long numbered line with figures reports work done."""
    return len(title) <= 40 and FIGURE_RE.search(title) is None


def classify(hit: "Hit", index: "DocIndex") -> tuple[str, int]:
    """(kind, score) of the sentence holding a hit, for this hit's words."""
    para, sent = hit.paragraph, hit.sentence
    if para.part == "plan":
        return "plan", SCALE["plan"]
    if para.part == "shortcomings":
        return "problem", SCALE["problem"]
    if para.heading is not None and hit.start < para.heading.end and sent.start < para.heading.end \
            and index.governs(para) and _reads_as_heading(para.heading.title):
        return "heading", SCALE["heading"]
    text = index.doc.text
    c0, c1 = _clause(sent.text, hit.start, hit.end, sent.start)
    after = text[hit.end:c1]
    if PROBLEM_RE.search(after) or PROBLEM_RE.search(text[c0:hit.start]) and "问题" in text[hit.end:sent.end]:
        return "problem", SCALE["problem"]
    plan_lead, figures, slogans, parallel, concrete = index.sentence_facts(sent)
    if plan_lead:
        return "plan", SCALE["plan"]
    if not figures:
        for a, b in slogans:
            if a <= hit.start and hit.end <= b:
                return "slogan", SCALE["slogan"]
        if parallel is not None and parallel[0] <= hit.start < parallel[1] + 12:
            return "slogan", SCALE["slogan"]
    concept = index.concept_of(hit)
    if not figures and concept is not None and concept.repeated_is_slogan and _repeated_formula(text, sent, hit.start, hit.end):
        return "slogan", SCALE["slogan"]
    span = _enumeration(sent, hit.start, hit.end)
    if span and not figures:
        item, item_end = next(((a, b) for a, b in _items(text, *span) if a <= hit.start < b), span)
        m = LIST_END_RE.match(text, hit.end) or LIST_END_RE.match(text, hit.end + 1)
        if m and item_end == span[1]:
            item_end = m.end()
        # one short item of the list (the last item runs on into the verb: 将……予以公开 is not an item)
        # (a hit running past its item spans the list: 成立……为组长、……为副组长……的领导小组)
        if item_end - item <= 14 and hit.end <= item_end and not CONCRETE_VERB_RE.match(text, item):  # 修订……预案、开展……: a list of deeds, not of names
            return "passing", SCALE["passing"]
    if concept is not None and not figures and _context_only_listed(concept, text, sent, hit):
        # 法律顾问 near 决策 where 决策 is one short item of what advisers do (……审查、提供决策
        # 法律意见、法律咨询……): the element is named in passing
        return "passing", SCALE["passing"]
    if para.part == "preamble" and not figures:  # the opening summary: 在……方面做了大量工作
        return "passing", SCALE["passing"]
    k0, k1 = _clause_of(text, sent, hit.start, hit.end)
    if CITED_SPIRIT_RE.match(text, hit.end, k1) and STUDY_RE.search(text, max(sent.start, k0 - 40), hit.start):
        # 学习……委员会第二次会议精神: the meeting studied is someone else's, not this body's act
        return "passing", SCALE["passing"]
    # a deed: 80, and what makes it stronger or weaker (README "Evidence kinds and scores")
    score = SCALE["deed"]
    if index.on_topic(hit):
        score += DEED_BONUS["topic"]
    elif index.other_topic(hit):
        score += DEED_BONUS["other_topic"]
    if index.nested(hit):  # the words are part of another rule's term: that rule's sentence
        score += DEED_BONUS["other_topic"]
    if _names_outcome(text, hit):
        score += DEED_BONUS["outcome"]
    # figures and a concrete act count where they speak of the hit: in its own clause (a
    # figure on advisers two clauses on says nothing of the 规范性文件 named in passing)
    if concept is not None and not _context_in(concept, text, sent, k0, k1):
        k0 = k1  # 法律顾问 near 决策 with 决策 in another clause: this clause's figures count its advisers
    if FIGURE_RE.search(text, k0, k1):
        score += DEED_BONUS["figures"]
    elif figures:
        score += DEED_BONUS["figures"] // 2
    act, done = CONCRETE_VERB_RE.search(text, k0, k1), DONE_RE.search(text, k0, k1)
    if act or done:
        score += DEED_BONUS["concrete"]
        if act and done:  # 进行了审查, 清理了12件: the act is reported as done, not only named
            score += DEED_BONUS["done"]
    elif concrete:
        score += DEED_BONUS["concrete"] // 2
    return "deed", score  # ranked uncapped; shown at most 100 (_evidence, _result)


# --- conditions ----------------------------------------------------------------------------


def _strength(h: "Hit") -> float:
    return h.score * h.quality


def _satisfy(cond: Condition, hits: dict[str, list[Hit]]) -> list[Hit] | None:
    """Evidence hits for the strongest scope where the condition holds, or None. Within a
    scope each concept is represented by its strongest hit."""
    # how many of the rule's concepts a sentence holds: between equally strong hits, or scopes,
    # the one that carries more of the rule shows it better
    in_sentence: dict[int, set[str]] = {}
    for name, hs in hits.items():
        for h in hs:
            in_sentence.setdefault(h.sentence.index, set()).add(name)

    def better(h: Hit, than: Hit) -> bool:
        a, b = _strength(h), _strength(than)
        return a > b or (a == b and len(in_sentence[h.sentence.index]) > len(in_sentence[than.sentence.index]))

    by_key: dict[str, dict[object, Hit]] = {}
    for name in cond.concepts():
        keyed: dict[object, Hit] = {}
        first = cond.ordered and cond.all and name == cond.all[0]
        for h in hits.get(name, ()):
            k = h.key(cond.within)
            if k not in keyed:
                keyed[k] = h
            elif cond.ordered:  # the first concept as early as possible, the others as late
                if (h.start < keyed[k].start) if first else (h.start > keyed[k].start):
                    keyed[k] = h
            elif better(h, keyed[k]):
                keyed[k] = h
        by_key[name] = keyed
    if cond.all:
        keys = set(by_key[cond.all[0]])
        for name in cond.all[1:]:
            keys &= set(by_key[name])
    else:
        keys = set().union(*(by_key[n] for n in cond.any))
    # how many of the rule's concepts each scope holds: between equally strong scopes the one
    # that carries more of the rule shows it better
    density: dict[object, set[str]] = {}
    for name, hs in hits.items():
        for h in hs:
            density.setdefault(h.key(cond.within), set()).add(name)
    best: tuple[tuple, list[Hit]] | None = None
    for k in keys:
        present_any = [n for n in cond.any if k in by_key[n]]
        if cond.any and len(present_any) < cond.min:
            continue
        ev = [by_key[n][k] for n in cond.all] + [by_key[n][k] for n in present_any]
        if cond.ordered and any(a.start >= b.start for a, b in zip(ev, ev[1:len(cond.all)])):
            continue
        top = max(_strength(h) for h in ev)
        rank = (top, len(density.get(k, ())), sum(_strength(h) for h in ev) / len(ev), -min(h.start for h in ev))
        if best is None or rank > best[0]:
            best = (rank, ev)
    return best[1] if best else None


def _progress(cond: Condition, hits: dict[str, list[Hit]]) -> float:
    """How much of a condition is met anywhere (for partial scores): 0..1."""
    need = len(cond.all) + (cond.min if cond.any else 0)
    have = sum(1 for n in cond.all if hits.get(n)) + min(cond.min, sum(1 for n in cond.any if hits.get(n)))
    return have / need if need else 0.0


_DEFAULT_COVERED: dict[int, tuple[Check, list[Condition]]] = {}


def _default_covered(check: Check) -> list[Condition]:
    if check.covered:
        return check.covered
    # made once per check (built three times a rule a report otherwise); keyed by identity
    # like _COMPILED, the stored check keeping its id from being reused
    got = _DEFAULT_COVERED.get(id(check))
    if got is None or got[0] is not check:
        got = _DEFAULT_COVERED[id(check)] = (check, _default_condition(check))
    return got[1]


def _default_condition(check: Check) -> list[Condition]:
    if check.concepts:  # valid as it stands: no pydantic validator is built on a cold run
        return [_ConditionView.of_any(list(check.concepts))]
    from checker.rulemodels import Condition

    return [Condition(any=list(check.concepts))]


def _covering(check: Check) -> frozenset[str]:
    """Concepts that take part in making the rule covered."""
    return frozenset(n for c in _default_covered(check) for n in c.concepts())


def _standalone(check: Check) -> frozenset[str]:
    """Concepts whose hit alone makes the rule covered (an ``any`` condition of one)."""
    return frozenset(n for c in _default_covered(check) if not c.all and c.min == 1 for n in c.any)


# --- evaluation ----------------------------------------------------------------------------


CONTINUATION_RE = recache.compile(r"\s*(其中|其余|另外|分别为|包括)[，,：:]?")


def _with_antecedent(h: Hit) -> Sentence:
    """The quoted stretch: the hit's sentence, with the sentence after it when the hit's
    sentence is a run-in heading, or with the sentence before it when it only continues that
    one (其中，…… names the parts of a figure given just before)."""
    sent, para = h.sentence, h.paragraph
    if para.heading is not None and sent.end <= para.heading.end + 1:
        # a run-in heading (（二）加快推进政务诚信建设。建立健全……) is quoted with the sentence it
        # opens: the heading only names the topic, what the text under it says is the evidence
        other = next((x for x in para.sentences if x.start >= sent.end), None)
    elif CONTINUATION_RE.match(sent.text):
        other = next((x for x in reversed(para.sentences) if x.end <= sent.start), None)
    else:
        other = None
    if other is None:
        return sent
    start, end = min(sent.start, other.start), max(sent.end, other.end)
    return Sentence(sent.index, start, end, para.text[start - para.start:end - para.start])


def _evidence(hits: list[Hit], doc: Document, more: Iterable[Hit] = (), standalone: frozenset[str] = frozenset(),
              covering: frozenset[str] = frozenset()) -> list[Evidence]:
    """Evidence items, strongest sentence first: the hits that satisfied the condition,
    then other strong hits of the rule (``more``), one item per sentence."""
    out: list[Evidence] = []
    seen: set[int] = set()
    more = [h for h in more if _strength(h) >= SCALE["deed_weak"]]
    # a sentence that carries several of the rule's elements at once shows more of it
    # than one that carries a single element: a small lift per further element
    # and one that names the topic in several words (普法宣传, 送法进村, 法治宣传) is more about
    # it than one naming it once in passing (普法教育经费): a smaller lift per further word
    elements: dict[int, set[str]] = {}
    words: dict[int, set[str]] = {}
    for h in (*hits, *more):
        if not covering or h.concept in covering:  # a concept that only ever makes it partial is no element
            elements.setdefault(h.sentence.index, set()).add(h.concept)
        if not _names_outcome(doc.text, h):  # 取得良好法治宣传效果 names no further part of the work
            words.setdefault(h.sentence.index, set()).add(doc.text[h.start:h.end])

    def rank(h: Hit) -> tuple[float, int]:
        i = h.sentence.index
        lift = ELEMENT_BONUS * max(0, len(elements.get(i, ())) - 1) + WORD_BONUS * min(3, max(0, len(words.get(i, ())) - 1))
        return -(_strength(h) + lift), h.start

    # the best sentence first, whether it met the condition or is another strong deed of a
    # concept that covers the rule on its own (a condition met by one sentence says nothing
    # about which sentence shows it best); hits of concepts that only count together with
    # others (三项制度 with a detail word) follow
    alone = [h for h in more if h.concept in standalone]
    ordered = sorted((*hits, *alone), key=rank)
    ordered += sorted((h for h in more if h.concept not in standalone), key=rank)
    for h in ordered:
        if h.sentence.index in seen:
            continue
        seen.add(h.sentence.index)
        s = _with_antecedent(h)
        # the highlighted words always lie inside the quoted sentence
        m0, m1 = max(h.start, s.start), min(h.end, s.end)
        if m1 <= m0:
            m0 = m1 = s.start
        out.append(
            Evidence(
                paragraph=h.paragraph.index,
                section=h.paragraph.section_label,
                start=s.start,
                end=s.end,
                text=s.text,
                match=doc.text[m0:m1],
                match_start=m0,
                match_end=m1,
                part=h.part,
                concept=h.concept,
                quality=h.quality,
                kind=h.kind,
                score=min(100, round(_strength(h))),
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


def _rule_hits(rule: Rule, index: DocIndex) -> dict[str, list[Hit]]:
    """Every hit of every concept of a rule, each classified (kind, score)."""
    raw = {name: index.hits(c, name) for name, c in rule.check.concepts.items()}
    index.topic = _topic(rule)
    index.concepts = dict(rule.check.concepts)
    out: dict[str, list[Hit]] = {}
    for name, hs in raw.items():
        out[name] = [_with(h, kind=k, score=sc) for h in hs for k, sc in [classify(h, index)]]
    # an item of a long list is a passing mention, unless most of the list is this rule's own
    starts: list[int] | None = None
    for name, hs in out.items():
        for i, h in enumerate(hs):
            if h.kind != "passing":
                continue
            span = _enumeration(h.sentence, h.start, h.end)
            if span is None:
                continue
            items = _items(index.doc.text, *span)
            if starts is None:  # where every hit of the rule starts (classifying moves none)
                starts = sorted(x.start for xs in out.values() for x in xs)
            mine = {j for j, (a, b) in enumerate(items) if bisect_left(starts, b) > bisect_left(starts, a)}
            if 2 * len(mine) >= len(items):
                hs[i] = _with(h, kind="deed", score=SCALE["deed"])
    # words inside another concept's slogan (部署 inside 亲自部署) are that slogan
    slogans = [h for hs in out.values() for h in hs if h.kind == "slogan"]
    for name, hs in out.items():
        for i, h in enumerate(hs):
            if h.kind == "deed" and any(s.start <= h.start and h.end <= s.end for s in slogans):
                hs[i] = _with(h, kind="slogan", score=SCALE["slogan"])
    # a heading's words count as a deed only when the paragraphs under it carry the topic
    deeds = [h for hs in out.values() for h in hs if h.kind == "deed"]
    for name, hs in out.items():
        for i, h in enumerate(hs):
            if h.kind == "heading" and h.part in rule.parts:
                lo, hi = index.under(h.paragraph)
                if any(lo <= d.start < hi and d is not h for d in deeds):
                    hs[i] = _with(h, kind="deed", score=SCALE["heading"], supported=True)
                elif h.end - h.start >= 5 and FIGURE_RE.search(index.doc.text, lo, hi):
                    # a heading naming a specific task (综合行政执法体制改革) over paragraphs that
                    # report figures: the work under it is that task, in other words
                    hs[i] = _with(h, kind="deed", score=SCALE["heading"])
        # a part's own title (一、推进政府职能转变……) names a whole chapter: its words alone show nothing
        out[name] = [h for h in hs if not (h.kind == "heading" and h.paragraph.heading.depth == 1)]  # type: ignore[union-attr]
    return out


def _kind_notes(ev: list[Hit]) -> list[str]:
    kinds = {h.kind for h in ev}
    best = max(kinds, key=lambda k: KIND_RANK[k])
    return [KIND_NOTES[best]] if best in KIND_NOTES else []


def _evaluate_phrases(rule: Rule, index: DocIndex) -> RuleResult:
    check = rule.check
    every = _rule_hits(rule, index)
    counting = set(rule.parts)
    deeds = {name: [h for h in hs if h.part in counting and h.kind == "deed"] for name, hs in every.items()}
    strong = [h for hs in deeds.values() for h in hs if not h.supported]
    covered_conds = _default_covered(check)
    if strong:
        for cond in covered_conds:
            ev = _satisfy(cond, deeds)
            if ev and any(not h.supported for h in ev):
                ev = [h for h in ev if not h.supported] + [h for h in ev if h.supported]
                top = max(_strength(h) for h in ev)
                return _result(rule, "covered", round(top), _evidence(ev, index.doc, strong, _standalone(check), _covering(check)), [])
    weaker = every  # every hit, supported headings included
    for cond in covered_conds:
        ev = _satisfy(cond, weaker)
        if ev and max(ev, key=_strength).kind in ("plan", "problem", "heading"):
            # the full content only planned, only as a problem or only in a heading, but a deed
            # of the report year meets a weaker condition: the deed is the evidence (a plan or a
            # heading is no note on a deed; a slogan's recital still says more than 贯彻……规定)
            done = next((d for d in (_satisfy(c, deeds) for c in check.partial) if d), None)
            if done:
                progress = max(_progress(c, deeds) for c in covered_conds)
                return _result(rule, "partial", round(30 + 20 * progress), _evidence(done, index.doc, ev), [])
        if ev:
            top = max(_strength(h) for h in ev)
            if max(ev, key=_strength).kind == "deed":  # a deed that only meets a weaker condition
                top = SCALE["passing"]
            return _result(rule, "partial", round(min(top, SCALE["passing"])), _evidence(ev, index.doc), _kind_notes(ev))
    for cond in check.partial:
        ev = _satisfy(cond, weaker)
        if ev:
            progress = max(_progress(c, deeds) for c in covered_conds)
            best = max(ev, key=_strength)
            score = round(30 + 20 * progress) if best.kind == "deed" else min(round(_strength(best)), SCALE["passing"])
            notes = _kind_notes(ev) if best.kind != "deed" else []
            return _result(rule, "partial", score, _evidence(ev, index.doc), notes)
    return _result(rule, "missing", 0, [], [])


def _topic(rule: Rule) -> frozenset[str]:
    return frozenset([rule.id, *rule.refs])


def _body_chars(paras: list[Paragraph]) -> int:
    """Characters of a part without its own heading (sub-headings are content: many plans
    are a list of （一）（二）… items)."""
    total = 0
    for i, p in enumerate(paras):
        start = p.heading.end if (i == 0 and p.heading is not None) else p.start
        total += len(_SPACE_RE.sub("", p.text[start - p.start:]))
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
        match_start=first_sentence.start,  # no words highlighted, but the offsets stay in the sentence
        match_end=first_sentence.start,
        part=head.part,
        concept="section",
        kind="heading" if head.heading is not None else "deed",
        score=SCALE["heading"],
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
    # which headings name which topics: a hit in a heading claims the heading for its rule,
    # unless the hit lies inside a longer term of another rule (行政决策 inside 重大行政决策)
    found: list[tuple[Hit, frozenset[str]]] = []
    for rule in rules:
        if rule.check.kind != "phrases" or (level and level not in rule.applies_to):
            continue
        topic = _topic(rule)
        for name, concept in rule.check.concepts.items():
            found += [(h, topic) for h in index.hits(concept, name)]
    for h, topic in found:
        index.terms.setdefault(h.paragraph.index, []).append((h.start, h.end, topic))
    for h, topic in found:
        if h.paragraph.heading is not None and h.start < h.paragraph.heading.end and not index.nested(h, topic):
            index.claims.setdefault(h.paragraph.index, set()).update(topic)
    return [evaluate(rule, index, level) for rule in rules]
