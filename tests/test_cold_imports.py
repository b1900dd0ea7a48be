"""What a cold `checker audit FILE -f json` does not import once its cache is filled: the
command-line stack (typer), and what only other paths need (child processes, temp files
for writing, the calendar module for one date check, the HTML parser)."""
from __future__ import annotations

import calendar
import os
import subprocess
import sys

from checker.lint.compare import _days_in

REPORT = ("某县2023年法治政府建设年度报告\n一、主要工作\n2023年3月1日，县政府主要负责人切实履行推进法治建设第一责任人职责。\n"
          "我县聘请法律顾问。2月30日召开会议。\n")
UNNEEDED = ("typer", "click", "subprocess", "tempfile", "calendar", "shutil", "html.parser")


def test_a_json_audit_from_the_cache_imports_only_what_it_needs(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    code = ("import sys, atexit; atexit.register(lambda: sys.stderr.write(repr(sorted(m for m in "
            f"{UNNEEDED!r} if m in sys.modules))));"
            f"sys.argv = ['checker', 'audit', {str(report)!r}, '-f', 'json', '--no-config'];"
            "from checker.command import main; main()")
    env = {**os.environ, "CHECKER_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
            for _ in range(2)]  # the first fills the cache (and may write with tempfile)
    assert runs[1].returncode in (0, 1), runs[1].stderr
    assert '"rule"' in runs[1].stdout or '"id"' in runs[1].stdout
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"


def test_days_in_a_month_are_the_calendars():
    assert all(_days_in(y, m) == calendar.monthrange(y, m)[1] for y in range(1, 2501) for m in range(1, 13))
