"""Command line: `checker audit`, `checker text`, `checker rules`, `checker setup` (typer).

The entry point and the audit command itself are in checker.command, which runs the usual
``checker audit`` without importing this module; everything else — help, usage errors, the
other commands — comes here.

Exit status: 0 when no error-level rule is missing or partial (and coverage is not under
``--fail-under``), 1 when one is, 2 for a usage or input error (one clear line on stderr,
never a traceback). With several reports the worst one decides (2 > 1 > 0); a report that
cannot be read is a row with its error and the others go on.
"""
from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from checker import command, fastcli
from checker.command import FailOn, Format, ListFormat, Sort, _is, fail, main, run_audit, warn, write_output
from checker.errors import CheckerError, ModelMissing
from checker.helpzh import ZhCommand, ZhGroup

command.Exit, command.echo = typer.Exit, typer.echo  # what click and CliRunner expect in-process

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
    run_audit(paths, format=format, output=output, profile=profile, level=level, rules_dir=rules_dir,
              select=select, ignore=ignore, severity=severity, fail_on=fail_on, fail_under=fail_under,
              waivers=waivers, config=config, no_config=no_config, jobs=jobs, sort=sort, details=details,
              template=template, combine=combine, csv_english=csv_english, quiet=quiet, previous=previous,
              published=published, shard=shard, stream=stream)


def audit_argspec() -> tuple:
    """What ``audit`` declares, in the form checker.command's parser reads (``AUDIT_ARGS``):
    (name, option names, kind, multiple, default, min, max) for each parameter, the
    argument first. A test keeps the two equal, so the options are declared once, here."""
    import inspect
    import typing

    hints = typing.get_type_hints(audit)
    spec = []
    for name, parameter in inspect.signature(audit).parameters.items():
        info = parameter.default
        kind = hints[name]
        if typing.get_origin(kind) is typing.Union:
            kind = next(a for a in typing.get_args(kind) if a is not type(None))
        multiple = typing.get_origin(kind) is list
        if multiple:
            kind = typing.get_args(kind)[0]
        kind_name = kind.__name__ if kind in (str, bool, int, float, Path) else f"enum:{kind.__name__}"
        default = info.default
        if default is ...:
            default = None
        if isinstance(default, Enum):
            default = default.value
        decls = tuple(info.param_decls or ())
        spec.append((name, decls, kind_name, multiple, default, getattr(info, "min", None),
                     getattr(info, "max", None)))
    return tuple(spec)


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


# `checker rules list`: the same listing, under the verb a user types
rules_app.command("list", cls=ZhCommand, help="列出规则（与 `checker rules` 相同）。")(rules_list)


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


if __name__ == "__main__":
    main()
