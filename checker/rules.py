"""The rule registry: YAML in rules/, validated on load.

What to match is data (rules/*.yaml, rules/profiles/*.yaml); how to match is code
(checker.match). A rule file holds ``rules: [...]``; a profile names its edition, the
years it serves, its rule files and the outline parts used to group results. Adding an
outline edition is a new profile and a new rule file, no Python.

Validation errors name the file, the rule id and the field, e.g.
``rules/named.yaml: rule three-systems: check.concepts.review.fuzzy: must be ≤ 100``.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from checker import recache
from checker.errors import RegistryError, UsageError
from checker.model import LEVELS, PARTS

Level = Literal["province", "city", "county", "township", "department"]
Part = Literal["title", "preamble", "achievements", "shortcomings", "plan", "other", "closing", "meta"]
Scope = Literal["clause", "sentence", "paragraph", "section", "part", "document"]

# the pydantic models (checker.rulemodels) are imported when a rule file is validated, not
# with this module: a registry from the cache holds plain frozen copies (checker.ruleview)
_MODELS = ("Check", "Concept", "Condition", "Context", "Group", "Profile", "Rule", "RuleFile")


def __getattr__(name: str):
    if name in _MODELS:
        from checker import rulemodels

        return getattr(rulemodels, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


REF_RE = recache.compile(r"^[a-z][a-z0-9-]*:\d+(\.\d+)*$")
ID_RE = recache.compile(r"^[a-z0-9][a-z0-9.-]*$")
DEFAULT_PARTS = ["preamble", "achievements", "other"]


# The proximity operator of the rule language: words near each other, written between them
# in a pattern instead of a hand-typed gap class.
#   {clause:N}    up to N characters within one clause (no ，,；;。 and no cited 《title》 between)
#   {sentence:N}  up to N characters within one sentence (no ；;。 and no 《title》 between)
#   {chars:N}     up to N characters of anything but a sentence end
GAPS = {
    "clause": "[^。；;《》，,]",
    "sentence": "[^。；;《》]",
    "chars": "[^。]",
}
GAP_RE = recache.compile(r"\{(clause|sentence|chars):(\d+)\}")


def expand(pattern: str) -> str:
    """A rule pattern with its proximity operators spelled out as regular expression."""
    return GAP_RE.sub(lambda m: f"{GAPS[m.group(1)]}{{0,{m.group(2)}}}", pattern)


@dataclass
class Registry:
    """The rule registry: profiles, their rules, and the folder they were read from."""

    root: Path
    profiles: dict[str, Profile]
    rules: dict[str, dict[str, Rule]] = field(default_factory=dict)  # profile id -> rule id -> rule
    sources: dict[str, str] = field(default_factory=dict)  # rule id -> file it came from

    def rules_for(self, profile_id: str) -> list[Rule]:
        return list(self.rules[profile_id].values())

    def profile(self, profile_id: str) -> Profile:
        try:
            return self.profiles[profile_id]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise UsageError(f"未知的 profile：{profile_id}（可用：{known}）") from None

    def all_rules(self) -> dict[str, Rule]:
        merged: dict[str, Rule] = {}
        for per_profile in self.rules.values():
            merged.update(per_profile)
        return merged

    def select_profile(self, year: int | None) -> tuple[Profile, str]:
        """The profile for a reported year, and why (shown in the header)."""
        ordered = sorted(self.profiles.values(), key=lambda p: p.years[0])
        newest = ordered[-1]
        if year is None:
            return newest, f"未识别报告年度，按最新版本 {newest.title}"
        for prof in ordered:
            if prof.years[0] <= year <= prof.years[1]:
                return prof, f"报告年度 {year} 在 {prof.years[0]}–{prof.years[1]} 之间"
        if year > newest.years[1]:
            return newest, f"报告年度 {year} 晚于 {newest.title} 的适用期，按最新版本检查"
        oldest = ordered[0]
        return oldest, f"报告年度 {year} 早于 {oldest.title} 的适用期，按最早版本检查"


def _format_validation(exc, where: str) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {loc}: {msg}" if loc else f"{where}: {msg}")
    return "; ".join(parts)


def _safe_loader():
    import yaml  # imported when a file is read (a registry from the cache needs none)

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster


ALIAS_RE = recache.compile(r"^[^#\n]*?[:\-\[,]\s*\*[A-Za-z_][\w-]*\s*(?:$|[,\]}])", re.M)


def _load_yaml(path: Path, no_alias: bool = False) -> Any:
    import yaml

    from checker.errors import InputError
    from checker.limits import check_nesting, read_text_bounded

    try:  # a regular UTF-8 file of bounded size (binary, Latin-1, a FIFO: one line)
        text = read_text_bounded(path, what="规则文件")
        check_nesting(text, what="规则文件", path=path)
        found = ALIAS_RE.search(text) if no_alias else None
        if found:
            # a YAML anchor defined in one rule and used (*name) in others would let one rule's
            # edit silently change the others: each rule states its own words
            line = text[:found.start()].count("\n") + 1
            raise RegistryError(f"{path}: line {line}: YAML alias (*name): write the words out in each rule")
        return yaml.load(text, Loader=_safe_loader())
    except InputError as exc:
        raise RegistryError(str(exc)) from None
    except (ValueError, RecursionError, OverflowError) as exc:
        raise RegistryError(f"{path}: YAML error: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise RegistryError(f"{path}:{line} YAML error: {getattr(exc, 'problem', exc)}") from None


def load_rule_file(path: Path, display: str | None = None) -> list[Rule]:
    """Load and validate one rule file; errors name file, rule id and field."""
    from checker.rulemodels import Rule, ValidationError

    shown = display or str(path)
    data = _load_yaml(path, no_alias=True)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RegistryError(f"{shown}: expected a mapping with a 'rules' list")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise RegistryError(f"{shown}: defaults: expected a mapping")
    rules: list[Rule] = []
    seen: set[str] = set()
    problems: list[str] = []
    for i, raw in enumerate(data["rules"]):
        rid = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        if not isinstance(raw, dict):
            problems.append(f"{shown}: rule {rid}: expected a mapping")
            continue
        merged = {**defaults, **raw}
        try:
            rule = Rule.model_validate(merged)
        except ValidationError as exc:
            problems.append(_format_validation(exc, f"{shown}: rule {rid}"))
            continue
        if rule.id in seen:
            problems.append(f"{shown}: rule {rule.id}: id: duplicate id")
        seen.add(rule.id)
        rules.append(rule)
    extra = set(data) - {"rules", "defaults"}
    if extra:
        problems.append(f"{shown}: unknown top-level keys: {', '.join(sorted(extra))}")
    if problems:
        raise RegistryError("; ".join(problems))
    return rules


def default_root() -> Path:
    env = os.environ.get("CHECKER_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "rules", here / "rules_data"):  # rules_data: in a wheel
        if (candidate / "profiles").is_dir():
            return candidate
    raise RegistryError(f"rules folder not found next to {here} (set CHECKER_RULES)")


def load_registry(root: Path | str | None = None) -> Registry:
    from checker.rulemodels import Profile, ValidationError

    root = Path(root) if root else default_root()
    prof_dir = root / "profiles"
    if not prof_dir.is_dir():
        raise RegistryError(f"{root}: no profiles/ folder")
    reg = Registry(root=root, profiles={})
    file_cache: dict[str, list[Rule]] = {}
    for path in sorted(prof_dir.glob("*.yaml")):
        shown = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        data = _load_yaml(path)
        try:
            prof = Profile.model_validate(data)
        except ValidationError as exc:
            raise RegistryError(_format_validation(exc, f"{shown}: profile")) from None
        if prof.id in reg.profiles:
            raise RegistryError(f"{shown}: profile {prof.id}: id: duplicate profile id")
        reg.profiles[prof.id] = prof
        group_ids = {g.id for g in prof.groups}
        per_profile: dict[str, Rule] = {}
        for name in prof.files:
            rule_path = root / name
            if name not in file_cache:
                file_cache[name] = load_rule_file(rule_path, f"{root.name}/{name}")
            for rule in file_cache[name]:
                if rule.id in per_profile:
                    raise RegistryError(f"{root.name}/{name}: rule {rule.id}: id: also defined in {reg.sources[rule.id]}")
                if group_ids and rule.group and rule.group not in group_ids:
                    raise RegistryError(
                        f"{root.name}/{name}: rule {rule.id}: group: {rule.group!r} is not a group of profile {prof.id}"
                    )
                per_profile[rule.id] = rule
                reg.sources.setdefault(rule.id, f"{root.name}/{name}")
        reg.rules[prof.id] = per_profile
    if not reg.profiles:
        raise RegistryError(f"{prof_dir}: no profile files")
    from checker import ruleview

    return ruleview.freeze_registry(reg)  # plain frozen copies: pickled and read back without pydantic


def registry_checksum(reg: Registry) -> str:
    """A digest of everything an example's verdict depends on: the rule and profile files,
    the checker's code (a change in the matcher can break an example as surely as a change
    in a pattern) and the library versions — the same digest that keys the registry cache."""
    from checker.cache import checksum

    return checksum(Path(reg.root))[:24]


def _verified_marker(reg: Registry) -> Path | None:
    try:
        from checker.nlp import model_dir

        return model_dir().parent / f"examples-ok-{registry_checksum(reg)}"
    except Exception:  # no model folder: nothing to cache in
        return None


def verify_examples(reg: Registry) -> None:
    """Run every rule's example (must be covered) and counter-example (must not count)
    through the matcher; a rule that fails makes the registry refuse to load, naming file,
    rule id and field. The verification is remembered by the registry's checksum, so only
    the first load after a change pays for it (and for the segmenter it needs)."""
    marker = _verified_marker(reg)
    if marker is not None and marker.is_file():
        return
    from checker import browse, nlp

    try:
        nlp.check_model()
    except Exception:  # no segmenter model yet (`checker setup`): the examples cannot be run
        return
    terms = tuple(all_terms(reg))

    class _Segmenter:  # loads the model only when an example needs document tokens
        def __call__(self):
            return nlp.get_segmenter(terms)

    segmenter = _Segmenter()
    segmenter.phrases = nlp.PhraseWords(terms, segmenter)
    problems: list[str] = []
    for rid, rule in reg.all_rules().items():
        shown = reg.sources.get(rid, str(reg.root))
        if rule.example:
            status = browse.try_sentence(rule, rule.example, segmenter)
            if status != "covered":
                problems.append(f"{shown}: rule {rid}: example: the example sentence is not covered by the rule (got {status})")
        if rule.counter_example:
            status = browse.try_sentence(rule, rule.counter_example, segmenter)
            if status in ("covered", "partial"):
                problems.append(f"{shown}: rule {rid}: counter_example: the counter-example counts for the rule (got {status})")
    if problems:
        raise RegistryError("; ".join(problems))
    if marker is not None:
        try:
            marker.write_text("ok\n", encoding="utf-8")
        except OSError:
            pass  # a read-only install: verified again next time


@lru_cache(maxsize=4)
def cached_registry(root: str | None = None) -> Registry:
    from checker import cache  # validated once per change of the rule files (checker/cache.py)

    return cache.registry(root, os.environ.get("CHECKER_VERIFY_EXAMPLES", "1") != "0")


_HAN_ONLY = recache.compile(r"[\u4e00-\u9fff]+")


def all_terms(registry: Registry) -> list[str]:
    """Key terms from every rule, for pkuseg's user dictionary (so 三项制度, 第一责任人,
    法制审核 stay one token). Only terms of 2–5 characters: a long phrase made one token
    could no longer be matched word by word with words inserted."""
    terms: set[str] = set()
    for rule in registry.all_rules().values():
        for concept in rule.check.concepts.values():
            for phrase in concept.any:
                if 2 <= len(phrase) <= 5 and _HAN_ONLY.fullmatch(phrase):
                    terms.add(phrase)
    return sorted(terms)


__all__ = [
    "Check", "Concept", "Condition", "Context", "Group", "Profile", "Registry", "Rule",
    "all_terms", "cached_registry", "expand", "load_registry", "load_rule_file", "PARTS",
    "registry_checksum", "verify_examples",
]
