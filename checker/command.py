"""The audit command and the entry point, without typer.

``checker audit FILE…`` with the options it usually has is parsed here, by a small parser
that reads the option declarations typer builds the command from (``AUDIT_ARGS``, which a
test keeps equal to what ``checker.cli``'s ``audit`` declares): a cold audit no longer
imports typer and its bundled click (~40 ms, a fifth of it). Anything the parser does not
know — help, another command, an unknown option, ``--``, a value it would have to judge
(out of range, not one of the choices), bundled short options — goes to typer as before,
so every usage message stays typer's and ``checker.cli``'s. Off with ``CHECKER_FASTCLI=0``.

Exit status: 0 when no error-level rule is missing or partial (and coverage is not under
``--fail-under``), 1 when one is, 2 for a usage or input error (one clear line on stderr,
never a traceback). With several reports the worst one decides (2 > 1 > 0); a report that
cannot be read is a row with its error and the others go on.
"""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

from checker.errors import CheckerError


class Exit(Exception):
    """The command is done with this status (typer.Exit once checker.cli is loaded)."""

    def __init__(self, code: int = 0):
        super().__init__(code)
        self.exit_code = code


def echo(message, err: bool = False) -> None:
    """A line on stdout or stderr (typer.echo once checker.cli is loaded)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n")
    stream.flush()



class Format(str, Enum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    jsonl = "jsonl"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"
    docx = "docx"


# the format a file name asks for (-o review.xlsx); a path without one of these is written
# in the format -f names, and a folder (an existing one, or a path ending in /) is a folder
# of review letters
EXTENSIONS = {
    ".txt": Format.terminal, ".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown,
    ".jsonl": Format.jsonl, ".ndjson": Format.jsonl, ".csv": Format.csv, ".html": Format.html,
    ".htm": Format.html, ".xlsx": Format.xlsx, ".docx": Format.docx,
}
BINARY = (Format.xlsx, Format.docx)
WHAT = {Format.xlsx: "Excel 工作簿", Format.docx: "审核意见", Format.html: "网页", Format.csv: "CSV 表格",
        Format.json: "JSON", Format.jsonl: "JSON Lines", Format.markdown: "Markdown", Format.terminal: "文本"}


class Sort(str, Enum):
    input = "input"
    coverage = "coverage"
    file = "file"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class ListFormat(str, Enum):
    terminal = "terminal"
    json = "json"


def _line(message) -> str:
    """One line, control and escape characters (from a file name or a report) shown visibly."""
    from checker.limits import inert

    return inert(" ".join(str(message).splitlines()), keep_newlines=False)


def fail(message: str, status: int = 2) -> None:
    echo(f"checker: {_line(message)}", err=True)
    raise Exit(status)


def warn(message: str) -> None:
    echo(f"checker: 警告：{_line(message)}", err=True)


def write_output(text: str, output: Optional[Path], protected=()) -> None:
    """stdout, or ``output`` written atomically; an output that is a symlink, FIFO, device or
    any file in ``protected`` (what the run read) is refused (InputError)."""
    if output is None:
        if sys.stdout.isatty():  # escape sequences a report carries never reach the terminal
            from checker.limits import inert

            text = inert(text)
        sys.stdout.buffer.write(text.encode(sys.stdout.encoding or "utf-8", errors="backslashreplace"))
        sys.stdout.flush()
        return
    from checker.io import atomic_write

    atomic_write(output, text, protected)


def _inert_reports(reports):
    """Copies of the reports with every string made inert for a terminal."""
    import dataclasses

    from checker.limits import inert

    def clean(value):
        if isinstance(value, str):
            return inert(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: clean(getattr(value, f.name))
                                                 for f in dataclasses.fields(value) if f.init})
        return value

    return [clean(r) for r in reports]


def _read_paths(rows=(), extra=()) -> list:
    """Everything a run read: reports, config files, waivers (never written over)."""
    out = [p for p in extra if p]
    for row in rows:
        out.append(row.path)
        out += [row.settings.source, row.settings.waivers]
    return out


def _same_file(a: Path, b: str) -> bool:
    try:
        if a.exists() and Path(b).exists():
            return os.path.samefile(a, b)
        return a.resolve() == Path(b).resolve()
    except (OSError, ValueError):
        return False


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _may_be_terminal(stream) -> bool:
    """False when rich's Console on ``stream`` would not be a terminal for sure: not a tty,
    and neither TTY_COMPATIBLE=1 nor FORCE_COLOR says otherwise (rich's own rules,
    Console.is_terminal). A batch writing to a file or a pipe then does not import rich
    (~30 ms) only to learn that."""
    if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR") is not None:
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _Progress:
    """A rich progress bar on stderr when it is a terminal and there is more than one report.

    It refreshes only when a report is done (no refresh thread), so nothing is running in
    the background when the pool forks its workers, and at most ten times a second (a
    national year is 100,000 reports: drawing the bar for each would cost a minute).
    The remaining time is rich's estimate from the recent rate.
    """

    def __init__(self, console):
        self._console = console  # a Console, or a function making one (rich loads only if needed)
        self.bar = None
        self.task = None
        self._drawn = 0.0

    @property
    def console(self):
        if callable(self._console) and not hasattr(self._console, "print"):
            self._console = self._console()
        return self._console

    def start(self, total: int) -> None:
        if total < 2 or self._console is _stderr_console and not _may_be_terminal(sys.stderr) \
                or not self.console.is_terminal:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.bar = Progress(TextColumn("检查报告"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("剩余"), TimeRemainingColumn(),
                            TextColumn("[dim]{task.description}"), console=self.console, transient=True,
                            auto_refresh=False)
        self.bar.start()
        self.task = self.bar.add_task("", total=total)
        self.bar.refresh()

    def done(self, report) -> None:
        if self.bar is not None:
            import time

            from rich.markup import escape  # a file named "[/]" must not break the bar

            now, task = time.monotonic(), self.bar.tasks[0]
            if now - self._drawn < 0.1 and task.completed + 1 < (task.total or 0):
                self.bar.advance(self.task)  # counted; drawn with a later report
                return
            self._drawn = now
            self.bar.update(self.task, advance=1, description=escape(_line(Path(report.file).name)))
            self.bar.refresh()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _is_folder(raw: str) -> bool:
    return raw.endswith(("/", os.sep)) or Path(raw).is_dir()


def plan_outputs(format: Optional[Format], outputs: list[str]) -> list[tuple[Format, Optional[Path]]]:
    """(format, file) for each -o; the format from the file's extension, or -f. An
    extension that names another format than -f is refused (exit 2). A folder (an existing
    one, or a path ending in /) holds one review letter per report."""
    if not outputs:
        return [(format or Format.terminal, None)]
    plan = []
    for raw in outputs:
        out = Path(raw)
        folder = _is_folder(raw)
        named = None if folder else EXTENSIONS.get(out.suffix.lower())
        if folder and named is None:
            named = Format.docx  # one review letter per report in the folder
        if format is not None and named is not None and named is not format and out.suffix.lower() != ".txt":
            fail(f"输出格式与文件扩展名不符：-f {format.value}，但 {out} 是 {named.value}"
                 f"（去掉 -f 即按扩展名写 {named.value}）")
        chosen = format or named
        if chosen is None:
            known = "、".join(sorted(EXTENSIONS))
            fail(f"无法从文件名判断输出格式：{out}（请用 -f 指定格式，或使用扩展名 {known}）")
        if folder and chosen is not Format.docx:
            fail(f"{out} 是文件夹：只有审核意见（docx）按报告写入文件夹")
        plan.append((chosen, Path(raw.rstrip("/" + os.sep) or raw) if not folder else _Folder(raw)))
    return plan


class _Folder(type(Path())):
    """An output path given as a folder (ends in / or exists as one)."""




# --- the audit command line without typer ----------------------------------------------------

# (name, option names, kind, multiple, default, min, max): what checker.cli's ``audit``
# declares, as ``cli.audit_argspec()`` reads it from there (tests/test_fastargs.py keeps the
# two equal: an option added there and not here fails it, with the line to paste)
AUDIT_ARGS = (
    ('paths', (), 'str', True, None, None, None),
    ('format', ('--format', '-f'), 'enum:Format', False, None, None, None),
    ('output', ('--output', '-o'), 'str', True, None, None, None),
    ('profile', ('--profile',), 'str', False, None, None, None),
    ('level', ('--level',), 'str', False, None, None, None),
    ('rules_dir', ('--rules',), 'str', False, None, None, None),
    ('select', ('--select',), 'str', True, None, None, None),
    ('ignore', ('--ignore',), 'str', True, None, None, None),
    ('severity', ('--severity',), 'str', True, None, None, None),
    ('fail_on', ('--fail-on',), 'enum:FailOn', False, None, None, None),
    ('fail_under', ('--fail-under',), 'float', False, None, 0, 100),
    ('waivers', ('--waivers',), 'Path', False, None, None, None),
    ('config', ('--config',), 'Path', False, None, None, None),
    ('no_config', ('--no-config',), 'bool', False, False, None, None),
    ('jobs', ('--jobs', '-j'), 'int', False, None, 1, None),
    ('sort', ('--sort',), 'enum:Sort', False, 'input', None, None),
    ('details', ('--details',), 'bool', False, False, None, None),
    ('template', ('--template',), 'Path', False, None, None, None),
    ('combine', ('--combine',), 'bool', False, False, None, None),
    ('csv_english', ('--csv-english',), 'bool', False, False, None, None),
    ('quiet', ('--quiet', '-q'), 'bool', False, False, None, None),
    ('previous', ('--previous',), 'Path', False, None, None, None),
    ('published', ('--published',), 'str', False, None, None, None),
    ('shard', ('--shard',), 'str', False, None, None, None),
    ('stream', ('--stream',), 'bool', False, False, None, None),
)


def _value(kind: str, raw: str, lo, hi):
    """``raw`` as typer would pass it, or None when typer must judge it (and say why)."""
    if kind == "str":
        return raw
    if kind == "Path":
        return Path(raw) if raw else None
    if kind in ("int", "float"):
        from checker.fastcli import _FLOAT, _INT  # the numbers fastcli takes without typer's adapter

        if not (_INT if kind == "int" else _FLOAT).fullmatch(raw):
            return None
        number = int(raw) if kind == "int" else float(raw)
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            return None
        return number
    if kind.startswith("enum:"):
        enum = globals()[kind[5:]]
        return next((member for member in enum if member.value == raw), None)
    return None


def quick_audit(args: list[str]) -> dict | None:
    """The keyword arguments of ``run_audit`` for ``checker audit …`` when every word is one
    this parser knows for certain (as click reads it: options anywhere, ``--opt value``,
    ``--opt=value``, ``-o value``); None hands the command line to typer."""
    if not args or args[0] != "audit" or os.environ.get("CHECKER_FASTCLI", "1") == "0":
        return None
    options = {}
    for name, decls, kind, multiple, default, lo, hi in AUDIT_ARGS:
        for decl in decls:
            options[decl] = (name, kind, multiple, lo, hi)
    values: dict = {}
    paths: list[str] = []
    words = iter(args[1:])
    for word in words:
        if not word.startswith("-") or word == "-":
            paths.append(word)
            continue
        if word.startswith("--"):
            decl, eq, raw = word.partition("=")
        elif len(word) == 2:
            decl, eq, raw = word, "", ""
        else:  # -ovalue, -qj2: click's bundled forms are typer's to read
            return None
        known = options.get(decl)
        if known is None:  # --help, --, an unknown or misspelt option
            return None
        name, kind, multiple, lo, hi = known
        if name in values and not multiple:
            return None
        if kind == "bool":
            if eq:
                return None
            values[name] = True
            continue
        if not eq:
            raw = next(words, None)
            if raw is None or (raw.startswith("-") and raw != "-"):
                return None
        value = _value(kind, raw, lo, hi)
        if value is None:
            return None
        if multiple:
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    if not paths:
        return None
    out = {}
    for name, decls, kind, multiple, default, lo, hi in AUDIT_ARGS:
        if not decls:
            out[name] = paths
        elif name in values:
            out[name] = values[name]
        else:
            out[name] = _value(kind, default, lo, hi) if kind.startswith("enum:") and default is not None else default
    return out


def run_audit(paths, format=None, output=None, profile=None, level=None, rules_dir=None, select=None,
              ignore=None, severity=None, fail_on=None, fail_under=None, waivers=None, config=None,
              no_config=False, jobs=None, sort=Sort.input, details=False, template=None, combine=False,
              csv_english=False, quiet=False, previous=None, published=None, shard=None, stream=False) -> None:
    """``checker audit``: the options as checker.cli declares them; ends with Exit(status)."""
    from checker import batch
    from checker.config import Resolver, overrides_from_cli
    from checker.pipeline import Auditor

    progress = _Progress(_stderr_console)  # rich is imported only when a bar may be shown
    plan = plan_outputs(format, list(output or []))
    for fmt, out in plan:
        if out is None and fmt in BINARY:
            fail(f"{fmt.value} 是二进制文件，不写到标准输出：请用 -o 指定文件，如 -o 审核结果.{fmt.value}")
    try:
        auditor = Auditor(rules_root=rules_dir)
        overrides = overrides_from_cli(
            profile=profile, level=level, select=select, ignore=ignore, severity=severity,
            fail_on=fail_on.value if fail_on else None, fail_under=fail_under, waivers=waivers,
        )
        resolver = Resolver(overrides, config=config, use_config=not no_config, registry=auditor.registry)
        _startup_done()  # the registry is loaded: the collector on again, start-up objects frozen out of it
        items = batch.expand(paths)
        if shard is not None:
            items = batch.shard(items, list(paths), *_shard_value(shard))
        protected = [path for path, _ in items] + [waivers, config, template, previous, auditor.registry.root]
        from checker.limits import check_output

        for _fmt, out in plan:  # refused before the audit: a symlink, FIFO, device or an input
            if out is not None and not isinstance(out, _Folder):
                check_output(out, protected)
        if quiet:
            progress.start = lambda total: None
        if stream:
            _stream(plan, items, auditor, resolver, protected, progress, jobs=jobs, sort=sort, details=details,
                    english=csv_english, quiet=quiet, previous=previous, published=_published_date(published))
        try:
            rows = batch.run_expanded(items, auditor, resolver, jobs=jobs, on_start=progress.start,
                                      on_done=progress.done, previous=previous,
                                      published=_published_date(published),
                                      prepare=_ahead(plan, csv_english))
        finally:
            progress.stop()
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    single = len(rows) == 1
    if single and rows[0].report.error:
        fail(rows[0].report.error)
    for row in rows:
        for w in row.warnings if not quiet else ():
            warn(f"{row.path}: {w}")
    to_terminal = plan == [(Format.terminal, None)]
    applied = _configs(rows)
    if not single and not to_terminal:
        for row in rows:
            if row.report.error:
                echo(f"checker: {_line(row.report.error)}", err=True)

    rows = batch.sort_rows(rows, sort.value)
    reports = [row.report for row in rows]
    if to_terminal:
        from rich.console import Console
        from rich.text import Text

        from checker.render import matrix
        from checker.render.terminal import print_report, verdict_text

        out = Console()
        reports = _inert_reports(reports)
        if quiet:  # the verdict lines only
            for report in reports:
                line = verdict_text(report)
                out.print(Text(f"{report.file}：" if not single else "").append_text(line), soft_wrap=True)
        elif single:
            print_report(reports[0], out, config=applied)
        else:
            if applied:
                out.print(Text(f"配置文件：{applied}", style="dim"))
            matrix.print_matrix(reports, matrix.named_columns(auditor.registry), out)
            if details:
                for report in reports:
                    out.print()
                    print_report(report, out)
        raise Exit(batch.exit_status(rows))

    read = _read_paths(rows, protected)
    for fmt, out in plan:
        if fmt in BINARY:
            _write_binary(fmt, out, rows, auditor.registry, template=template, combine=combine, config=applied,
                          quiet=quiet, protected=read)
            continue
        text = render_text(fmt, rows, auditor.registry, details=details, english=csv_english, config=applied)
        if fmt is Format.csv and out is not None:
            text = "\ufeff" + text  # lets spreadsheet programs see UTF-8
        try:
            write_output(text, out, read)
        except CheckerError as exc:
            fail(str(exc), exc.exit_status)
        except OSError as exc:
            fail(f"无法写入 {out}：{exc.strerror}")
        if out is not None:
            _wrote(out, fmt, len(rows), quiet)
    raise Exit(batch.exit_status(rows))


def _shard_value(value: str) -> tuple[int, int]:
    from checker import batch

    try:
        return batch.parse_shard(value)
    except ValueError as exc:
        fail(str(exc))


STREAMED = {"jsonl", "csv", "xlsx"}


def _stream(plan, items, auditor, resolver, protected, progress, jobs=None, sort=None, details=False,
            english=False, quiet=False, previous=None, published=None) -> None:
    """--stream: each report's lines written as soon as it (and those before it) is done,
    to stdout or to files that appear, atomically, only when the batch ends (an interrupted
    run leaves none and no temp file). Ends the command with the batch's exit status."""
    import contextlib

    from checker import batch
    from checker.io import atomic_stream
    from checker.render import csv as csv_r

    bad = sorted({fmt.value for fmt, _ in plan if fmt.value not in STREAMED})
    if bad or plan == [(Format.terminal, None)]:
        fail(f"--stream 只用于 jsonl、csv 和 xlsx 输出（-f jsonl、-f csv 或 -o 结果.jsonl/.csv/.xlsx），不支持 {'、'.join(bad) or 'terminal'}")
    if any(fmt is Format.xlsx and out is None for fmt, out in plan):
        fail("--stream 的 xlsx 输出需要用 -o 指定文件（如 -o 结果.xlsx）")
    if sort is not None and sort.value != "input" or details:
        fail("--stream 按输入顺序边检查边写出：不能与 --sort、--details 同用")
    counts = {"n": 0}
    try:
        with contextlib.ExitStack() as stack:
            sinks = []
            books = []  # xlsx: rows go to openpyxl's write-only sheets, the file is written at the end
            configs: list[str] = []
            for fmt, out in plan:
                fh = sys.stdout if out is None else stack.enter_context(atomic_stream(out, protected))
                if fmt is Format.csv:
                    fh.write(("\ufeff" if out is not None else "") + csv_r.header(english))
                if fmt is Format.xlsx:
                    from checker.render import matrix
                    from checker.render import xlsx as xlsx_r

                    book = xlsx_r.StreamWriter(fh.buffer, matrix.named_columns(auditor.registry))
                    books.append(book)
                    fh = book
                sinks.append((fmt, fh))

            def prepare(row) -> list:
                """A finished row's output for each sink, where it was audited (a worker)."""
                return [fh.rows_for(row.report) if fmt is Format.xlsx else _report_lines(fmt, row.report, english)
                        for fmt, fh in sinks]

            def emit(done) -> None:
                counts["n"] += 1
                if done.error:
                    echo(f"checker: {_line(done.error)}", err=True)
                for w in done.warnings if not quiet else ():
                    warn(f"{done.path}: {w}")
                if done.source is not None and str(done.source) not in configs:
                    configs.append(str(done.source))
                for (fmt, fh), out in zip(sinks, done.out):
                    if fmt is Format.xlsx:
                        fh.add_rows(*out)
                        continue
                    fh.write(out)
                    if fh is sys.stdout:
                        fh.flush()

            try:
                status = batch.stream_expanded(items, auditor, emit, resolver, jobs=jobs, on_start=progress.start,
                                               on_done=progress.done, previous=previous, published=published,
                                               prepare=prepare)
            except BaseException:
                for book in books:
                    book.discard()
                raise
            finally:
                progress.stop()
            for book in books:
                book.close("、".join(configs))
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
    except OSError as exc:
        fail(f"无法写入：{exc.strerror}")
    for fmt, out in plan:
        if out is not None:
            _wrote(out, fmt, counts["n"], quiet)
    raise Exit(status)


