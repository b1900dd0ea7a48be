"""The rule registry's pydantic models: a rule file is validated against them when it is
read. A registry handed to the matcher holds frozen plain copies of them (checker.ruleview),
so a registry read back from the cache needs neither these classes nor pydantic; this
module is imported when YAML is validated (checker.rules imports it then)."""
from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from checker.model import LEVELS
from checker.rules import DEFAULT_PARTS, ID_RE, REF_RE, Level, Part, Scope, expand

__all__ = ["Check", "Concept", "Condition", "Context", "Group", "Profile", "Rule", "RuleFile", "ValidationError"]


class _Strict(BaseModel):
    # defer_build: a validator is built when a rule file is first validated, not at import
    # (a registry read back from the cache needs none)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _check_regexes(patterns: list[str]) -> list[str]:
    for pat in patterns:
        try:
            re.compile(expand(pat))
        except re.error as exc:
            raise ValueError(f"invalid regex {pat!r}: {exc}") from None
    return patterns


class Context(_Strict):
    """Words that must (or must not) stand near a hit for it to count."""

    any: list[str] = []
    regex: list[str] = []
    within: Literal["sentence", "paragraph"] | int = "sentence"  # an int is a window in characters

    _v = field_validator("regex")(_check_regexes)

    @model_validator(mode="after")
    def _non_empty(self) -> "Context":
        if not self.any and not self.regex:
            raise ValueError("needs at least one of any/regex")
        return self


class Concept(BaseModel):
    """One thing to find: aliases and variant spellings, patterns, fuzzy tolerance, context."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    any: list[str] = []  # exact phrases
    regex: list[str] = []  # regular expressions over the normalised text
    fuzzy: int = Field(0, ge=0, le=100)  # rapidfuzz threshold for phrases of 4+ characters; 0 = exact only
    tokens: bool = False  # also match a phrase's pkuseg tokens in order with small gaps (inserted words)
    boundary: bool = False  # a hit must start and end on pkuseg token boundaries
    near: Context | None = None  # required context
    not_near: Context | None = None  # vetoing context
    # phrases a hit must not lie inside: `not: [协调机制]` drops the 协调 of 领导协调机制
    # (instead of a chain of lookbehinds and lookaheads in every pattern)
    exclude: list[str] = Field([], alias="not")
    in_titles: bool = False  # count hits inside 《…》 (a cited document title is not an action)
    headings: bool = True  # count hits in headings
    label: str = ""  # Chinese name shown in evidence
    # a hit whose first two characters recur 3+ times in its sentence, with no figure, recites a
    # formula (……亲自部署、……亲自过问、……亲自协调) and is a slogan, not a deed
    repeated_is_slogan: bool = False

    _v = field_validator("regex")(_check_regexes)

    @model_validator(mode="after")
    def _non_empty(self) -> "Concept":
        if not self.any and not self.regex:
            raise ValueError("a concept needs at least one phrase (any) or pattern (regex)")
        return self


class Condition(_Strict):
    """all: every named concept; any: at least ``min`` of these; all inside one ``within`` scope."""

    all: list[str] = []
    any: list[str] = []
    min: int = Field(1, ge=1)
    within: Scope = "document"
    ordered: bool = False  # the ``all`` concepts occur in the order listed (a subject before its verb)

    @model_validator(mode="after")
    def _non_empty(self) -> "Condition":
        if not self.all and not self.any:
            raise ValueError("a condition needs all or any")
        if self.any and self.min > len(self.any):
            raise ValueError(f"min {self.min} is larger than the {len(self.any)} concepts in any")
        return self

    def concepts(self) -> list[str]:
        return [*self.all, *self.any]


class Check(_Strict):
    kind: Literal["phrases", "section"] = "phrases"
    part: Part | None = None  # section kind: the report part that must exist
    min_chars: int = Field(0, ge=0)  # section kind: shorter bodies are only partial
    concepts: dict[str, Concept] = {}
    covered: list[Condition] = []  # any one satisfied -> covered (default: any concept)
    partial: list[Condition] = []  # any one satisfied -> partial (default: covered conditions over all parts)

    @model_validator(mode="after")
    def _consistent(self) -> "Check":
        if self.kind == "section" and not self.part:
            raise ValueError("a section check needs part")
        if self.kind == "phrases" and not self.concepts:
            raise ValueError("a phrases check needs concepts")
        for cond in [*self.covered, *self.partial]:
            for name in cond.concepts():
                if name not in self.concepts:
                    raise ValueError(f"condition names unknown concept {name!r}")
        return self


class Rule(_Strict):
    id: str
    title: str
    refs: list[str] = []
    severity: Literal["error", "warning", "info"] = "warning"
    group: str = ""
    applies_to: list[Level] = list(LEVELS)
    parts: list[Part] = DEFAULT_PARTS  # where a hit counts towards covered
    check: Check
    hint: str = ""  # what a drafter should add, in Chinese
    description: str = ""
    example: str = ""  # a sentence this rule matches (tests keep it true)
    counter_example: str = ""  # a sentence that uses the words in another sense and must not count
    messages: dict[Literal["covered", "partial", "missing", "not_applicable"], str] = {}

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError("ids are lowercase letters, digits, '-' and '.'")
        return v

    @field_validator("refs")
    @classmethod
    def _refs(cls, v: list[str]) -> list[str]:
        for ref in v:
            if not REF_RE.match(ref):
                raise ValueError(f"ref {ref!r} is not of the form edition:N or edition:A.M")
        return v


class Group(_Strict):
    id: str
    title: str


class Profile(_Strict):
    id: str
    title: str
    edition: str
    years: tuple[int, int]
    cites: list[str]  # ref prefixes shown with this profile's results
    files: list[str]
    groups: list[Group] = []
    description: str = ""


class RuleFile(_Strict):
    rules: list[Rule]
    defaults: dict[str, Any] = {}
