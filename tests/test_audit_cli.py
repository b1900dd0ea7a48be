"""`checker audit FILE` as users run it: the JSON contract, Markdown, the terminal view,
exit statuses, and bad input (one line, exit 2, input untouched)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from checker.cli import app

from conftest import CORPUS

runner = CliRunner()
COMPLETE = CORPUS / "sample-county-2023.txt"
INCOMPLETE = CORPUS / "district-2024-no-three-systems.txt"
RESULT_KEYS = {"id", "title", "refs", "severity", "status", "score", "evidence", "message"}
EVIDENCE_KEYS = {"paragraph", "section", "start", "end", "text"}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_json_contract(auditor):
    res = run("audit", COMPLETE, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {"file", "profile", "level", "year", "body", "date", "results", "summary"} <= set(data)
    assert data["profile"] == "outline-2021" and data["year"] == 2023 and data["level"] == "county"
    for r in data["results"]:
        assert RESULT_KEYS <= set(r)
        assert r["status"] in ("covered", "partial", "missing", "not_applicable", "waived")
        assert 0 <= r["score"] <= 100
        for ev in r["evidence"]:
            assert EVIDENCE_KEYS <= set(ev)


def test_evidence_offsets_point_into_the_normalised_text(auditor):
    data = json.loads(run("audit", CORPUS / "county-2024-webpage-crlf-bom.txt", "--format", "json").stdout)
    text = run("text", CORPUS / "county-2024-webpage-crlf-bom.txt").stdout
    quoted = [ev for r in data["results"] for ev in r["evidence"]]
    assert quoted
    for ev in quoted:
        assert text[ev["start"]:ev["end"]] == ev["text"]
        if ev.get("match"):
            assert text[ev["match_start"]:ev["match_end"]] == ev["match"]
    assert "\r" not in text and "索引号" not in text  # the normalised text, not the raw bytes


def test_incomplete_report_exits_1_and_lists_what_to_add(auditor):
    res = run("audit", INCOMPLETE)
    assert res.exit_code == 1
    assert "需要补充" in res.stdout and "行政执法三项制度" in res.stdout
    assert "退出码 1" in res.stdout


def test_terminal_view_shows_header_rows_and_summary(auditor):
    res = run("audit", COMPLETE)
    assert res.exit_code == 0, res.stdout
    for piece in ("报告主体", "青岚县", "县级", "2023", "法治政府建设实施纲要（2021—2025年）", "已覆盖", "覆盖率"):
        assert piece in res.stdout, piece


def test_markdown_output_to_a_file(auditor, tmp_path):
    out = tmp_path / "review.md"
    res = run("audit", INCOMPLETE, "--format", "markdown", "--output", out)
    assert res.exit_code == 1
    md = out.read_text(encoding="utf-8")
    assert md.startswith("## ") and "| 状态 | 要素 |" in md and "### 需要补充" in md


def test_profile_and_level_overrides(auditor):
    data = json.loads(run("audit", COMPLETE, "--format", "json", "--profile", "outline-2015", "--level", "city").stdout)
    assert data["profile"] == "outline-2015" and data["level"] == "city"
    assert data["meta"]["level_reason"] == "由 --level 指定"
    assert all(not ref.startswith("outline-2021:") for r in data["results"] for ref in r["refs"])


@pytest.mark.parametrize(
    "args, says",
    [
        (["audit", "/nonexistent/report.txt"], "不存在"),
        (["audit", str(COMPLETE), "--profile", "outline-1999"], "outline-1999"),
        (["audit", str(COMPLETE), "--level", "village"], "village"),
    ],
)
def test_usage_and_input_errors_are_one_line_exit_2(auditor, args, says):
    res = run(*args)
    assert res.exit_code == 2
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and says in err[0] and err[0].startswith("checker: ")


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\n  ", bytes(range(256)) * 40, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100],
    ids=["empty", "blank", "binary", "png"],
)
def test_bad_files_are_one_line_exit_2_and_untouched(tmp_path, content):
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns)
    proc = subprocess.run([sys.executable, "-m", "checker", "audit", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns) == before


def test_text_command_prints_simplified_text_of_a_big5_file(auditor):
    res = run("text", CORPUS / "county-2022-big5.txt")
    assert res.exit_code == 0
    assert "法治政府" in res.stdout and "法治政府建設" not in res.stdout


def test_a_text_that_is_no_report_says_what_it_is_and_lists_no_verdicts(auditor):
    """A government work report is not the annual rule-of-law report: the view says what it
    is, and neither a table of 39 'missing' rows nor a to-do list follows."""
    res = run("audit", CORPUS / "county-2023-government-work-report-not-report.txt")
    assert res.exit_code == 1, res.output
    out = res.stdout
    assert "政府工作报告" in out and "不是法治政府建设年度报告" in out
    assert "需要补充" not in out and "小结" not in out
    assert "缺失     存在的不足和原因" not in out
    last = [line for line in out.splitlines() if line.strip()][-1]
    assert not last.startswith("✔")
    report = run("audit", COMPLETE)
    assert "需要补充" in report.stdout or "小结" in report.stdout  # a real report keeps its table