def _published_date(value: Optional[str]):
    """--published YYYY-MM-DD → date; anything else is a usage error (exit 2)."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(f"--published 应当是日期 YYYY-MM-DD：{value}")


def _configs(rows) -> str:
    """The configuration files applied to these reports, by name ("" when none was)."""
    seen = []
    for row in rows:
        source = getattr(row.settings, "source", None)
        if source is not None and str(source) not in seen:
            seen.append(str(source))
    return "、".join(seen)


def _wrote(path: Path, fmt: Format, count: int, quiet: bool) -> None:
    if not quiet:
        what = WHAT[fmt] + (f"，{count} 份报告" if count > 1 else "")
        echo(f"checker: 已写入 {path}（{what}）", err=True)


def _write_binary(fmt: Format, out: Path, rows, registry, template=None, combine=False, config="",
                  quiet=False, protected=()) -> None:
    """Excel workbook, or review letters: one .docx, or one per report in a folder."""
    from checker.io import atomic_write
    from checker.limits import check_output
    from checker.render import docx as docx_r
    from checker.render import matrix
    from checker.render import xlsx as xlsx_r

    reports = [row.report for row in rows]
    folder = fmt is Format.docx and (isinstance(out, _Folder) or out.is_dir() or not out.suffix)
    try:
        if fmt is Format.xlsx:
            atomic_write(out, xlsx_r.render(reports, columns=matrix.named_columns(registry), config=config), protected)
            _wrote(out, fmt, len(reports), quiet)
        elif folder and not combine:
            for n, report in enumerate(reports, start=1):
                if report.error:  # no letter for a file that could not be read (its error is on stderr)
                    continue
                path = out / docx_r.default_name(report, n)
                check_output(path, protected)
                atomic_write(path, docx_r.render([report], template=template), protected)
                _wrote(path, fmt, 1, quiet)
        else:
            if len([r for r in reports if not r.error]) > 1 and not combine:
                fail(f"{len(reports)} 份报告的审核意见：请写入文件夹（如 -o 审核意见/，每份报告一个文件），"
                     f"或加 --combine 合成一个文件")
            path = out / "审核意见.docx" if folder else out
            readable = [r for r in reports if not r.error]
            if not readable:
                return
            check_output(path, protected)
            atomic_write(path, docx_r.render(readable, template=template), protected)
            _wrote(path, fmt, len(reports), quiet)
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
    except OSError as exc:
        fail(f"无法写入 {out}：{exc.strerror}")


_AHEAD_FORMATS = (Format.jsonl, Format.csv)  # one report's lines stand alone in the batch's


def _ahead(plan, english: bool):
    """What a pool worker makes of each finished row for the batch's jsonl and csv outputs
    (``batch.run_expanded``'s ``prepare``), or None when the plan has neither."""
    wanted = [fmt for fmt in _AHEAD_FORMATS if any(f is fmt for f, _ in plan)]
    if not wanted:
        return None

    def prepare(row) -> dict:
        return {fmt: _report_lines(fmt, row.report, english) for fmt in wanted}

    return prepare


def _report_lines(fmt: Format, report, english: bool) -> str:
    if fmt is Format.jsonl:
        from checker.render import jsonl as jsonl_r

        return jsonl_r.render([report])
    from checker.render import csv as csv_r

    return csv_r.report_lines(report, english)


def _lines(fmt: Format, rows, english: bool) -> str:
    """The rows' lines in a per-report format: each made ahead by a worker where it could be
    (``Row.out``), else here — the same text either way."""
    from checker.batch import made

    out = []
    for row in rows:
        got = made(row, fmt)
        out.append(got if got is not None else _report_lines(fmt, row.report, english))
    return "".join(out)


def render_text(format: Format, rows, registry, details: bool = False, english: bool = False,
                config: str = "") -> str:
    """Text for a non-interactive format (files, pipes). Only the renderer the format
    needs is imported (json, jsonl and csv never load rich)."""
    reports = [row.report for row in rows]
    several = len(reports) > 1
    if format is Format.json:
        from checker.render import json as json_r

        return json_r.render(reports)
    if format is Format.jsonl:
        return _lines(format, rows, english)
    if format is Format.csv:
        from checker.render import csv as csv_r

        return csv_r.header(english) + _lines(format, rows, english)
    from checker.render import html as html_r
    from checker.render import markdown as md_r
    from checker.render import matrix
    from checker.render import terminal as term_r

    columns = matrix.named_columns(registry)
    if format is Format.html:
        return html_r.render(reports, texts=[row.text for row in rows], columns=columns, config=config)
    if format is Format.markdown:
        return (matrix.markdown_index(reports, columns) + "\n" if several else "") + md_r.render(reports)
    if format is Format.terminal:
        reports = _inert_reports(reports)
    if format is Format.terminal and several:
        text = matrix.render(reports, columns=columns)
        return text + ("\n" + term_r.render(reports) if details else "")
    return term_r.render(reports)


# What a console without UTF-8 (a Chinese Windows console or a file redirected under code
# page 936, GBK) shows instead of the glyphs it cannot encode; anything else becomes "?".
_DEGRADE = {"✔": "√", "✘": "×", "◐": "◎", "░": "□", "›": ">", "⊘": "○", "‹": "<", "▏": "|"}
_DEGRADE.update({chr(0x246A + i): f"({11 + i})" for i in range(10)})  # ⑪-⑳


def _degrade(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        sub = _DEGRADE.get(ch, "?")
        try:
            sub.encode(exc.encoding)
        except (UnicodeError, LookupError):
            sub = "?"
        out.append(sub)
    return "".join(out), exc.end


def degrade_console() -> None:
    """Output that cannot be encoded degrades (✔ → √) instead of ending in a traceback."""
    import codecs

    try:
        codecs.lookup_error("checker-degrade")
    except LookupError:
        codecs.register_error("checker-degrade", _degrade)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding.startswith("utf") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(errors="checker-degrade")
        except (ValueError, OSError):  # pragma: no cover - a stream that cannot be changed
            pass


# --- errors, usage, signals --------------------------------------------------------------


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: raised in the main thread by the handler, so every ``finally``
    (pool shutdown, temp-file removal) runs; not an Exception, so nothing swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, _frame):
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):  # a second signal does not interrupt the clean-up
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


