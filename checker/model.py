"""Plain dataclasses that flow through the pipeline.

ingest -> Source
structure -> Document (paragraphs, sentences, headings, parts, Meta)
nlp -> LazyTokens (pkuseg token spans over Document.text, computed where asked)
match -> RuleResult (with Evidence)
pipeline -> AuditReport (what renderers read; renderers never compute verdicts)

Every character offset (start/end) points into ``Document.text``: the *normalised*
text (after decoding, traditional->simplified conversion, pinyin and web-page clean-up,
full-width normalisation). ``checker text FILE`` prints exactly that text.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_SCALARS = (str, int, float, bool, type(None))


def _names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def asdict(obj) -> Any:
    """dataclasses.asdict for these plain results (dataclasses, lists, tuples, dicts,
    scalars) without its deep copy of every scalar: the same dict in about a third of the
    time (a scalar, most of the values, is taken as it is without a call; a batch renders
    every report's JSON in one process, after the pool)."""
    cls = type(obj)
    if cls in _SCALAR_TYPES:
        return obj
    names = _FIELD_NAMES.get(cls)
    if names is None and hasattr(cls, "__dataclass_fields__"):
        names = _names(cls)
    if names is not None:
        out = {}
        for name in names:
            v = getattr(obj, name)
            out[name] = v if type(v) in _SCALAR_TYPES else asdict(v)
        return out
    if cls is list:
        return [v if type(v) in _SCALAR_TYPES else asdict(v) for v in obj]
    if cls is tuple:
        return tuple(asdict(v) for v in obj)
    if cls is dict:
        return {asdict(k): v if type(v) in _SCALAR_TYPES else asdict(v) for k, v in obj.items()}
    import copy  # anything else: as dataclasses.asdict does

    return copy.deepcopy(obj)


_SCALAR_TYPES = frozenset(_SCALARS)


# --- ingest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A file read and normalised. ``text`` is what every later stage sees."""

    path: str
    text: str
    encoding: str  # detected encoding of the bytes, e.g. "utf-8", "gb18030", "big5", "utf-16", "docx"
    sha256: str  # of the raw bytes: identifies a report for waivers
    notes: tuple[str, ...] = ()  # what normalisation did, in Chinese, e.g. "繁体已转换为简体"
    # metadata a web page carried and ingest removed from the text (发布机构, 发布日期, 名称 …)
    fields: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


# --- structure --------------------------------------------------------------------------

# report parts a paragraph can belong to
PARTS = ("title", "preamble", "achievements", "shortcomings", "plan", "other", "closing", "meta")
LEVELS = ("province", "city", "county", "township", "department")
LEVEL_ZH = {  # how levels are named to users
    "province": "省级",
    "city": "设区的市级",
    "county": "县级",
    "township": "乡镇（街道）级",
    "department": "政府部门",
}


@dataclass(frozen=True)
class Sentence:
    """A sentence of the normalised text (offsets into Document.text)."""

    index: int  # running index over the whole document
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Heading:
    """A numbered heading (一、 （一） 1. （1）) and where it stands."""

    paragraph: int  # index of the paragraph that is (or starts with) the heading
    depth: int  # 1 for 一、 2 for （一） 3 for 1. / 1、 4 for （1）
    marker: str  # "一、", "（二）", "3." ...
    title: str  # heading text without its marker
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """A line of the normalised text: its kind, the report part and section it is in, its sentences."""

    index: int
    start: int
    end: int
    text: str
    kind: str  # "heading" | "body" | "title" | "meta" | "closing"
    part: str  # one of PARTS
    section: tuple[str, ...]  # heading path, e.g. ("一、2023年法治政府建设主要工作及成效", "（四）完善执法工作机制")
    sentences: tuple[Sentence, ...]
    heading: Heading | None = None  # set when the paragraph starts with a heading

    @property
    def section_label(self) -> str:
        return " › ".join(self.section)


@dataclass(frozen=True)
class Meta:
    """What the text is and says of itself: kind, year, body, level, date, title, each with the reason."""

    year: int | None  # the year reported on (not the year written)
    year_reason: str = ""
    body: str | None = None  # the reporting body, e.g. "弋阳县人民政府", "许疃镇"
    level: str | None = None  # one of LEVELS
    level_reason: str = ""  # how the level was decided, in Chinese, shown in the header
    date: str | None = None  # ISO date the report was signed or published, when found
    title: str | None = None
    is_report: bool = True  # False when the text does not read as a rule-of-law report
    report_reason: str = ""
    kind: str = "report"  # "report", or what else the text is (structure.kind.KIND_ZH)
    kind_reason: str = ""  # in Chinese: "这是一篇讲话稿，不是法治政府建设年度报告：…"
    place: dict[str, str] = field(default_factory=dict)  # the body's place: province / city / county as found
    division_code: str | None = None  # the body's (or its place's) division code, when the gazetteer has one


@dataclass(frozen=True)
class Document:
    """The structured text: paragraphs, headings and metadata over Source.text normalised."""

    source: Source
    text: str
    paragraphs: tuple[Paragraph, ...]
    headings: tuple[Heading, ...]
    meta: Meta

    def paragraphs_in(self, parts: set[str] | frozenset[str]) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.part in parts]

    def part_present(self, part: str) -> bool:
        return any(p.part == part for p in self.paragraphs)


