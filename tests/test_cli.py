"""The command line on real reports: single-file behaviour and the JSON contract kept,
several files as a matrix, every export format, every option, atomic output."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.render import SEVERITY_ZH, STATUS_ZH
from checker.pipeline import Options

from conftest import CORPUS

runner = CliRunner()
SAMPLE = CORPUS / "sample-county-2023.txt"  # complete: passes
NO_THREE = CORPUS / "district-2024-no-three-systems.txt"  # misses an error-level rule: fails
TOWNSHIP = CORPUS / "township-2022-causes.txt"
DOCX = CORPUS / "department-2022-transport-bureau.docx"


def invoke(*args, columns: int = 160):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})


def audit_json(*args) -> tuple[int, object]:
    result = invoke("audit", *args, "--format", "json", "--no-config")
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def expected(auditor):
    """What the pipeline itself says about each corpus file."""
    return {p: auditor.audit_path(p, Options()) for p in (SAMPLE, NO_THREE, TOWNSHIP, DOCX)}


# --- one report: behaviour kept ---------------------------------------------------------


def test_single_file_json_is_the_pipeline_contract(expected):
    code, data = audit_json(SAMPLE)
    assert data == expected[SAMPLE].to_json()
    assert code == expected[SAMPLE].summary.exit_status == 0
    code, data = audit_json(NO_THREE)
    assert code == 1 and data["summary"]["errors_failing"] >= 1
    assert {r["id"]: r["status"] for r in data["results"]}["three-systems"] == "missing"


def test_single_file_terminal_view_shows_the_report(expected):
    result = invoke("audit", SAMPLE, "--no-config")
    assert result.exit_code == 0
    assert expected[SAMPLE].body in result.stdout
    assert "覆盖率" in result.stdout and "小结" in result.stdout


@pytest.mark.parametrize("name, says", [("nope.txt", "不存在"), ("empty.txt", "文件为空")])
def test_a_single_unreadable_file_is_one_line_and_status_2(tmp_path, name, says):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = invoke("audit", tmp_path / name, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("checker: ") and says in lines[0]


def test_text_prints_the_normalised_text_evidence_points_into(expected):
    result = invoke("text", SAMPLE)
    assert result.exit_code == 0
    text = result.stdout
    ev = next(r for r in expected[SAMPLE].results if r.evidence).evidence[0]
    assert text[ev.start:ev.end] == ev.text


# --- several reports ------------------------------------------------------------------------


def test_several_files_give_a_matrix_with_a_row_per_report(expected):
    result = invoke("audit", SAMPLE, NO_THREE, DOCX, "--no-config")
    assert result.exit_code == 1  # the worst report
    out = result.stdout
    for path in (SAMPLE, NO_THREE, DOCX):
        assert path.name[:10] in out
        assert expected[path].body in out
    # a column per named rule, explained under the table
    assert "① 党政主要负责人" in out and "first-responsible-duty" in out
    assert "3 份报告：通过 1 · 未通过 2 · 无法读取 0" in out
    # the per-report details only on request
    assert "需要补充" not in out and "小结" not in out


def test_the_matrix_keeps_every_column_on_an_80_column_terminal(expected):
    out = invoke("audit", SAMPLE, NO_THREE, DOCX, "--no-config", columns=80).stdout
    header = out.splitlines()[0]
    for name in ("#", "报告", "主体", "层级", "年度", "①", "⑥", "覆盖率", "结果"):
        assert name in header, header
    assert "⑦" not in header  # the optional 'other matters' (info) is not a named element
    assert max(len(line) for line in out.splitlines()) <= 80
    for path in (SAMPLE, NO_THREE, DOCX):
        assert f"{expected[path].summary.coverage:5.1f}%" in out


def test_details_adds_each_report_after_the_matrix(expected):
    result = invoke("audit", SAMPLE, NO_THREE, "--details", "--no-config")
    out = result.stdout
    assert out.count("小结") == 2
    assert out.index("份报告：") < out.index("小结")
    assert "行政执法三项制度" in out[out.index("需要补充"):]


def test_an_unreadable_file_in_a_batch_is_a_row_and_the_exit_status_is_2(tmp_path):
    gone = tmp_path / "gone.txt"
    result = invoke("audit", SAMPLE, gone, "--no-config")
    assert result.exit_code == 2
    assert "gone.txt" in result.stdout and "无法读取：文件不存在" in result.stdout
    assert "无法读取 1" in result.stdout
    as_json = invoke("audit", SAMPLE, gone, "--format", "json", "--no-config")
    data = json.loads(as_json.stdout)
    assert as_json.exit_code == 2
    assert "error" not in data[0] and "不存在" in data[1]["error"]
    assert data[1]["results"] == [] and data[1]["summary"]["exit_status"] == 2
    assert "gone.txt" in as_json.stderr  # said on stderr too when stdout is data


def test_a_folder_and_a_quoted_glob(tmp_path):
    for p in (SAMPLE, TOWNSHIP):
        shutil.copy(p, tmp_path / p.name)
    folder = invoke("audit", tmp_path, "--format", "jsonl", "--no-config")
    glob = invoke("audit", str(tmp_path / "*.txt"), "--format", "jsonl", "--no-config")
    assert folder.stdout == glob.stdout
    files = [json.loads(line)["file"] for line in folder.stdout.splitlines()]
    assert [Path(f).name for f in files] == sorted([SAMPLE.name, TOWNSHIP.name])


def test_jsonl_is_one_single_report_contract_per_line(expected):
    result = invoke("audit", SAMPLE, NO_THREE, "--format", "jsonl", "--no-config")
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == [expected[SAMPLE].to_json(), expected[NO_THREE].to_json()]


def test_json_for_several_files_is_a_list(expected):
    code, data = audit_json(SAMPLE, NO_THREE)
    assert isinstance(data, list) and [d["file"] for d in data] == [str(SAMPLE), str(NO_THREE)]
    assert code == 1


def test_csv_has_a_row_per_report_and_rule(expected, tmp_path):
    out = tmp_path / "review.csv"
    result = invoke("audit", SAMPLE, DOCX, tmp_path / "gone.txt", "--format", "csv", "--output", out, "--no-config")
    assert result.exit_code == 2
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheet programs then read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    want = expected[SAMPLE].results + expected[DOCX].results
    assert len(rows) == len(want) + 1
    for row, r in zip(rows, want):
        assert (row["规则编号"], row["状态"], row["级别"], int(row["得分"])) == (
            r.id, STATUS_ZH[r.status], SEVERITY_ZH[r.severity], r.score)
        if r.evidence:
            assert row["证据"] == r.evidence[0].text and row["位置"] == r.evidence[0].section
    assert rows[0]["报告主体"] == expected[SAMPLE].body and rows[0]["报告年度"] == str(expected[SAMPLE].year)
    assert float(rows[0]["覆盖率（%）"]) == expected[SAMPLE].summary.coverage
    assert rows[-1]["状态"] == "出错" and "不存在" in rows[-1]["错误"] and rows[-1]["规则编号"] == ""
    # to stdout, no byte-order mark
    plain = invoke("audit", SAMPLE, "--format", "csv", "--no-config")
    assert plain.stdout.startswith("文件,报告主体,层级,报告年度,")


def test_markdown_for_several_files_starts_with_an_index(expected):
    result = invoke("audit", SAMPLE, NO_THREE, "--format", "markdown", "--no-config")
    out = result.stdout
    assert out.startswith("## 报告一览")
    index = out[: out.index("## ", 5)]
    assert f"`{SAMPLE}`" in index and f"`{NO_THREE}`" in index
    assert "✔ 通过" in index and "✘ 未通过" in index
    assert out.count("：法治政府建设年度报告检查") == 2


def test_terminal_format_to_a_file_writes_the_matrix(tmp_path):
    out = tmp_path / "matrix.txt"
    result = invoke("audit", SAMPLE, NO_THREE, "--output", out, "--no-config")
    assert result.exit_code == 1 and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "2 份报告：" in text and "\x1b[" not in text


# --- output ---------------------------------------------------------------------------------


def test_output_is_written_whole_and_never_over_an_input(tmp_path):
    report = tmp_path / "r.txt"
    shutil.copy(SAMPLE, report)
    before = report.read_bytes()
    for fmt in ("json", "html", "csv"):
        result = invoke("audit", report, "--format", fmt, "--output", report, "--no-config")
        assert result.exit_code == 2 and "输出文件就是输入文件" in result.stderr
    assert report.read_bytes() == before
    out = tmp_path / "sub" / "review.json"
    result = invoke("audit", report, "--format", "json", "-o", out, "--no-config")
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["review.json"]  # no temp file left
    assert out.stat().st_mode & 0o044  # readable by others, like any file a plain open() writes
    assert report.read_bytes() == before


def test_a_directory_that_cannot_be_written_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke("audit", SAMPLE, "--format", "json", "-o", blocker / "out.json", "--no-config")
    assert result.exit_code == 2 and result.stderr.startswith("checker: 无法写入")


# --- options ----------------------------------------------------------------------------------


def test_sort_by_coverage_puts_the_weakest_first():
    result = invoke("audit", SAMPLE, NO_THREE, TOWNSHIP, "--format", "jsonl", "--sort", "coverage", "--no-config")
    covs = [json.loads(line)["summary"]["coverage"] for line in result.stdout.splitlines()]
    assert covs == sorted(covs) and len(covs) == 3
    by_file = invoke("audit", TOWNSHIP, SAMPLE, NO_THREE, "--format", "jsonl", "--sort", "file", "--no-config")
    files = [json.loads(line)["file"] for line in by_file.stdout.splitlines()]
    assert files == sorted(files)
    matrix = invoke("audit", SAMPLE, NO_THREE, "--sort", "coverage", "--no-config").stdout
    assert matrix.index(NO_THREE.name[:10]) < matrix.index(SAMPLE.name[:10])


def test_jobs_does_not_change_results():
    one = invoke("audit", SAMPLE, TOWNSHIP, DOCX, "--format", "jsonl", "--jobs", "1", "--no-config")
    three = invoke("audit", SAMPLE, TOWNSHIP, DOCX, "--format", "jsonl", "-j", "3", "--no-config")
    assert one.stdout == three.stdout and one.exit_code == three.exit_code
    assert invoke("audit", SAMPLE, "--jobs", "0").exit_code == 2


def test_select_and_ignore_choose_rules(expected):
    _, data = audit_json(SAMPLE, "--select", "three-systems,legal-adviser-coverage")
    assert sorted(r["id"] for r in data["results"]) == ["legal-adviser-coverage", "three-systems"]
    _, data = audit_json(SAMPLE, "--select", "outline-2021-*", "--ignore", "outline-2021-1*")
    ids = {r["id"] for r in data["results"]}
    assert ids and all(i.startswith("outline-2021-") and not i.startswith("outline-2021-1") for i in ids)
    every = {r.id for r in expected[SAMPLE].results}
    _, data = audit_json(SAMPLE, "--ignore", "other-matters", "--ignore", "three-systems")
    assert {r["id"] for r in data["results"]} == every - {"other-matters", "three-systems"}
    result = invoke("audit", SAMPLE, "--select", "no-such-rule")
    assert result.exit_code == 2 and "--select: 没有编号为 no-such-rule 的规则" in result.stderr


def test_ignoring_the_missing_rule_turns_a_failing_report_into_a_passing_one(expected):
    failing = [r.id for r in expected[NO_THREE].results if r.severity == "error" and r.status in ("missing", "partial")]
    assert failing
    code, _ = audit_json(NO_THREE, "--ignore", ",".join(failing))
    assert code == 0


def test_severity_override_changes_what_fails(expected):
    failing = [r.id for r in expected[NO_THREE].results if r.severity == "error" and r.status in ("missing", "partial")]
    args = [a for rid in failing for a in ("--severity", f"{rid}=warning")]
    code, data = audit_json(NO_THREE, *args)
    assert code == 0 and data["summary"]["errors_failing"] == 0
    assert {r["id"]: r["severity"] for r in data["results"]}[failing[0]] == "warning"
    # and with --fail-on warning those warnings fail again
    code, data = audit_json(NO_THREE, *args, "--fail-on", "warning")
    assert code == 1 and data["summary"]["errors_failing"] >= len(failing)
    assert invoke("audit", SAMPLE, "--severity", "three-systems").exit_code == 2
    assert invoke("audit", SAMPLE, "--severity", "three-systems=fatal").exit_code == 2


def test_fail_on_warning_counts_missing_warnings(expected):
    warn_missing = [r for r in expected[SAMPLE].results if r.severity == "warning" and r.status in ("missing", "partial")]
    code, data = audit_json(SAMPLE, "--fail-on", "warning")
    assert data["summary"]["errors_failing"] == len(warn_missing)
    assert code == (1 if warn_missing else 0)
    code, data = audit_json(TOWNSHIP, "--fail-on", "info")
    failing_any = [r for r in data["results"] if r["status"] in ("missing", "partial")]
    assert code == (1 if failing_any else 0)


def test_fail_under_gates_on_the_coverage_figure(expected):
    cov = expected[SAMPLE].summary.coverage
    code, data = audit_json(SAMPLE, "--fail-under", str(cov))
    assert code == 0  # at the threshold passes
    code, data = audit_json(SAMPLE, "--fail-under", str(min(100, cov + 0.1)))
    if cov < 100:
        assert code == 1 and data["summary"]["exit_status"] == 1
        assert any("fail-under" in n for n in data["meta"]["notes"])
    terminal = invoke("audit", SAMPLE, "--fail-under", "100", "--no-config")
    assert terminal.exit_code == (1 if cov < 100 else 0)
    if cov < 100:
        assert "覆盖率低于门槛（退出码 1）" in terminal.stdout and "必备要素齐全" not in terminal.stdout
        matrix = invoke("audit", SAMPLE, SAMPLE.parent / "township-2022-causes.txt", "--fail-under", "100", "--no-config")
        assert "✘ 低于门槛" in matrix.stdout
    assert invoke("audit", SAMPLE, "--fail-under", "101").exit_code == 2


def test_profile_and_level_options():
    _, data = audit_json(SAMPLE, "--profile", "outline-2015", "--level", "township")
    assert data["profile"] == "outline-2015" and data["level"] == "township"
    assert data["meta"]["level_reason"] == "由 --level 指定"
    assert all(not r["id"].startswith("outline-2021-") for r in data["results"])
    assert invoke("audit", SAMPLE, "--profile", "outline-2099").exit_code == 2
    assert invoke("audit", SAMPLE, "--level", "village").exit_code == 2


def test_rules_option_points_at_another_registry(tmp_path):
    root = tmp_path / "rules"
    (root / "profiles").mkdir(parents=True)
    shutil.copy(Path(__file__).resolve().parents[1] / "rules" / "named.yaml", root / "named.yaml")
    (root / "profiles" / "only-named.yaml").write_text(
        "id: only-named\ntitle: 只查必备要素\nedition: outline-2021\nyears: [2015, 2030]\n"
        "cites: [inspection-2019]\nfiles: [named.yaml]\ngroups:\n  - {id: report, title: 必备内容}\n"
        "  - {id: leadership, title: 领导}\n  - {id: enforcement, title: 执法}\n  - {id: decisions, title: 决策}\n",
        encoding="utf-8")
    _, data = audit_json(SAMPLE, "--rules", root)
    assert data["profile"] == "only-named"
    assert {r["id"] for r in data["results"]} == {"first-responsible-duty", "three-systems", "legal-adviser-coverage",
                                                  "shortcomings-section", "achievements-section", "next-year-plan",
                                                  "other-matters"}
    assert invoke("audit", SAMPLE, "--rules", tmp_path / "nowhere").exit_code == 2


def test_help_lists_every_option():
    out = invoke("audit", "--help").stdout
    for opt in ("--format", "--output", "--profile", "--level", "--rules", "--select", "--ignore", "--severity",
                "--fail-on", "--fail-under", "--waivers", "--config", "--no-config", "--jobs", "--sort", "--details"):
        assert opt in out, opt


def test_progress_bar_on_a_terminal_counts_the_reports(expected):
    from rich.console import Console

    from checker.command import _Progress

    out = io.StringIO()
    progress = _Progress(Console(file=out, force_terminal=True, width=100))
    progress.start(2)
    progress.done(expected[SAMPLE])
    progress.done(expected[NO_THREE])
    progress.stop()
    shown = out.getvalue()
    assert "检查报告" in shown and "2/2" in shown and NO_THREE.name in shown
    quiet = io.StringIO()
    single = _Progress(Console(file=quiet, force_terminal=True))
    single.start(1)  # one report: no bar
    single.stop()
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    not_a_terminal = _Progress(Console(file=piped, force_terminal=False))
    not_a_terminal.start(5)
    not_a_terminal.stop()
    assert piped.getvalue() == ""
