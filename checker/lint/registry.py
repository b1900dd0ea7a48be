"""The checks registry: rules/checks/*.yaml, verified when it loads (as prh does).

A check is data:

    checks:
      - id: term-fazhi-zhengfu           # unique among checks and coverage rules
        message: 应为“法治政府”             # what a reviewer reads, in Chinese
        severity: error                   # error | warning | info
        fix: 改为“法治政府”                 # how to fix it (shown with the finding)
        substitute:                       # wrong → right: a match whose expansion differs fires
          pattern: 法制政府
          expected: 法治政府               # $1 … refer to the pattern's groups
        # or   pattern: REGEX            (existence: every match fires)
        # or   compare: dates            (a comparison made in code: checker/lint/compare.py)
        unless: REGEX                     # optional: no finding in a sentence this matches
        min_year: 2016                    # optional: only for reports on this year or later
        fire:                             # each example must fire (text, or {text, to, year, …})
          - 建设法制政府
        pass:                             # no example may fire
          - 建设法治政府

A ``to`` in a firing example is the text after the suggested replacement is applied.
Comparison checks take their examples as whole small reports (they need a title, a year).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import recache  # compiled patterns kept across runs
from checker.errors import UsageError

SEVERITIES = ("error", "warning", "info")
FIELDS = ("id", "message", "severity", "fix", "substitute", "pattern", "compare", "unless", "min_year",
          "fire", "pass", "group")
COPY_CHECKS = ("copy-previous", "copy-batch")  # filled after the audit, from several reports


class CheckError(UsageError):
    """A checks file that cannot be used; the message names the file, the check and the field."""


@dataclass(frozen=True)
class Check:
    """One form check (rules/checks/*.yaml): what it looks for, its message, severity and fix."""

    id: str
    message: str
    severity: str
    fix: str = ""
    kind: str = "pattern"  # substitute | pattern | compare
    pattern: re.Pattern | None = None
    expected: str | None = None
    compare: str | None = None
    unless: re.Pattern | None = None
    min_year: int | None = None
    fire: tuple = ()
    passes: tuple = ()
    source: str = ""

    def expand(self, m: re.Match) -> str:
        """The suggested text for a substitute match ($1 → group 1)."""
        return recache.sub(r"\$(\d)", lambda g: m.group(int(g.group(1))) or "", self.expected or "")


@dataclass
class CheckRegistry:
    """Every form check of a rules folder, by id."""

    checks: dict[str, Check] = field(default_factory=dict)
    editions: tuple[tuple[int, int], ...] = ()  # outline editions the coverage registry knows
    root: Path | None = None  # the rules folder (its checks/data/laws.yaml is the law list)

    def ids(self) -> list[str]:
        return list(self.checks)


def _compile(value: Any, where: str, key: str) -> re.Pattern:
    if not isinstance(value, str) or not value:
        raise CheckError(f"{where}: {key}: 应当是正则表达式字符串")
    try:
        return recache.compile(value)
    except re.error as exc:
        raise CheckError(f"{where}: {key}: 正则表达式错误：{exc}") from None


def _check(entry: Any, where: str) -> Check:
    from checker.lint import compare

    if not isinstance(entry, dict):
        raise CheckError(f"{where}: 每一条应当是映射（id、message、severity …）")
    cid = entry.get("id")
    if not isinstance(cid, str) or not recache.fullmatch(r"[a-z0-9][a-z0-9-]*", cid or ""):
        raise CheckError(f"{where}: id: 必填，小写字母、数字和连字符")
    where = f"{where} ({cid})"
    unknown = sorted(set(map(str, entry)) - set(FIELDS))
    if unknown:
        raise CheckError(f"{where}: 未知的字段 {', '.join(unknown)}（可用：{', '.join(FIELDS)}）")
    for key in ("message",):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CheckError(f"{where}: {key}: 必填")
    severity = entry.get("severity")
    if severity not in SEVERITIES:
        raise CheckError(f"{where}: severity: 只能是 {'/'.join(SEVERITIES)}")
    kinds = [k for k in ("substitute", "pattern", "compare") if k in entry]
    if len(kinds) != 1:
        raise CheckError(f"{where}: 应当恰有 substitute、pattern、compare 之一")
    kind = kinds[0]
    pattern = expected = comp = None
    if kind == "substitute":
        sub = entry["substitute"]
        if not isinstance(sub, dict) or set(sub) != {"pattern", "expected"} or not isinstance(sub["expected"], str):
            raise CheckError(f"{where}: substitute: 应当有 pattern 和 expected 两项")
        pattern, expected = _compile(sub["pattern"], where, "substitute.pattern"), sub["expected"]
    elif kind == "pattern":
        pattern = _compile(entry["pattern"], where, "pattern")
    else:
        comp = entry["compare"]
        if comp not in compare.COMPARISONS and comp not in COPY_CHECKS:
            known = ", ".join(sorted([*compare.COMPARISONS, *COPY_CHECKS]))
            raise CheckError(f"{where}: compare: 未知的比较 {comp!r}（可用：{known}）")
    unless = _compile(entry["unless"], where, "unless") if "unless" in entry else None
    min_year = entry.get("min_year")
    if min_year is not None and (isinstance(min_year, bool) or not isinstance(min_year, int)):
        raise CheckError(f"{where}: min_year: 应当是年份")
    fire, passes = entry.get("fire") or [], entry.get("pass") or []
    if not isinstance(fire, list) or not isinstance(passes, list):
        raise CheckError(f"{where}: fire/pass: 应当是例句的列表")
    if comp not in COPY_CHECKS and (not fire or not passes):
        raise CheckError(f"{where}: fire 和 pass 都要至少一个例句（必须报出的和不得报出的）")
    fix = entry.get("fix", "")
    if not isinstance(fix, str):
        raise CheckError(f"{where}: fix: 应当是文字")
    return Check(id=cid, message=entry["message"].strip(), severity=severity, fix=fix.strip(), kind=kind,
                 pattern=pattern, expected=expected, compare=comp, unless=unless, min_year=min_year,
                 fire=tuple(fire), passes=tuple(passes), source=where)


def _example(ex: Any, where: str) -> dict:
    if isinstance(ex, str):
        return {"text": ex}
    if isinstance(ex, dict) and isinstance(ex.get("text"), str):
        return ex
    raise CheckError(f"{where}: 例句应当是文字或 {{text: …}}")


def verify(check: Check, editions=(), laws_file: str | None = None) -> list[str]:
    """Run a check's examples; return one line per example that does not behave."""
    from checker.lint import engine

    problems = []
    for raw in check.fire:
        ex = _example(raw, check.source)
        found = engine.run_example(check, ex, editions, laws_file)
        if not found:
            problems.append(f"{check.source}: fire: 应当报出却没有：{ex['text'][:60]!r}")
        elif "to" in ex:
            f = found[0]
            text = ex["text"]
            fixed = text[:f.start] + (f.replacement if f.replacement is not None else f.text) + text[f.end:]
            if fixed != ex["to"]:
                problems.append(f"{check.source}: fire: 改正后应为 {ex['to']!r}，实际为 {fixed!r}")
    for raw in check.passes:
        ex = _example(raw, check.source)
        found = engine.run_example(check, ex, editions, laws_file)
        if found:
            problems.append(f"{check.source}: pass: 不应报出却报出了 {found[0].text!r}：{ex['text'][:60]!r}")
    return problems


def _editions(rules_root: Path) -> tuple[tuple[int, int], ...]:
    """(2015, 2020), (2021, 2025) …: the outline editions in rules/profiles/*.yaml titles."""
    import yaml  # imported when check files are read (checks from the cache need none)

    out = set()
    for path in sorted((rules_root / "profiles").glob("*.yaml")):
        try:
            title = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("title", "")
        except (OSError, yaml.YAMLError, AttributeError):
            continue
        m = recache.search(r"(\d{4})\D{1,3}(\d{4})", str(title))
        if m:
            out.add((int(m.group(1)), int(m.group(2))))
    return tuple(sorted(out))


def load_checks(rules_root: str | Path, examples: bool = True) -> CheckRegistry:
    """Every rules/checks/*.yaml under ``rules_root``; no folder → no checks."""
    import yaml

    root = Path(rules_root)
    reg = CheckRegistry(editions=_editions(root), root=root)
    folder = root / "checks"
    if not folder.is_dir():
        return reg
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CheckError(f"无法读取检查项文件 {path}：{exc}") from None
        except yaml.YAMLError as exc:
            raise CheckError(f"{path}: YAML 格式错误：{exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
            raise CheckError(f"{path}: 应当有一个 checks: 列表")
        for i, entry in enumerate(data["checks"], start=1):
            check = _check(entry, f"{path.name} #{i}")
            if check.id in reg.checks:
                raise CheckError(f"{check.source}: id 重复：{check.id}")
            reg.checks[check.id] = check
    if examples:
        laws_file = str(root / "checks" / "data" / "laws.yaml")
        problems = [p for c in reg.checks.values() for p in verify(c, reg.editions, laws_file)]
        if problems:
            raise CheckError("检查项的例句不符：" + "；".join(problems[:5]))
    return reg


@functools.lru_cache(maxsize=8)
def _cached(root: str) -> CheckRegistry:
    from checker import cache  # verified once per change of the rule files (checker/cache.py)

    return cache.checks(root, load_checks)


def cached_checks(rules_root: str | Path) -> CheckRegistry:
    return _cached(str(Path(rules_root).resolve()))
