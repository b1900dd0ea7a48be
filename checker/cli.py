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
from rich.text import Text

from checker.errors import CheckerError, ModelMissing
from checker.helpzh import ZhCommand, ZhGroup

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


def fail(message: str, status: int = 2) -> None:
    typer.echo(f"checker: {message}", err=True)
    raise typer.Exit(status)


def warn(message: str) -> None:
    typer.echo(f"checker: 警告：{message}", err=True)


def write_output(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from checker.io import atomic_write

    atomic_write(output, text)


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
    the background when the pool forks its workers.
    """

    def __init__(self, console):
        self.console = console
        self.bar = None
        self.task = None

    def start(self, total: int) -> None:
        if total < 2 or not self.console.is_terminal:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("检查报告"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("[dim]{task.description}"), console=self.console, transient=True,
                            auto_refresh=False)
        self.bar.start()
        self.task = self.bar.add_task("", total=total)
        self.bar.refresh()

    def done(self, report) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=Path(report.file).name)
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
    paths: list[str] = typer.Argument(..., metavar="报告", help="报告文件（.txt/.docx）、目录或通配符（如 'reports/*.txt'）"),
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
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", metavar="级别", help="哪一级缺失使退出码为 1：error、warning、info（默认 error）"),
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
) -> None:
    """检查报告是否覆盖纲要和督察规定要求的内容。可一次检查多份报告。"""
    from checker import batch
    from checker.config import Resolver, overrides_from_cli
    from checker.pipeline import Auditor

    console = _stderr_console()
    progress = _Progress(console)
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
        items = batch.expand(paths)
        for _fmt, out in plan:
            if out is not None and any(_same_file(out, path) for path, _ in items):
                fail(f"输出文件就是输入文件，拒绝覆盖：{out}")
        if quiet:
            progress.start = lambda total: None
        try:
            rows = batch.run_expanded(items, auditor, resolver, jobs=jobs, on_start=progress.start,
                                      on_done=progress.done)
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
                typer.echo(f"checker: {row.report.error}", err=True)

    rows = batch.sort_rows(rows, sort.value)
    reports = [row.report for row in rows]
    if to_terminal:
        from rich.console import Console

        from checker.render import matrix
        from checker.render.terminal import print_report, verdict_text

        out = Console()
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

    for fmt, out in plan:
        if fmt in BINARY:
            _write_binary(fmt, out, rows, auditor.registry, template=template, combine=combine, config=applied,
                          quiet=quiet)
            continue
        text = render_text(fmt, rows, auditor.registry, details=details, english=csv_english)
        if fmt is Format.csv and out is not None:
            text = "\ufeff" + text  # lets spreadsheet programs see UTF-8
        try:
            write_output(text, out)
        except OSError as exc:
            fail(f"无法写入 {out}：{exc.strerror}")
        if out is not None:
            _wrote(out, fmt, len(rows), quiet)
    raise typer.Exit(batch.exit_status(rows))


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
                  quiet=False) -> None:
    """Excel workbook, or review letters: one .docx, or one per report in a folder."""
    from checker.io import atomic_write
    from checker.render import docx as docx_r
    from checker.render import matrix
    from checker.render import xlsx as xlsx_r

    reports = [row.report for row in rows]
    folder = fmt is Format.docx and (isinstance(out, _Folder) or out.is_dir() or not out.suffix)
    try:
        if fmt is Format.xlsx:
            atomic_write(out, xlsx_r.render(reports, columns=matrix.named_columns(registry), config=config))
            _wrote(out, fmt, len(reports), quiet)
        elif folder and not combine:
            for n, report in enumerate(reports, start=1):
                path = out / docx_r.default_name(report, n)
                atomic_write(path, docx_r.render([report], template=template))
                _wrote(path, fmt, 1, quiet)
        else:
            if len(reports) > 1 and not combine:
                fail(f"{len(reports)} 份报告的审核意见：请写入文件夹（如 -o 审核意见/，每份报告一个文件），"
                     f"或加 --combine 合成一个文件")
            path = out / "审核意见.docx" if folder else out
            atomic_write(path, docx_r.render(reports, template=template))
            _wrote(path, fmt, len(reports), quiet)
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
    except OSError as exc:
        fail(f"无法写入 {out}：{exc.strerror}")


def render_text(format: Format, rows, registry, details: bool = False, english: bool = False) -> str:
    """Text for a non-interactive format (files, pipes)."""
    from checker.render import csv as csv_r
    from checker.render import html as html_r
    from checker.render import json as json_r
    from checker.render import jsonl as jsonl_r
    from checker.render import markdown as md_r
    from checker.render import matrix
    from checker.render import terminal as term_r

    reports = [row.report for row in rows]
    several = len(reports) > 1
    columns = matrix.named_columns(registry)
    if format is Format.html:
        return html_r.render(reports, texts=[row.text for row in rows], columns=columns)
    if format is Format.markdown:
        return (matrix.markdown_index(reports, columns) + "\n" if several else "") + md_r.render(reports)
    if format is Format.terminal and several:
        text = matrix.render(reports, columns=columns)
        return text + ("\n" + term_r.render(reports) if details else "")
    if format is Format.csv:
        return csv_r.render(reports, english=english)
    renderer = {Format.json: json_r, Format.jsonl: jsonl_r, Format.terminal: term_r}[format]
    return renderer.render(reports)


@app.command(cls=ZhCommand)
def text(path: str = typer.Argument(..., metavar="报告", help="报告文件")) -> None:
    """打印规范化后的正文（证据中的字符位置都指向这段文本）。"""
    from checker import ingest

    try:
        source = ingest.read(path)
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    sys.stdout.write(source.text if source.text.endswith("\n") else source.text + "\n")


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


@rules_app.command("check", cls=ZhCommand)
def rules_check(
    files: Optional[list[str]] = typer.Argument(None, metavar="规则文件", help="规则文件（YAML）或规则目录；不给则检查项目自带的规则"),
    examples: bool = typer.Option(True, "--examples/--no-examples", help="用匹配器检查示例句和反例句（需要分词模型）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", metavar="目录", help="规则目录（默认项目自带 rules/）"),
) -> None:
    """检查规则文件：逐条说明问题（文件、规则编号、字段）。有问题退出码 1。"""
    from checker import browse

    try:
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


def main() -> None:
    try:
        app()
    except CheckerError as exc:  # anything a command did not catch itself
        typer.echo(f"checker: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