def _install_signal_handlers() -> None:
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, _on_signal)
        except (ValueError, OSError):  # not the main thread
            pass


def _is(exc, name: str) -> bool:
    return any(c.__name__ == name for c in type(exc).__mro__)


def _one_blas_thread() -> None:
    """OpenBLAS (numpy's, loaded with numpy) starts a thread a core when loaded, and the
    thread spins on its own for ~0.1 s of CPU before it sleeps. The checker does no linear
    algebra (numpy serves the copy check's MinHash and the segmentation model's scores,
    element by element), so every process that imports numpy paid it for nothing — and
    the workers of a pool each pay it on a core another worker needs. Set before numpy is
    imported, and only when the user has not chosen a number."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: list[str] | None = None) -> None:
    """The entry point: every way a run can end is one line and a status (0/1 verdict,
    2 usage or input error, 130 Ctrl-C, 143 SIGTERM), never a traceback."""
    degrade_console()
    _install_signal_handlers()
    _one_blas_thread()
    collecting = _collector_off()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        quick = quick_audit(args)
        if quick is not None:
            run_audit(**quick)
            status = 0
        else:
            from checker import cli

            status = cli.app(args=argv, standalone_mode=False, prog_name="checker")
    except Interrupted as exc:
        import signal

        term = exc.signum == signal.SIGTERM
        _quiet_stderr_write("checker: 已停止（收到 SIGTERM），没有写入任何结果\n" if term
                            else "checker: 已中断（Ctrl-C），没有写入任何结果\n")
        os._exit(143 if term else 130)  # the workers are gone; nothing is left to flush
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `checker audit … | head`: the reader went away
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        sys.exit(0)
    except RecursionError:
        _quiet_stderr_write("checker: 内部错误：嵌套过深，无法处理\n")
        sys.exit(2)
    except MemoryError:
        _quiet_stderr_write("checker: 内存不足，无法处理这份输入\n")
        sys.exit(2)
    except CheckerError as exc:  # anything a command did not catch itself
        _quiet_stderr_write(f"checker: {_line(exc)}\n")
        sys.exit(2)
    except Exception as exc:
        if _is(exc, "Exit"):  # ours, or typer's
            status = exc.exit_code
        elif _is(exc, "Abort"):
            _quiet_stderr_write("checker: 已中断\n")
            sys.exit(130)
        elif _is(exc, "NoArgsIsHelpError"):  # bare `checker`: the help, as before
            exc.show()
            sys.exit(0)
        elif _is(exc, "ClickException"):
            from checker.cli import usage_line

            _quiet_stderr_write(f"checker: {_line(usage_line(exc, args))}\n")
            sys.exit(2)
        else:  # a bug: still one line, never a traceback
            name = exc.name if type(exc).__name__ == "WorkerError" else type(exc).__name__  # from a worker
            _quiet_stderr_write(f"checker: 内部错误 {name}: {_line(exc)[:300]}\n")
            sys.exit(2)
    finally:
        _collector_restore(collecting, exiting=argv is None)
    _exit(status if isinstance(status, int) else 0, quick=argv is None)


def _exit(status: int, quick: bool) -> None:
    """sys.exit; for the command line's own run with no other thread left: the exit handlers
    (cache writes, pool and temp-folder finalizers), the streams flushed, then os._exit —
    tearing down every module and object of the process (~20 ms) changes nothing a user sees."""
    if quick:
        import threading

        if threading.active_count() == 1:
            import atexit

            atexit._run_exitfuncs()
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):  # a reader that went away: nothing left to say
                    pass
            os._exit(status)
    sys.exit(status)


# --- the garbage collector during start-up ---------------------------------------------------
# Start-up makes only objects that live as long as the process (modules, the rule registry):
# ~45 collections scanning them were ~15 ms of a cold audit. main() turns the collector off;
# once the registry is loaded, audit() freezes what exists (future collections skip it) and
# turns it on again, so each report's garbage is still collected. Not for in-process callers
# of the app (tests): only main() arms it, and restores the collector when it returns.

_STARTUP = {"armed": False}


def _collector_off() -> bool:
    import gc

    was = gc.isenabled()
    if was:
        gc.disable()
        _STARTUP["armed"] = True
    return was


def _startup_done() -> None:
    if _STARTUP["armed"]:
        import gc

        _STARTUP["armed"] = False
        gc.freeze()
        gc.enable()


def _collector_restore(was: bool, exiting: bool = False) -> None:
    """The collector as it was; the frozen objects unfrozen unless the process ends now (the
    command line's own run: the collection at exit would scan them all, ~30 ms, for nothing)."""
    import gc

    _STARTUP["armed"] = False
    if was and not gc.isenabled():
        gc.enable()
    if not exiting:
        gc.unfreeze()


def _quiet_stderr_write(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


