"""`checker audit` parsed without typer (checker.command.quick_audit): the same keyword
arguments typer gives for every command line it accepts, typer for everything else, and
the same output, status and messages either way."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import cli, command

REPORT = "某县2023年法治政府建设年度报告\n一、主要工作\n县政府主要负责人切实履行推进法治建设第一责任人职责。\n我县聘请法律顾问。\n"


def test_the_parser_reads_the_declarations_typer_builds_the_command_from():
    declared = cli.audit_argspec()
    assert command.AUDIT_ARGS == declared, (
        "checker.cli's audit options changed: set checker.command.AUDIT_ARGS to "
        f"{declared!r}")


def _typer_kwargs(monkeypatch, argv):
    seen = {}

    def capture(paths, **kwargs):
        seen.update(paths=paths, **kwargs)
        raise command.Exit(0)

    monkeypatch.setattr(cli, "run_audit", capture)
    result = CliRunner().invoke(cli.app, argv)
    assert result.exit_code == 0, (argv, result.output)
    return seen


ACCEPTED = [
    ["audit", "a.txt"],
    ["audit", "a.txt", "b.docx", "-f", "json", "--no-config"],
    ["audit", "-q", "a.txt", "--format=jsonl", "dir/", "-j", "2"],
    ["audit", "a.txt", "-o", "x.xlsx", "-o", "y/", "--output=z.json", "--combine", "--details"],
    ["audit", "a", "--select", "named-*", "--select", "outline-2021-4,outline-2021-5", "--ignore", "x",
     "--severity", "named-legal-adviser=warning"],
    ["audit", "a", "--fail-on", "warning", "--fail-under", "62.5", "--sort", "coverage", "--csv-english"],
    ["audit", "a", "--fail-under", "0", "--jobs", "1"],
    ["audit", "a", "--waivers", "w.yaml", "--config", "c.toml", "--template", "t.docx", "--previous", "p.txt"],
    ["audit", "a", "--profile", "outline-2015", "--level", "township", "--rules", "r/", "--published", "2024-03-31"],
    ["audit", "a", "--shard", "2/5", "--stream", "-f", "csv"],
    ["audit", "-", "--format", "terminal"],
    ["audit", "a", "--published", ""],
]


@pytest.mark.parametrize("argv", ACCEPTED, ids=lambda argv: " ".join(argv[1:])[:60])
def test_what_the_parser_accepts_it_reads_as_typer_does(monkeypatch, argv):
    quick = command.quick_audit(argv)
    assert quick is not None, argv
    typed = _typer_kwargs(monkeypatch, argv)
    assert quick == typed
    assert [type(v) for v in quick.values()] == [type(v) for v in typed.values()]


HANDED_ON = [
    ["audit"],  # no report: typer's message
    ["audit", "--help"],
    ["audit", "a", "-h"],
    ["audit", "a", "--jobs", "0"],  # out of range: typer says what it takes
    ["audit", "a", "--jobs", "two"],
    ["audit", "a", "--fail-under", "101"],
    ["audit", "a", "--format", "JSON"],  # not one of the choices
    ["audit", "a", "-qj2"],  # bundled short options
    ["audit", "a", "-fjson"],
    ["audit", "--", "-a.txt"],
    ["audit", "a", "--nope"],
    ["audit", "a", "--quiet=yes"],
    ["audit", "a", "--format"],  # no value
    ["audit", "a", "--format", "json", "--format", "csv"],
    ["audit", "a", "-o", "-q"],
    ["audit", "a", "--waivers", ""],
    ["rules"],
    ["--version"],
    ["text", "a"],
    [],
]


@pytest.mark.parametrize("argv", HANDED_ON, ids=lambda argv: " ".join(argv)[:60] or "bare")
def test_everything_else_is_typers(argv):
    assert command.quick_audit(argv) is None


def test_it_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("CHECKER_FASTCLI", "0")
    assert command.quick_audit(["audit", "a.txt"]) is None


def _run(argv, env):
    code = ("import sys, atexit; atexit.register(lambda: sys.stderr.write('typer' in sys.modules and '\\nTYPER' or ''));"
            f"sys.argv = ['checker'] + {argv!r}; from checker.command import main; main()")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("extra", [["-f", "json", "--no-config"], ["--format=markdown", "-q"], []])
def test_a_usual_audit_runs_without_typer_and_says_exactly_what_typer_says(tmp_path, extra):
    report = tmp_path / "报告.txt"
    report.write_text(REPORT, encoding="utf-8")
    env = {**os.environ, "CHECKER_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    argv = ["audit", str(report)] + extra
    fast = _run(argv, env)
    slow = _run(argv, {**env, "CHECKER_FASTCLI": "0"})
    assert "TYPER" not in fast.stderr, fast.stderr
    assert slow.stderr.endswith("TYPER")  # the switch really hands it to typer
    assert fast.returncode == slow.returncode and fast.returncode in (0, 1)
    assert fast.stdout == slow.stdout and fast.stdout.strip()
    assert fast.stderr == slow.stderr[: -len("\nTYPER")]


def test_errors_on_the_fast_path_are_one_line_and_status_2(tmp_path):
    env = {**os.environ, "CHECKER_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    missing = str(tmp_path / "没有.txt")
    for argv in (["audit", missing], ["audit", missing, "-f", "xlsx"], ["audit", str(tmp_path), "--published", "2024-13-01"]):
        fast = _run(argv, env)
        slow = _run(argv, {**env, "CHECKER_FASTCLI": "0"})
        assert fast.returncode == slow.returncode == 2, (argv, fast.stderr)
        assert "TYPER" not in fast.stderr and "Traceback" not in fast.stderr
        assert fast.stderr.count("\n") == 1 and fast.stderr.startswith("checker: ")
        assert fast.stderr == slow.stderr[: -len("\nTYPER")]


def test_a_usage_error_still_gets_typers_chinese_line(tmp_path):
    env = {**os.environ, "CHECKER_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    done = _run(["audit", "a.txt", "--jobs", "0"], env)
    assert done.returncode == 2
    assert done.stderr.startswith("checker: --jobs/-j：需要不小于 1 的整数"), done.stderr
    assert "Traceback" not in done.stderr


def test_the_entry_point_is_the_typer_free_one():
    text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'checker = "checker.command:main"' in text
