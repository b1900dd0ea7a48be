"""Command line: `checker audit`, `checker text`, `checker rules`.

Exit status: 0 when no error-level rule is missing or partial, 1 when one is, 2 for a
usage or input error (one clear line on stderr, never a traceback).
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from checker.errors import CheckerError, UsageError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="法治政府建设年度报告合规检查（checker）。",
)


class Format(str, Enum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    jsonl = "jsonl"


def fail(message: str, status: int = 2) -> None:
    typer.echo(f"checker: {message}", err=True)
    raise typer.Exit(status)


def write_output(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from checker.io import atomic_write

    atomic_write(output, text)


@app.command()
def audit(
    paths: list[str] = typer.Argument(..., help="报告文件（.txt/.docx）"),
    format: Format = typer.Option(Format.terminal, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件（原子写入）而不是标准输出"),
    profile: Optional[str] = typer.Option(None, "--profile", help="检查依据，如 outline-2021、outline-2015（默认按报告年度选择）"),
    level: Optional[str] = typer.Option(None, "--level", help="层级：province/city/county/township/department（默认自动识别）"),
    rules_dir: Optional[str] = typer.Option(None, "--rules", help="规则目录（默认项目自带 rules/）"),
) -> None:
    """检查报告是否覆盖纲要和督察规定要求的内容。"""
    from checker.pipeline import Auditor, Options

    try:
        auditor = Auditor(rules_root=rules_dir)
        options = Options(profile=profile, level=level)
        if options.profile:
            auditor.registry.profile(options.profile)  # fail early on an unknown profile
        reports = [auditor.audit_path(p, options) for p in paths]
    except CheckerError as exc:
        fail(str(exc), exc.exit_status)
        return
    if format is Format.terminal and output is None:
        from rich.console import Console

        from checker.render.terminal import print_report

        console = Console()
        for report in reports:
            print_report(report, console)
    else:
        from checker.render import json as json_r
        from checker.render import jsonl as jsonl_r
        from checker.render import markdown as md_r
        from checker.render import terminal as term_r

        renderer = {Format.json: json_r, Format.jsonl: jsonl_r, Format.markdown: md_r, Format.terminal: term_r}[format]
        try:
            write_output(renderer.render(reports), output)
        except OSError as exc:
            fail(f"无法写入 {output}：{exc.strerror}")
    raise typer.Exit(max(r.summary.exit_status for r in reports))


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
