"""Configuration: ``[tool.checker]`` in a pyproject.toml, or a checker.toml, found upward
from each report.

Precedence, highest first:

1. command-line options (``--profile``, ``--select`` …): an option given replaces the
   config value of the same key; ``--severity ID=LEVEL`` is merged over the config table;
2. ``--config FILE`` (then nothing is searched for);
3. the nearest config file above the report: in each folder from the report's upward,
   ``checker.toml`` first, then ``pyproject.toml`` if it has a ``[tool.checker]`` table;
   the first folder that has one wins (files are not merged);
4. the defaults: profile by the reported year, level detected, all rules, fail on
   error-level rules, no coverage threshold, no waivers.

``--no-config`` skips 2 and 3. Keys (checker.toml has them at the top level):

    profile = "outline-2021"
    level = "township"
    select = ["three-systems", "outline-2021-*"]
    ignore = ["other-matters"]
    fail-on = "warning"          # error | warning | info
    fail-under = 80              # coverage percent
    waivers = "waivers.yaml"     # relative to the config file

    [severity]                   # [tool.checker.severity] in pyproject.toml
    outline-2021-20 = "error"
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from checker.errors import UsageError
from checker.lazy import module as _lazy_module
from checker.model import LEVELS
from checker.pipeline import Options

tomllib = _lazy_module("tomllib")  # imported when a settings file is read (not with --no-config)

SEVERITIES = ("error", "warning", "info")
FAIL_ON = SEVERITIES
KEYS = ("profile", "level", "select", "ignore", "severity", "fail-on", "fail-under", "waivers")


class ConfigError(UsageError):
    """A config file that cannot be read or has a bad key; the message names file and key."""


@dataclass(frozen=True)
class Settings:
    """Everything that decides one report's audit and its verdict."""

    options: Options = field(default_factory=Options)
    fail_on: str = "error"
    fail_under: float | None = None
    waivers: Path | None = None
    source: Path | None = None  # the config file these came from, if any


@dataclass
class Overrides:
    """What the command line set; None / empty means "not given"."""

    profile: str | None = None
    level: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    fail_under: float | None = None
    waivers: Path | None = None


def _split(values: list[str] | None) -> list[str] | None:
    """--select a,b --select c → [a, b, c]."""
    if values is None:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def parse_severity_options(values: list[str] | None) -> dict[str, str]:
    """``--severity ID=LEVEL`` (repeatable, or comma-separated)."""
    out: dict[str, str] = {}
    for item in _split(values) or []:
        rid, sep, sev = item.partition("=")
        if not sep or not rid.strip():
            raise UsageError(f"--severity 需要 规则=级别 的形式，如 three-systems=warning：{item}")
        sev = sev.strip()
        if sev not in SEVERITIES:
            raise UsageError(f"--severity {item}：级别只能是 {'/'.join(SEVERITIES)}")
        out[rid.strip()] = sev
    return out


def overrides_from_cli(
    profile=None, level=None, select=None, ignore=None, severity=None, fail_on=None, fail_under=None, waivers=None
) -> Overrides:
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on 只能是 {'/'.join(FAIL_ON)}：{fail_on}")
    if fail_under is not None and not 0 <= fail_under <= 100:
        raise UsageError(f"--fail-under 是 0–100 之间的覆盖率百分数：{fail_under}")
    return Overrides(
        profile=profile, level=level, select=_split(select), ignore=_split(ignore),
        severity=parse_severity_options(severity), fail_on=fail_on, fail_under=fail_under,
        waivers=Path(waivers) if waivers else None,
    )


# --- files ------------------------------------------------------------------------------


