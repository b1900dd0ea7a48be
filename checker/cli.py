"""Command line: `checker audit`, `checker text`, `checker rules`.

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

import typer

from checker import fastcli
from checker.errors import CheckerError, ModelMissing
from checker.helpzh import ZhCommand, ZhGroup

fastcli.install()  # option values without building pydantic adapters on every run
HELP = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    cls=ZhGroup,
    context_settings=HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="法治政府建设年度报告合规检查（checker）。",
)
rules_app = typer.Typer(
    cls=ZhGroup,
    context_settings=HELP,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="列出规则（可按 profile、层级、级别、纲要部分筛选）；show 查看一条规则；check 检查规则文件。",
)
app.add_typer(rules_app, name="rules")


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
    typer.echo(f"checker: {_line(message)}", err=True)
    raise typer.Exit(status)


def warn(message: str) -> None:
    typer.echo(f"checker: 警告：{_line(message)}", err=True)


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
        if total < 2 or not self.console.is_terminal:
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


def _version(value: bool) -> None:
    if value:
        from checker import __version__

        typer.echo(f"checker {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="显示版本并退出"),
) -> None:
    """法治政府建设年度报告合规检查（checker）。"""


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


@app.command(cls=ZhCommand)
def audit(
    paths: list[str] = typer.Argument(..., metavar="报告", help="报告文件（.txt .docx .doc .wps .odt .rtf .pdf 扫描件/图片 .html .mhtml .zip）、目录或通配符（如 'reports/*.pdf'）"),
    format: Optional[Format] = typer.Option(None, "--format", "-f", metavar="格式",
                                            help="输出格式：terminal、json、markdown、jsonl、csv、html、xlsx（Excel）、docx（审核意见）；"
                                                 "默认按 -o 的扩展名，否则 terminal"),
    output: Optional[list[str]] = typer.Option(None, "--output", "-o", metavar="文件",
                                                help="写入文件（原子写入）而不是标准输出；可重复，一次写出几种格式；"
                                                     "格式按扩展名（.xlsx .docx .html .csv .json .jsonl .md .txt），"
                                                     "文件夹（以 / 结尾）写每份报告的审核意见"),
    profile: Optional[str] = typer.Option(None, "--profile", metavar="依据", help="检查依据，如 outline-2021、outline-2015（默认按报告年度选择）"),
    level: Optional[str] = typer.Option(None, "--level", metavar="层级", help="层级：province/city/county/township/department（默认自动识别）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", metavar="目录", help="规则目录（默认项目自带 rules/）"),
    select: Optional[list[str]] = typer.Option(None, "--select", metavar="规则", help="只检查这些规则（编号或前缀*，可重复或用逗号分隔）"),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="规则", help="不检查这些规则（编号或前缀*）"),
    severity: Optional[list[str]] = typer.Option(None, "--severity", metavar="规则=级别", help="改变规则的级别：规则=error|warning|info"),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", metavar="级别", help="哪一级缺失或形式审查问题使退出码为 1：error、warning、info（默认 error）"),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0, max=100, metavar="百分数", help="覆盖率低于此百分数时退出码为 1"),
    waivers: Optional[Path] = typer.Option(None, "--waivers", metavar="文件", help="豁免文件（YAML）：审核人员已作出的决定"),
    config: Optional[Path] = typer.Option(None, "--config", metavar="文件", help="配置文件（checker.toml 或含 [tool.checker] 的 pyproject.toml）"),
    no_config: bool = typer.Option(False, "--no-config", help="不读取任何配置文件"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="进程数", help="并行进程数（默认为可用的 CPU 核数）"),
    sort: Sort = typer.Option(Sort.input, "--sort", metavar="顺序", show_default=False,
                              help="多份报告的顺序：input（输入顺序，默认）、coverage（覆盖率从低到高）、file"),
    details: bool = typer.Option(False, "--details", help="多份报告时，在一览表之后列出每份报告的详细结果"),
    template: Optional[Path] = typer.Option(None, "--template", metavar="模板",
                                            help="审核意见的模板：措辞文件（.yaml，可指定信头）或信头文件（.docx）；默认用自带的措辞"),
    combine: bool = typer.Option(False, "--combine", help="多份报告的审核意见合成一个 .docx（默认每份报告一个文件，写入文件夹）"),
    csv_english: bool = typer.Option(False, "--csv-english", help="CSV 用英文表头和取值（与 JSON 相同，供程序读取）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="安静：不显示进度、警告和“已写入”；终端只显示每份报告的结论行"),
    previous: Optional[Path] = typer.Option(None, "--previous", metavar="文件", help="上一年度的报告：列出沿用上年的段落及其比例（形式审查）"),
    published: Optional[str] = typer.Option(None, "--published", metavar="日期", help="报告公开（报送）的日期 YYYY-MM-DD：检查是否晚于时限"),
    shard: Optional[str] = typer.Option(None, "--shard", metavar="K/N", help="只检查第 K 份（共 N 份）：按文件相对路径的散列稳定划分，供多台机器分担一批报告"),
    stream: bool = typer.Option(False, "--stream", help="边检查边写出（仅 jsonl、csv、xlsx），不把结果全部留在内存；不做批内报告之间的雷同比对"),
) -> None:
    """检查报告是否覆盖纲要和督察规定要求的内容。可一次检查多份报告。"""
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
                                      published=_published_date(published))
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
                typer.echo(f"checker: {_line(row.report.error)}", err=True)

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
        raise typer.Exit(batch.exit_status(rows))

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
    raise typer.Exit(batch.exit_status(rows))


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
    from checker.render import jsonl as jsonl_r

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

            def emit(row) -> None:
                counts["n"] += 1
                if row.report.error:
                    typer.echo(f"checker: {_line(row.report.error)}", err=True)
                for w in row.warnings if not quiet else ():
                    warn(f"{row.path}: {w}")
                source = getattr(row.settings, "source", None)
                if source is not None and str(source) not in configs:
                    configs.append(str(source))
                for fmt, fh in sinks:
                    if fmt is Format.xlsx:
                        fh.add(row.report)
                        continue
                    fh.write(csv_r.report_lines(row.report, english) if fmt is Format.csv
                             else jsonl_r.render([row.report]))
                    if fh is sys.stdout:
                        fh.flush()

            try:
                status = batch.stream_expanded(items, auditor, emit, resolver, jobs=jobs, on_start=progress.start,
                                               on_done=progress.done, previous=previous, published=published)
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
    raise typer.Exit(status)


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
        typer.echo(f"checker: 已写入 {path}（{what}）", err=True)


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
        from checker.render import jsonl as jsonl_r

        return jsonl_r.render(reports)
    if format is Format.csv:
        from checker.render import csv as csv_r

        return csv_r.render(reports, english=english)
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


@app.command(cls=ZhCommand)
def setup(
    dest: Optional[Path] = typer.Option(None, "--dest", metavar="目录", help="分词模型的存放目录（默认在当前 Python 环境内）"),
) -> None:
    """准备运行环境：下载分词模型（必需），并说明可选组件（LibreOffice、OCR）是否可用。"""
    from checker import modelfetch, nlp
    from checker.formats import ocr, office

    target = dest or (Path(os.environ["CHECKER_PKUSEG_MODEL"]) if os.environ.get("CHECKER_PKUSEG_MODEL") else None)
    typer.echo("分词模型（必需）：正在准备……")
    try:
        where = modelfetch.fetch(target)
        nlp.check_model(where)
    except (modelfetch.FetchError, CheckerError) as exc:
        fail(str(exc))
        return
    typer.echo(f"  ✔ 分词模型已就绪：{where}（内存映射格式在 {where / 'mapped'}，已按校验和核对）")
    if dest is not None and not os.environ.get("CHECKER_PKUSEG_MODEL"):
        typer.echo(f"  提示：模型不在默认位置，请设置环境变量 CHECKER_PKUSEG_MODEL={where}")
    typer.echo("可选组件：")
    exe = office.soffice_path()
    if exe:
        typer.echo(f"  ✔ LibreOffice：{exe}（可读取 .doc .wps .odt .rtf）")
    else:
        typer.echo("  – LibreOffice 未安装：无法读取 .doc .wps .odt .rtf（" + office.INSTALL_HINT.split("：", 1)[1] + "）")
    problem = ocr.available()
    if problem is None:
        typer.echo(f"  ✔ OCR：Tesseract {ocr.LANG}（{ocr.tesseract_path()}），可读取扫描件和图片")
    else:
        typer.echo(f"  – OCR 不可用（{problem}）：扫描件和图片无法读取。{ocr.INSTALL_HINT}")


@app.command(cls=ZhCommand)
def text(path: str = typer.Argument(..., metavar="报告", help="报告文件")) -> None:
    """打印规范化后的正文（证据中的字符位置都指向这段文本）。"""
    from checker import ingest

    try:
        source = ingest.read(path)
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    write_output(source.text if source.text.endswith("\n") else source.text + "\n", None)


# --- rules ------------------------------------------------------------------------------


@rules_app.callback(invoke_without_command=True)
def rules_list(
    ctx: typer.Context,
    profile: Optional[str] = typer.Option(None, "--profile", metavar="依据", help="只列这个 profile 的规则，如 outline-2015"),
    level: Optional[str] = typer.Option(None, "--level", metavar="层级", help="只列适用于这一层级的规则"),
    severity: Optional[FailOn] = typer.Option(None, "--severity", metavar="级别", help="只列这一级别：error（必备）、warning（建议）、info（提示）"),
    group: Optional[str] = typer.Option(None, "--group", metavar="部分", help="只列纲要这一部分的规则，如 enforcement"),
    format: ListFormat = typer.Option(ListFormat.terminal, "--format", "-f", metavar="格式", show_default=False,
                                      help="terminal（默认）或 json"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", metavar="目录", help="规则目录（默认项目自带 rules/）"),
) -> None:
    """列出规则：编号、要素、级别、依据、适用层级、纲要部分。"""
    if ctx.invoked_subcommand:
        return
    from checker import browse
    from checker import nlp
    from checker.rules import cached_registry

    try:
        registry = cached_registry(rules_dir)
        rules = browse.select_rules(registry, profile, level, severity.value if severity else None, group)
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    if format is ListFormat.json:
        import json

        write_output(json.dumps([browse.rule_json(registry, r) for r in rules], ensure_ascii=False, indent=2) + "\n", None)
        return
    from rich.console import Console

    console = Console()
    console.print(browse.rules_table(registry, rules, profile))
    console.print(f"{len(rules)} 条规则。`checker rules show 编号` 查看一条规则的详情。", style="dim")


@rules_app.command("show", cls=ZhCommand)
def rules_show(
    rule_id: str = typer.Argument(..., metavar="规则编号", help="规则编号，如 three-systems"),
    try_examples: bool = typer.Option(True, "--try/--no-try", help="用匹配器试运行示例句和反例句（需要分词模型）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", metavar="目录", help="规则目录（默认项目自带 rules/）"),
) -> None:
    """一条规则：找什么、在哪里找、依据、提示、示例句（并试运行）。"""
    from rich.console import Console

    from checker import browse
    from checker import nlp
    from checker.rules import cached_registry

    try:
        registry = cached_registry(rules_dir)
        rule = browse.find_rule(registry, rule_id)
        segmenter = None
        if try_examples:
            try:
                nlp.check_model()
                segmenter = browse.ExampleSegmenter(rules_dir)
            except ModelMissing as exc:  # the rule can still be read; only the trial needs the model
                warn(f"不试运行例句：{exc}")
        view = browse.show(registry, rule, segmenter)
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    Console().print(view)


@rules_app.command("checks", cls=ZhCommand)
def rules_checks(
    severity: Optional[FailOn] = typer.Option(None, "--severity", metavar="级别", help="只列这一级别：error（错误）、warning（警告）、info（提示）"),
    format: ListFormat = typer.Option(ListFormat.terminal, "--format", "-f", metavar="格式", show_default=False,
                                      help="terminal（默认）或 json"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", metavar="目录", help="规则目录（默认项目自带 rules/）"),
) -> None:
    """列出形式审查的检查项（rules/checks/）：编号、问题、级别、修改建议。"""
    from checker import browse
    from checker.lint import cached_checks
    from checker.rules import cached_registry

    try:
        root = cached_registry(rules_dir).root
        checks = [c for c in cached_checks(root).checks.values() if severity is None or c.severity == severity.value]
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    if format is ListFormat.json:
        import json

        write_output(json.dumps([browse.check_json(c) for c in checks], ensure_ascii=False, indent=2) + "\n", None)
        return
    from rich.console import Console

    console = Console()
    console.print(browse.checks_table(checks))
    console.print(f"{len(checks)} 个检查项。审查时用 --ignore 编号 关闭一项，--severity 编号=级别 调整级别（也可写在 checker.toml 中）。", style="dim")


@rules_app.command("check", cls=ZhCommand)
def rules_check(
    files: Optional[list[str]] = typer.Argument(None, metavar="规则文件", help="规则文件（YAML）或规则目录；不给则检查项目自带的规则"),
    examples: bool = typer.Option(True, "--examples/--no-examples", help="用匹配器检查示例句和反例句（需要分词模型）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", metavar="目录", help="规则目录（默认项目自带 rules/）"),
) -> None:
    """检查规则文件：逐条说明问题（文件、规则编号、字段）。有问题退出码 1。"""
    from checker import browse
    from checker.limits import MAX_SECONDS_RULES_CHECK, time_limit

    try:
        with time_limit(MAX_SECONDS_RULES_CHECK, f"规则检查超时（超过 {MAX_SECONDS_RULES_CHECK} 秒）：某条规则的正则表达式"
                                                 "可能回溯过多（如 (a+)+），请改写后再检查"):
            problems = browse.check(list(files or []), rules_dir, examples)
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    for problem in problems:
        typer.echo(str(problem))
    what = "、".join(files) if files else "规则目录"
    if problems:
        typer.echo(f"✘ {len(problems)} 个问题（{what}）")
        raise typer.Exit(1)
    typer.echo(f"✔ 没有发现问题（{what}）")


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


def _takes(param) -> str:
    """What an option or argument takes, in Chinese (typer keeps the type in type_descriptor)."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if getattr(param, "is_flag", False):
        return "不带值的开关"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "以下之一：" + "/".join(str(m.value) for m in annotation)
    if annotation in (int, float):
        kind = "整数" if annotation is int else "数"
        if lo is not None and hi is not None:
            return f"{lo}–{hi} 之间的{kind}"
        if lo is not None:
            return f"不小于 {lo} 的{kind}"
        if hi is not None:
            return f"不大于 {hi} 的{kind}"
        return kind
    if annotation is Path:
        return "文件的路径"
    if getattr(param, "param_type_name", "") == "argument":
        return getattr(param, "help", None) or "至少一个值"
    return "一个值"