# --- results ----------------------------------------------------------------------------

STATUSES = ("covered", "partial", "missing", "not_applicable", "waived")


@dataclass
class Evidence:
    """A quoted sentence that shows a rule's element, with the words that matched and its strength."""

    paragraph: int
    section: str
    start: int  # offsets of the quoted sentence in Document.text
    end: int
    text: str  # the sentence
    match: str = ""  # the words that matched
    match_start: int = 0
    match_end: int = 0
    part: str = ""
    concept: str = ""
    quality: float = 1.0  # 1.0 exact, lower for fuzzy
    # what the sentence is for this rule (see README "Evidence kinds and scores"):
    # deed (work done in the year reported on), passing (a mention inside another topic's
    # paragraph or a list), heading, slogan, plan (next year's work), problem (a shortcoming)
    kind: str = "deed"
    score: int = 0  # strength of this one sentence as evidence, 0–100 on the README's scale

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RuleResult:
    """One rule's verdict on one report: status, score, evidence, message and hint."""

    id: str
    title: str
    refs: list[str]
    severity: str
    status: str
    score: int
    evidence: list[Evidence] = field(default_factory=list)
    message: str = ""
    hint: str = ""
    group: str = ""
    notes: list[str] = field(default_factory=list)
    waiver: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # its evidence as Evidence.to_json gives it


@dataclass
class Summary:
    """A report's counts of verdicts, its coverage and exit status."""

    total: int
    applicable: int
    covered: int
    partial: int
    missing: int
    not_applicable: int
    waived: int
    coverage: float  # percent of applicable error/warning rules: covered counts 1, partial 0.5 (info rules are not scored)
    errors_failing: int  # error-level rules that are missing or partial (not waived)
    exit_status: int
    # the outline's tasks, each article once at the best status of the rules citing it:
    # {"applicable", "covered", "partial", "missing", "not_applicable", "waived"}
    tasks: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    """What a form check (checker.lint) found on the page: a span in Document.text and,
    where one is known, the text that should stand there instead."""

    check: str  # the check's id (rules/checks/*.yaml)
    message: str  # in Chinese
    severity: str  # error | warning | info
    start: int
    end: int
    text: str  # the text at start:end
    replacement: str | None = None  # suggested text for start:end (None: no mechanical fix)
    fix: str = ""  # how to fix it, in Chinese
    paragraph: int | None = None
    section: str = ""
    related: list[dict[str, Any]] = field(default_factory=list)  # copies: where else the paragraph occurs
    waiver: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AuditReport:
    """Everything the renderers show of one audited file (they read it and compute nothing)."""

    file: str
    profile: str
    profile_title: str
    profile_reason: str
    level: str | None
    level_reason: str
    year: int | None
    year_reason: str
    body: str | None
    date: str | None
    title: str | None
    encoding: str
    sha256: str
    is_report: bool
    notes: list[str]
    results: list[RuleResult]
    summary: Summary
    groups: list[dict[str, str]] = field(default_factory=list)  # [{"id", "title"}] in display order
    error: str | None = None  # set for a batch row whose file could not be read
    findings: list[Finding] = field(default_factory=list)  # 形式审查 (checker.lint); never change coverage
    kind: str = "report"  # what the text is (Meta.kind)
    kind_reason: str = ""
    place: dict[str, str] = field(default_factory=dict)  # the body's province / city / county
    division_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "profile": self.profile,
            "level": self.level,
            "year": self.year,
            "body": self.body,
            "date": self.date,
            "title": self.title,
            "meta": {
                "profile_title": self.profile_title,
                "profile_reason": self.profile_reason,
                "level_reason": self.level_reason,
                "year_reason": self.year_reason,
                "encoding": self.encoding,
                "sha256": self.sha256,
                "is_report": self.is_report,
                "notes": list(self.notes),
                "kind_reason": self.kind_reason,
            },
            "groups": self.groups,
            "results": [r.to_json() for r in self.results],
            "summary": self.summary.to_json(),
            **({"error": self.error} if self.error else {}),
            "findings": [f.to_json() for f in self.findings],
            "kind": self.kind,
            "place": dict(self.place),
            "division_code": self.division_code,
        }