def _table(path: Path) -> dict | None:
    """The checker table of a config file, or None when a pyproject.toml has none."""
    from checker.errors import InputError
    from checker.limits import MAX_SETTINGS_BYTES, check_nesting, inert, read_text_bounded, shown

    try:
        # a regular file of bounded size (a FIFO or /dev/zero is refused, not read)
        text = read_text_bounded(path, MAX_SETTINGS_BYTES, what="配置文件")
        check_nesting(text, what="配置文件", path=path)
        data = tomllib.loads(text)
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown(path)}: TOML 格式错误：{inert(exc, False)}") from None
    except (ValueError, RecursionError, OverflowError) as exc:  # a 5,000-digit integer, a bad date
        raise ConfigError(f"{shown(path)}: TOML 中有无法读取的值：{inert(exc, False)[:200]}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("checker") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.checker] 应当是一个表")
        return table
    return data


def _where(path: Path) -> str:
    return f"{path}: [tool.checker]" if path.name == "pyproject.toml" else str(path)


def _str_list(value, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key}: 应当是规则编号的列表，如 [\"three-systems\"]")
    return _split(value) or []


def settings_from_table(table: dict, path: Path) -> Settings:
    """Validate a config table; every problem names the file and the key."""
    where = _where(path)
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: 未知的配置项 {', '.join(unknown)}（可用：{', '.join(KEYS)}）")
    opts = Options()
    for key in ("profile", "level"):
        if key in table:
            if not isinstance(table[key], str):
                raise ConfigError(f"{where}: {key}: 应当是字符串")
            setattr(opts, key, table[key])
    if opts.level and opts.level not in LEVELS:
        raise ConfigError(f"{where}: level: 未知的层级 {opts.level}（可用：{', '.join(LEVELS)}）")
    if "select" in table:
        opts.select = _str_list(table["select"], where, "select")
    if "ignore" in table:
        opts.ignore = _str_list(table["ignore"], where, "ignore")
    if "severity" in table:
        sev = table["severity"]
        if not isinstance(sev, dict):
            raise ConfigError(f"{where}: severity: 应当是 规则 = \"级别\" 的表")
        for rid, value in sev.items():
            if value not in SEVERITIES:
                raise ConfigError(f"{where}: severity.{rid}: 级别只能是 {'/'.join(SEVERITIES)}，不是 {value!r}")
        opts.severity = dict(sev)
    fail_on = table.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{where}: fail-on: 只能是 {'/'.join(FAIL_ON)}，不是 {fail_on!r}")
    fail_under = table.get("fail-under")
    if fail_under is not None:
        if isinstance(fail_under, bool) or not isinstance(fail_under, (int, float)) or not 0 <= fail_under <= 100:
            raise ConfigError(f"{where}: fail-under: 应当是 0–100 之间的数，不是 {fail_under!r}")
        fail_under = float(fail_under)
    waivers = table.get("waivers")
    if waivers is not None:
        if not isinstance(waivers, str) or not waivers:
            raise ConfigError(f"{where}: waivers: 应当是豁免文件的路径")
        try:
            waivers = (path.parent / waivers).resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the path
            raise ConfigError(f"{where}: waivers: 无法解析的路径 {waivers!r}") from None
    return Settings(options=opts, fail_on=fail_on, fail_under=fail_under, waivers=waivers, source=path)


def load_config(path: Path | str) -> Settings:
    """An explicit config file (``--config``): checker.toml layout, or a pyproject.toml."""
    path = Path(path)
    from checker.errors import InputError
    from checker.limits import check_regular_file

    try:
        check_regular_file(path, what="配置文件")
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: 没有 [tool.checker] 表")
    return settings_from_table(table, path)


def _nearest(start: Path) -> tuple[Path, dict] | None:
    """The nearest config file at or above ``start`` and its checker table."""
    start = _resolved(start)
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        checker_toml = candidate / "checker.toml"
        if checker_toml.is_file():
            return checker_toml, _table(checker_toml)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            table = _table(pyproject)
            if table is not None:
                return pyproject, table
    return None


def find_config(start: Path) -> Path | None:
    """The nearest checker.toml, or pyproject.toml with [tool.checker], at or above ``start``."""
    found = _nearest(start)
    return found[0] if found else None