def _param_name(param) -> str:
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument":
        return str(getattr(param, "name", "") or "").upper()
    return "/".join(opts) or str(getattr(param, "name", ""))


def _find_param(ctx, option_name: str):
    """The option called ``option_name`` in the command of ``ctx``, else in any command."""
    import typer.main

    def walk(command):
        yield command
        for sub in (getattr(command, "commands", None) or {}).values():
            yield from walk(sub)

    commands = [getattr(ctx, "command", None)] + list(walk(typer.main.get_command(app)))
    for command in commands:
        for param in getattr(command, "params", []) or []:
            if option_name in (getattr(param, "opts", []) or []) + (getattr(param, "secondary_opts", []) or []):
                return param
    return None


def _is(exc, name: str) -> bool:
    return any(c.__name__ == name for c in type(exc).__mro__)


def _given(exc) -> str:
    """The value the user gave, from typer's English message ('abc' is not …, input_value=…)."""
    import re

    text = str(getattr(exc, "message", "") or "")
    cause = exc.__cause__
    m = re.search(r"input_value=('(?:[^'\\]|\\.)*'|\S+?)[,\]]", str(cause)) if cause is not None else None
    if m:
        return m.group(1)
    m = re.match(r"^(?:Value error, )?('[^']*'|\S+) is not", text)
    return m.group(1) if m else ""


