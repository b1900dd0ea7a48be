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

from checker.errors import CheckerError, ModelMissing

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="法治政府建设年度报告合规检查（checker）。",
)
rules_app = typer.Typer(
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


@app.command()
def audit(
    paths: list[str] = typer.Argument(..., help="报告文件（.txt/.docx）、目录或通配符（如 'reports/*.txt'）"),
    format: Format = typer.Option(Format.terminal, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件（原子写入）而不是标准输出"),
    profile: Optional[str] = typer.Option(None, "--profile", help="检查依据，如 outline-2021、outline-2015（默认按报告年度选择）"),
    level: Optional[str] = typer.Option(None, "--level", help="层级：province/city/county/township/department（默认自动识别）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", help="规则目录（默认项目自带 rules/）"),
    select: Optional[list[str]] = typer.Option(None, "--select", help="只检查这些规则（编号或前缀*，可重复或用逗号分隔）"),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", help="不检查这些规则（编号或前缀*）"),
    severity: Optional[list[str]] = typer.Option(None, "--severity", help="改变规则的级别：规则=error|warning|info"),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="哪一级缺失或形式审查问题使退出码为 1（默认 error）"),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0, max=100, help="覆盖率低于此百分数时退出码为 1"),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="豁免文件（YAML）：审核人员已作出的决定"),
    config: Optional[Path] = typer.Option(None, "--config", help="配置文件（checker.toml 或含 [tool.checker] 的 pyproject.toml）"),
    no_config: bool = typer.Option(False, "--no-config", help="不读取任何配置文件"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数（默认为可用的 CPU 核数）"),
    sort: Sort = typer.Option(Sort.input, "--sort", help="多份报告的顺序：input（输入顺序）、coverage（覆盖率从低到高）、file"),
    details: bool = typer.Option(False, "--details", help="多份报告时，在一览表之后列出每份报告的详细结果"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上一年度的报告：列出沿用上年的段落及其比例（形式审查）"),
    published: Optional[str] = typer.Option(None, "--published", help="报告公开（报送）的日期 YYYY-MM-DD：检查是否晚于时限"),
) -> None:
    """检查报告是否覆盖纲要和督察规定要求的内容。可一次检查多份报告。"""
    from checker import batch
    from checker.config import Resolver, overrides_from_cli
    from checker.pipeline import Auditor

    console = _stderr_console()
    progress = _Progress(console)
    try:
        auditor = Auditor(rules_root=rules_dir)
        overrides = overrides_from_cli(
            profile=profile, level=level, select=select, ignore=ignore, severity=severity,
            fail_on=fail_on.value if fail_on else None, fail_under=fail_under, waivers=waivers,
        )
        resolver = Resolver(overrides, config=config, use_config=not no_config, registry=auditor.registry)
        items = batch.expand(paths)
        if output is not None and any(_same_file(output, path) for path, _ in items):
            fail(f"输出文件就是输入文件，拒绝覆盖：{output}")
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
        for w in row.warnings:
            warn(f"{row.path}: {w}")
    to_terminal = format is Format.terminal and output is None
    if not single and not to_terminal:
        for row in rows:
            if row.report.error:
                typer.echo(f"checker: {row.report.error}", err=True)

    rows = batch.sort_rows(rows, sort.value)
    reports = [row.report for row in rows]
    if to_terminal:
        from rich.console import Console

        from checker.render import matrix
        from checker.render.terminal import print_report

        out = Console()
        if single:
            print_report(reports[0], out)
        else:
            matrix.print_matrix(reports, matrix.named_columns(auditor.registry), out)
            if details:
                for report in reports:
                    out.print()
                    print_report(report, out)
        raise typer.Exit(batch.exit_status(rows))

    text = render_text(format, rows, auditor.registry, details=details)
    if format is Format.csv and output is not None:
        text = "\ufeff" + text  # lets spreadsheet programs see UTF-8
    try:
        write_output(text, output)
    except OSError as exc:
        fail(f"无法写入 {output}：{exc.strerror}")
    raise typer.Exit(batch.exit_status(rows))


def _published_date(value: Optional[str]):
    """--published YYYY-MM-DD → date; anything else is a usage error (exit 2)."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(f"--published 应当是日期 YYYY-MM-DD：{value}")


def render_text(format: Format, rows, registry, details: bool = False) -> str:
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
    renderer = {Format.json: json_r, Format.jsonl: jsonl_r, Format.terminal: term_r, Format.csv: csv_r}[format]
    return renderer.render(reports)


@app.command()
def text(path: str = typer.Argument(..., help="报告文件")) -> None:
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
    profile: Optional[str] = typer.Option(None, "--profile", help="只列这个 profile 的规则，如 outline-2015"),
    level: Optional[str] = typer.Option(None, "--level", help="只列适用于这一层级的规则"),
    severity: Optional[FailOn] = typer.Option(None, "--severity", help="只列这一级别：error（必备）、warning（建议）、info（提示）"),
    group: Optional[str] = typer.Option(None, "--group", help="只列纲要这一部分的规则，如 enforcement"),
    format: ListFormat = typer.Option(ListFormat.terminal, "--format", "-f", help="terminal 或 json"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", help="规则目录（默认项目自带 rules/）"),
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


@rules_app.command("show")
def rules_show(
    rule_id: str = typer.Argument(..., help="规则编号，如 three-systems"),
    try_examples: bool = typer.Option(True, "--try/--no-try", help="用匹配器试运行示例句和反例句（需要分词模型）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", help="规则目录（默认项目自带 rules/）"),
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


@rules_app.command("check")
def rules_check(
    files: Optional[list[str]] = typer.Argument(None, help="规则文件（YAML）或规则目录；不给则检查项目自带的规则"),
    examples: bool = typer.Option(True, "--examples/--no-examples", help="用匹配器检查示例句和反例句（需要分词模型）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", help="规则目录（默认项目自带 rules/）"),
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