class Resolver:
    """Settings per report: config found upward from it (looked up once per folder), then
    the command-line overrides.

    With a registry, each config file and the overrides are checked against it once, so a
    typo in a rule id or profile ends the run (exit 2) naming where it came from.
    """

    def __init__(self, overrides: Overrides | None = None, config: Path | str | None = None,
                 use_config: bool = True, registry=None):
        self.overrides = overrides or Overrides()
        self.registry = registry
        self.use_config = use_config
        self._by_folder: dict[Path, Settings] = {}
        self._by_file: dict[Path, Settings] = {}
        self._default = Settings()
        # id(base) -> (base, the base with the overrides): the rows of a folder share one
        # Settings (a national batch holds 100,000 rows before they are written)
        self._applied: dict[int, tuple[Settings, Settings]] = {}
        if registry is not None:
            cli = self.overrides
            check_against_registry(
                Options(profile=cli.profile, level=cli.level, select=cli.select or [], ignore=cli.ignore or [],
                        severity=cli.severity),
                registry, "", flags=True)
        self.explicit = self._checked(load_config(config)) if config else None

    def _checked(self, settings: Settings) -> Settings:
        if self.registry is not None:
            check_against_registry(settings.options, self.registry, f"{_where(settings.source)}: ")
        return settings

    def base(self, report: str | Path) -> Settings:
        if self.explicit is not None:
            return self.explicit
        if not self.use_config:
            return self._default
        folder = _resolved(Path(report)).parent
        if folder not in self._by_folder:
            found = _nearest(folder)
            if found is None:
                self._by_folder[folder] = self._default
            else:
                path, table = found
                if path not in self._by_file:
                    self._by_file[path] = self._checked(settings_from_table(table, path))
                self._by_folder[folder] = self._by_file[path]
        return self._by_folder[folder]

    def settings(self, report: str | Path) -> Settings:
        """The settings a report is judged by; reports with the same base share the object
        (nothing changes a Settings once made)."""
        base = self.base(report)
        got = self._applied.get(id(base))
        if got is None or got[0] is not base:
            got = self._applied[id(base)] = (base, apply_overrides(base, self.overrides))
        return got[1]


def apply_overrides(base: Settings, cli: Overrides) -> Settings:
    o = base.options
    options = Options(
        profile=cli.profile if cli.profile is not None else o.profile,
        level=cli.level if cli.level is not None else o.level,
        select=list(cli.select) if cli.select is not None else list(o.select),
        ignore=list(cli.ignore) if cli.ignore is not None else list(o.ignore),
        severity={**o.severity, **cli.severity},
    )
    return replace(
        base,
        options=options,
        fail_on=cli.fail_on if cli.fail_on is not None else base.fail_on,
        fail_under=cli.fail_under if cli.fail_under is not None else base.fail_under,
        waivers=_resolved(cli.waivers) if cli.waivers is not None else base.waivers,
    )


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL: reading it will say so
        return Path(os.path.abspath(path))


def check_against_registry(options: Options, registry, where: str = "", flags: bool = False) -> None:
    """Fail early (exit 2) on a profile, level or rule id that does not exist; ``flags``:
    the values came from the command line (name them --select …)."""
    if options.profile:
        try:
            registry.profile(options.profile)
        except UsageError as exc:
            raise UsageError(f"{where}{exc}") from None
    if options.level and options.level not in LEVELS:
        raise UsageError(f"{where}未知的层级：{options.level}（可用：{', '.join(LEVELS)}）")
    known = set(registry.all_rules()) | _check_ids(registry)  # form checks are selected like rules
    for key, patterns in (("select", options.select), ("ignore", options.ignore), ("severity", list(options.severity))):
        for pat in patterns:
            hit = any(rid.startswith(pat[:-1]) for rid in known) if pat.endswith("*") else pat in known
            if not hit:
                name = f"--{key}" if flags else key
                raise UsageError(f"{where}{name}: 没有编号为 {pat} 的规则或检查项（`checker rules` 列出规则，`checker rules checks` 列出检查项）")


def _check_ids(registry) -> set[str]:
    from checker.lint import cached_checks

    root = getattr(registry, "root", None)
    return set(cached_checks(root).ids()) if root is not None else set()