def usage_line(exc, argv: list[str] | None = None) -> str:
    """A usage error (typer's bundled click) as one Chinese line naming the option and what it takes."""
    import re

    for arg in argv or []:  # `checker audit -报告.txt`: click read it as options
        if arg == "--":
            break
        if arg.startswith("-") and len(arg) > 1 and os.path.lexists(arg):
            return f"{arg} 以 - 开头，被当作了选项；若这是文件名，请写成 ./{arg}，或放在 -- 之后"

    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", "") or "checker"
    help_hint = f"（{path} --help 查看用法）"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    param = getattr(exc, "param", None)
    if _is(exc, "NoSuchOption"):
        name = exc.option_name
        if os.path.lexists(name):
            return f"未知的选项 {name}；若这是文件名，请写成 ./{name}，或放在 -- 之后"
        near = f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）" if exc.possibilities else help_hint
        return f"未知的选项 {name}{near}"
    if _is(exc, "MissingParameter") and param is not None:
        return f"缺少 {_param_name(param)}：需要{_takes(param)}{help_hint}"
    if _is(exc, "BadParameter") and param is not None:
        given = _given(exc)
        what = _takes(param)
        return f"{_param_name(param)}：需要{' ' if what[:1].isdigit() else ''}{what}" + (f"，不是 {given}" if given else "") + help_hint
    if _is(exc, "BadOptionUsage"):
        param = _find_param(ctx, exc.option_name)
        what = _takes(param) if param is not None else "一个值"
        if "requires" in message:
            return f"选项 {exc.option_name} 需要一个值：{what}{help_hint}"
        return f"选项 {exc.option_name} 用法不对{help_hint}"
    m = re.match(r"No such command '(.*)'", message)
    if m:
        names = "、".join(sorted(getattr(getattr(ctx, "command", None), "commands", {}) or [])) or "audit、text、rules"
        return f"没有这个子命令：{m.group(1)}（可用：{names}）"
    m = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if m:
        return f"多余的参数：{m.group(1)}{help_hint}"
    if message.startswith("Missing command"):
        return f"缺少子命令{help_hint}"
    return f"用法错误：{message}{help_hint}"


