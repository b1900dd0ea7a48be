"""The cold-start speed-ups change nothing a user sees: the option values of checker/fastcli.py
are typer's own, and the cached regular-expression programs of checker/recache.py match what
freshly compiled ones match. (With tests/test_speedups.py, which compares full results.) No
timings here: speed is measured by `make bench`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, SEEDS

import checker.cli  # noqa: F401  (installs the fast path)
from checker import fastcli

# --- option values (checker/fastcli.py) ------------------------------------------------------

VALUES = ["", "x", "报告.txt", "./a/b.docx", "-", "0", "1", "2", "007", "50", "100", "101", "99.5",
          "1e2", "-3", " 3", "abc", "json", "JSON", "terminal", "coverage", "error", "warning",
          "Error", "xlsx", "inf", "nan", "1_0", "12345678901234567890"]


def _params():
    import typer.main

    def walk(command, path):
        for param in command.params:
            if getattr(param, "type_descriptor", None) is not None:
                yield path, command, param
        for name, sub in (getattr(command, "commands", None) or {}).items():
            yield from walk(sub, path + [name])

    return list(walk(typer.main.get_command(checker.cli.app), ["checker"]))


def _outcome(runtime, value, param, ctx):
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
        return ("ok", type(got), got)
    except Exception as exc:  # the error a user sees is built from these
        return ("error", type(exc), str(getattr(exc, "message", exc)), str(exc.__cause__))


def test_the_fast_path_is_installed_and_gives_typers_values_and_errors():
    import typer._click as click_mod
    from typer import core

    fast = core.build_runtime_param
    assert getattr(fast, "_checker_fast", False), "fastcli.install() did not take effect"
    original = fast.original
    checked = fast_used = 0
    for _path, command, param in _params():
        ctx = click_mod.Context(command)
        mine, theirs = fast(param.type_descriptor), original(param.type_descriptor)
        fast_used += type(mine) is not type(theirs)
        multi = param.multiple or param.nargs == -1
        samples = [param.default, None] + ([[v] for v in VALUES] + [tuple(VALUES[:4]), []] if multi else VALUES)
        if param.type_descriptor.annotation is bool:
            samples += [True, False]
        for value in samples:
            assert _outcome(mine, value, param, ctx) == _outcome(theirs, value, param, ctx), (param.name, value)
            checked += 1
    assert fast_used >= 20 and checked > 500


def test_usage_errors_read_the_same_with_and_without_the_fast_path(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("某县2023年法治政府建设年度报告\n一、主要工作\n我县聘请法律顾问。\n", encoding="utf-8")
    audit = ["audit", str(report), "--no-config"]
    cases = [[*audit, "--fail-under", "150"], [*audit, "--jobs", "0"], [*audit, "-f", "pdf"],
             [*audit, "--sort", "x"], [*audit, "--jobs", "abc"], [*audit, "-f", "json", "--fail-under", "99.5", "-q"],
             [*audit, "--waivers", str(tmp_path / "none.yaml")], ["rules", "list", "--severity", "fatal"], ["audit"]]
    for argv in cases:
        runs = []
        for flag in ("1", "0"):
            env = {**os.environ, "CHECKER_FASTCLI": flag}
            proc = subprocess.run([sys.executable, "-m", "checker", *argv], capture_output=True, text=True,
                                  env=env, cwd=tmp_path, timeout=120)
            runs.append((proc.returncode, proc.stdout, proc.stderr))
        assert runs[0] == runs[1], argv
        assert runs[0][0] in (0, 1, 2)
