"""Waivers: decisions a reviewer made about one report, kept in a YAML file.

Modelled on InSpec's waivers: a waived result is still shown, marked as waived with its
reason, and no longer fails the run; an expired waiver is ignored with a warning.

    waivers:
      - rule: legal-adviser-coverage
        report: reports/许疃镇-2023.txt      # a path, relative to this file …
        reason: 镇政府法律顾问合同在报告成文后签订，附件已补充
        by: 张三
        until: 2026-12-31                  # valid through that day; optional
      - rule: three-systems
        report: f16a34b4906771cc5ce8ed06387d37d0ad5d5562a4e1c774259495f95b3a804c   # … or the sha256 of its bytes
        reason: 执法权已划转至综合行政执法局，由该局单独报告
        by: 李四

Only a missing or partial result is waived (its earlier status is kept in
``waiver.was``); a waiver for a result that is covered or not applicable is noted and
left unused. Waived results do not count as missing and do not fail the exit status.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from checker import recache  # compiled patterns kept across runs
from checker.errors import UsageError
from checker.model import AuditReport
from checker.render import STATUS_ZH

SHA256_RE = recache.compile(r"^[0-9a-fA-F]{64}$")
FIELDS = ("rule", "report", "reason", "by", "until")
REQUIRED = ("rule", "report", "reason")


def _safe_loader():
    """The C loader when libyaml is there (as for rule files); both are safe loaders.
    yaml is imported only when a waivers file is read."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class WaiverError(UsageError):
    """A waivers file that cannot be read; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Waiver:
    """An accepted exception: a rule that does not count against one report, with its reason."""

    rule: str
    report: str  # sha256 (lower case) or an absolute path
    reason: str
    by: str = ""
    until: dt.date | None = None
    source: str = ""  # "waivers.yaml #2": where the decision is written

    @property
    def by_hash(self) -> bool:
        return bool(SHA256_RE.match(self.report))

    def matches(self, report: AuditReport) -> bool:
        if self.by_hash:
            return report.sha256.lower() == self.report
        try:
            return Path(report.file).resolve() == Path(self.report)
        except (OSError, RuntimeError, ValueError):
            return False

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and self.until < today


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise WaiverError(f"{where}: until: 应当是日期 YYYY-MM-DD，不是 {value!r}")


def load_waivers(path: Path | str) -> list[Waiver]:
    import yaml

    from checker.errors import InputError
    from checker.limits import MAX_SETTINGS_BYTES, check_nesting, inert, read_text_bounded, shown

    path = Path(path)
    try:
        # a regular file of bounded size: a FIFO or /dev/zero is refused, not read
        text = read_text_bounded(path, MAX_SETTINGS_BYTES, what="豁免文件")
        check_nesting(text, what="豁免文件", path=path)
        data = yaml.load(text, Loader=_safe_loader())
    except InputError as exc:
        raise WaiverError(str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" 第 {mark.line + 1} 行" if mark else ""
        raise WaiverError(f"{shown(path)}:{line} YAML 格式错误：{inert(getattr(exc, 'problem', exc), False)}") from None
    except (ValueError, RecursionError, OverflowError, TypeError) as exc:  # until: 2025-02-30, month 13, a huge integer
        raise WaiverError(f"{shown(path)}: 无法读取的值（如不存在的日期 2025-02-30）：{inert(exc, False)[:200]}") from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list) or set(data) - {"waivers"}:
        raise WaiverError(f"{path}: 应当只有一个 waivers: 列表")
    out: list[Waiver] = []
    for i, entry in enumerate(data["waivers"], start=1):
        where = f"{path} #{i}"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where}: 每一条应当是 rule/report/reason/by/until 的映射")
        if isinstance(entry.get("rule"), str):
            where += f" ({entry['rule']})"
        unknown = sorted(set(map(str, entry)) - set(FIELDS))
        if unknown:
            raise WaiverError(f"{where}: 未知的字段 {', '.join(unknown)}（可用：{', '.join(FIELDS)}）")
        if isinstance(entry.get("report"), (int, float)):  # an unquoted all-digit hash
            raise WaiverError(f"{where}: report: 应当是路径或 sha256，请加引号")
        for key in REQUIRED:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise WaiverError(f"{where}: {key}: 必填" + ("（写明豁免的理由）" if key == "reason" else ""))
        by = entry.get("by", "")
        if not isinstance(by, str):
            raise WaiverError(f"{where}: by: 应当是姓名")
        report = entry["report"].strip()
        try:
            report = report.lower() if SHA256_RE.match(report) else str((path.parent / report).resolve())
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the path
            raise WaiverError(f"{where}: report: 无法解析的路径 {report!r}") from None
        until = _date(entry["until"], where) if entry.get("until") is not None else None
        out.append(Waiver(rule=entry["rule"].strip(), report=report, reason=entry["reason"].strip(),
                          by=by.strip(), until=until, source=f"{path.name} #{i}"))
    return out


def apply_waivers(report: AuditReport, waivers: list[Waiver], today: dt.date | None = None) -> list[str]:
    """Mark waived results in place; return warnings (also added to the report's notes).

    The caller recomputes the summary afterwards.
    """
    if report.error:
        return []
    today = today or dt.date.today()
    by_id = {r.id: r for r in report.results}
    warnings: list[str] = []
    for w in waivers:
        if not w.matches(report):
            continue
        result = by_id.get(w.rule)
        if w.expired(today):
            warnings.append(f"豁免已于 {w.until.isoformat()} 到期，已忽略：{w.rule}（{w.source}）")
            continue
        if result is None and _waive_findings(report, w):
            continue
        if result is None:
            warnings.append(f"豁免的规则 {w.rule} 不在本次检查的结果中（{w.source}）")
            continue
        if result.status == "waived":
            continue
        if result.status not in ("missing", "partial"):
            report.notes.append(f"豁免未使用：{w.rule} 的结果是“{STATUS_ZH[result.status]}”，无需豁免（{w.source}）")
            continue
        result.waiver = {
            "reason": w.reason,
            "by": w.by,
            "until": w.until.isoformat() if w.until else None,
            "was": result.status,
            "source": w.source,
        }
        result.status = "waived"
    report.notes.extend(warnings)
    return warnings


def _waive_findings(report: AuditReport, w: Waiver) -> bool:
    """A waiver naming a form check (形式审查) waives that check's findings on the report."""
    hits = [f for f in report.findings if f.check == w.rule]
    for f in hits:
        if f.waiver is None:
            f.waiver = {"reason": w.reason, "by": w.by, "until": w.until.isoformat() if w.until else None,
                        "source": w.source}
    return bool(hits)