def main(argv: list[str] | None = None) -> None:
    """The entry point: every way a run can end is one line and a status (0/1 verdict,
    2 usage or input error, 130 Ctrl-C, 143 SIGTERM), never a traceback."""
    degrade_console()
    _install_signal_handlers()
    collecting = _collector_off()
    try:
        status = app(args=argv, standalone_mode=False, prog_name="checker")
    except Interrupted as exc:
        import signal

        term = exc.signum == signal.SIGTERM
        _quiet_stderr_write("checker: 已停止（收到 SIGTERM），没有写入任何结果\n" if term
                            else "checker: 已中断（Ctrl-C），没有写入任何结果\n")
        os._exit(143 if term else 130)  # the workers are gone; nothing is left to flush
    except typer.Exit as exc:
        status = exc.exit_code
    except typer.Abort:
        _quiet_stderr_write("checker: 已中断\n")
        sys.exit(130)
    except Exception as exc:
        if _is(exc, "NoArgsIsHelpError"):  # bare `checker`: the help, as before
            exc.show()
            sys.exit(0)
        if not _is(exc, "ClickException"):
            raise
        _quiet_stderr_write(f"checker: {_line(usage_line(exc, sys.argv[1:] if argv is None else argv))}\n")
        sys.exit(2)
    except CheckerError as exc:  # anything a command did not catch itself
        _quiet_stderr_write(f"checker: {_line(exc)}\n")
        sys.exit(2)
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
    except Exception as exc:  # a bug: still one line, never a traceback
        _quiet_stderr_write(f"checker: 内部错误 {type(exc).__name__}: {_line(exc)[:300]}\n")
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


if __name__ == "__main__":
    main()
