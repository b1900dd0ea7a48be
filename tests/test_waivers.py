"""Waivers: a reviewer's recorded decisions. A waived result shows as waived with its
reason and does not fail; an expired waiver is ignored with a warning."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.batch import finish
from checker.cli import app
from checker.config import Settings
from checker.pipeline import Options
from checker.waivers import WaiverError, apply_waivers, load_waivers

from conftest import CORPUS

runner = CliRunner()
NO_THREE = CORPUS / "district-2024-no-three-systems.txt"
SAMPLE = CORPUS / "sample-county-2023.txt"
TODAY = dt.date(2025, 6, 1)


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def write(path: Path, body: str) -> Path:
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def failing(auditor):
    """A real report that fails, and the error-level rules that make it fail."""
    report = auditor.audit_path(NO_THREE, Options())
    ids = [r.id for r in report.results if r.severity == "error" and r.status in ("missing", "partial")]
    assert report.summary.exit_status == 1 and "three-systems" in ids
    return report, ids


def waiver_yaml(tmp_path: Path, entries: list[dict]) -> Path:
    lines = ["waivers:"]
    for e in entries:
        lines.append(f"  - rule: {e['rule']}")
        for key in ("report", "reason", "by", "until"):
            if key in e:
                lines.append(f"    {key}: {e[key]}")
    return write(tmp_path / "waivers.yaml", "\n".join(lines) + "\n")


def test_waiving_every_failing_rule_lets_the_report_pass(failing, tmp_path):
    report, ids = failing
    path = waiver_yaml(tmp_path, [
        {"rule": rid, "report": str(NO_THREE), "reason": "执法权已划转综合执法局", "by": "张三", "until": "2026-12-31"}
        for rid in ids
    ])
    before = report.summary
    warnings = finish(report, Settings(), load_waivers(path), TODAY)
    assert warnings == []
    waived = [r for r in report.results if r.status == "waived"]
    assert [r.id for r in waived] == ids
    three = next(r for r in waived if r.id == "three-systems")
    assert three.waiver == {"reason": "执法权已划转综合执法局", "by": "张三", "until": "2026-12-31",
                            "was": "missing", "source": "waivers.yaml #%d" % (ids.index("three-systems") + 1)}
    s = report.summary
    assert s.waived == len(ids) and s.errors_failing == 0 and s.exit_status == 0
    # waived results are not counted as missing, and leave the coverage denominator
    assert s.missing + s.partial == before.missing + before.partial - len(ids)
    assert s.coverage >= before.coverage


def test_a_waiver_by_content_hash_follows_the_report_wherever_it_is(failing, tmp_path):
    report, _ids = failing
    moved = tmp_path / "renamed.txt"
    shutil.copy(NO_THREE, moved)
    path = waiver_yaml(tmp_path, [{"rule": "three-systems", "report": report.sha256.upper(), "reason": "已核实"}])
    result = invoke("audit", moved, "--waivers", path, "--format", "json", "--no-config")
    data = json.loads(result.stdout)
    three = next(r for r in data["results"] if r["id"] == "three-systems")
    assert three["status"] == "waived" and three["waiver"]["reason"] == "已核实"
    assert data["summary"]["waived"] == 1


def test_a_waiver_for_another_report_does_not_apply(failing, tmp_path):
    report, _ids = failing
    path = waiver_yaml(tmp_path, [{"rule": "three-systems", "report": str(SAMPLE), "reason": "别的报告"},
                                  {"rule": "three-systems", "report": "'%s'" % ("0" * 64), "reason": "别的哈希"}])
    finish(report, Settings(), load_waivers(path), TODAY)
    assert all(r.status != "waived" for r in report.results)


def test_an_expired_waiver_is_ignored_with_a_warning(failing, tmp_path):
    report, _ids = failing
    path = waiver_yaml(tmp_path, [{"rule": "three-systems", "report": str(NO_THREE), "reason": "临时", "until": "2025-05-31"}])
    warnings = finish(report, Settings(), load_waivers(path), TODAY)
    assert next(r for r in report.results if r.id == "three-systems").status == "missing"
    assert report.summary.exit_status == 1
    assert len(warnings) == 1 and "2025-05-31 到期" in warnings[0] and "three-systems" in warnings[0]
    assert warnings[0] in report.notes
    # valid through the day it names
    assert load_waivers(path)[0].expired(dt.date(2025, 5, 31)) is False


def test_expired_waiver_on_the_command_line_warns_on_stderr(tmp_path):
    path = waiver_yaml(tmp_path, [{"rule": "three-systems", "report": str(NO_THREE), "reason": "临时", "until": "2020-01-01"}])
    result = invoke("audit", NO_THREE, "--waivers", path, "--format", "json", "--no-config")
    assert result.exit_code == 1
    assert "checker: 警告：" in result.stderr and "2020-01-01 到期" in result.stderr
    assert any("到期" in n for n in json.loads(result.stdout)["meta"]["notes"])


def test_waived_rows_show_in_every_view(tmp_path):
    path = waiver_yaml(tmp_path, [{"rule": "three-systems", "report": str(NO_THREE), "reason": "执法权已划转", "by": "李四"}])
    term = runner.invoke(app, ["audit", str(NO_THREE), "--waivers", str(path), "--no-config"], env={"COLUMNS": "200"})
    assert "⊘ 已豁免" in term.stdout and "⊘ 豁免：执法权已划转，李四" in term.stdout
    md = invoke("audit", NO_THREE, "--waivers", path, "--format", "markdown", "--no-config")
    assert "⊘ 已豁免" in md.stdout and "⊘ 豁免：执法权已划转，李四" in md.stdout
    csv = invoke("audit", NO_THREE, "--waivers", path, "--format", "csv", "--no-config")
    row = next(line for line in csv.stdout.splitlines() if ",three-systems," in line)
    assert ",已豁免," in row and "执法权已划转" in row
    html = invoke("audit", NO_THREE, "--waivers", path, "--format", "html", "--no-config")
    assert "已豁免（原为缺失）：执法权已划转，李四" in html.stdout


def test_a_waiver_for_a_covered_result_is_noted_and_unused(auditor, tmp_path):
    report = auditor.audit_path(SAMPLE, Options())
    assert next(r for r in report.results if r.id == "three-systems").status == "covered"
    path = waiver_yaml(tmp_path, [{"rule": "three-systems", "report": str(SAMPLE), "reason": "多余"},
                                  {"rule": "no-such-rule", "report": str(SAMPLE), "reason": "打错了"}])
    warnings = apply_waivers(report, load_waivers(path), TODAY)
    assert next(r for r in report.results if r.id == "three-systems").status == "covered"
    assert any("豁免未使用：three-systems" in n and "已覆盖" in n for n in report.notes)
    assert len(warnings) == 1 and "no-such-rule" in warnings[0]


def test_relative_report_paths_are_read_from_the_waivers_file(tmp_path):
    (tmp_path / "decisions").mkdir()
    path = write(tmp_path / "decisions" / "w.yaml", """\
        waivers:
          - rule: three-systems
            report: ../reports/a.txt
            reason: 已核实
        """)
    assert load_waivers(path)[0].report == str((tmp_path / "reports" / "a.txt").resolve())


@pytest.mark.parametrize(
    "body, says",
    [
        ("waivers:\n  - rule: a\n    report: r.txt\n", "#1 (a): reason: 必填"),
        ("waivers:\n  - report: r.txt\n    reason: x\n", "#1: rule: 必填"),
        ("waivers:\n  - {rule: a, report: r.txt, reason: x, who: y}\n", "未知的字段 who"),
        ("waivers:\n  - {rule: a, report: r.txt, reason: x, until: soon}\n", "until: 应当是日期"),
        ("waivers:\n  - {rule: a, report: %s, reason: x}\n" % ("1" * 64), "report: 应当是路径或 sha256，请加引号"),
        ("waivers:\n  - {rule: a, report: r.txt, reason: x}\n  - just a string\n", "#2: 每一条应当是"),
        ("rule: a\n", "应当只有一个 waivers: 列表"),
        ("waivers: [\n", "YAML 格式错误"),
    ],
)
def test_bad_waiver_files_are_explained(tmp_path, body, says):
    path = write(tmp_path / "w.yaml", body)
    with pytest.raises(WaiverError) as err:
        load_waivers(path)
    assert str(path) in str(err.value) and says in str(err.value)
    result = invoke("audit", SAMPLE, "--waivers", path, "--no-config")
    assert result.exit_code == 2 and result.stderr.startswith("checker: ") and says in result.stderr


def test_waivers_file_named_in_config(tmp_path):
    shutil.copy(NO_THREE, tmp_path / "r.txt")
    waiver_yaml(tmp_path, [{"rule": "three-systems", "report": "r.txt", "reason": "已核实"}])
    write(tmp_path / "checker.toml", 'waivers = "waivers.yaml"\n')
    data = json.loads(invoke("audit", tmp_path / "r.txt", "--format", "json").stdout)
    assert next(r for r in data["results"] if r["id"] == "three-systems")["status"] == "waived"


def test_an_empty_waivers_file_is_no_waivers(tmp_path):
    assert load_waivers(write(tmp_path / "w.yaml", "")) == []
