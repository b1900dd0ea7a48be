"""形式审查: checks as data, findings on real texts the project wrote, and how they
interact with coverage, fail-on, select/ignore and waivers."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.lint import CheckError, load_checks
from checker.lint.engine import text_findings
from conftest import CORPUS, REPO, SEEDS

LINT = CORPUS / "lint"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [*map(str, args), "--no-config"])


@pytest.fixture(scope="module")
def checks():
    return load_checks(REPO / "rules")


def test_every_check_has_examples_that_fire_and_that_do_not(checks):
    assert len(checks.checks) >= 25
    for c in checks.checks.values():
        if c.compare in ("copy-previous", "copy-batch"):
            continue
        assert c.fire and c.passes, c.id
        assert c.message and c.severity in ("error", "warning", "info")


def test_a_check_whose_example_does_not_fire_stops_the_registry_loading(tmp_path):
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    bad = {"checks": [{"id": "term-demo", "message": "示例", "severity": "warning",
                       "substitute": {"pattern": "法制政府", "expected": "法治政府"},
                       "fire": ["建设法治政府"], "pass": ["建设法治政府"]}]}
    (tmp_path / "rules" / "checks" / "zz-bad.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CheckError, match="term-demo"):
        load_checks(tmp_path / "rules")


def test_a_suggested_replacement_is_checked_against_the_example(tmp_path):
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    bad = {"checks": [{"id": "term-demo", "message": "示例", "severity": "warning",
                       "substitute": {"pattern": "法制政府", "expected": "法制的政府"},
                       "fire": [{"text": "建设法制政府", "to": "建设法治政府"}], "pass": ["建设法治政府"]}]}
    (tmp_path / "rules" / "checks" / "zz-bad.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CheckError, match="改正后"):
        load_checks(tmp_path / "rules")


@pytest.mark.parametrize("phrase", ["完善领导干部学法制度", "健全行政执法制度", "落实重大执法决定法制审核制度",
                                    "推进法治政府建设", "严格履行推进法治建设第一责任人职责"])
def test_fixed_terms_are_phrase_specific(checks, phrase):
    for c in checks.checks.values():
        if c.kind != "compare":
            assert not text_findings(c, phrase), (c.id, phrase)


def _expected():
    return yaml.safe_load((LINT / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(_expected()))
def test_lint_corpus(auditor, name):
    want = _expected()[name]
    report = auditor.audit_path(LINT / name)
    fired = {f.check for f in report.findings}
    assert set(want["fire"]) <= fired, set(want["fire"]) - fired
    if want["quiet"] == "all":
        assert not report.findings, [(f.check, f.text) for f in report.findings]
    else:
        assert not fired & set(want["quiet"])


def test_findings_point_into_the_normalised_text_with_their_replacement(auditor):
    from checker import ingest

    path = LINT / "county-2023-form-defects.txt"
    text = ingest.read(path).text
    report = auditor.audit_path(path)
    for f in report.findings:
        assert text[f.start:f.end] == f.text
    fixed = {f.text: f.replacement for f in report.findings if f.replacement}
    assert fixed["法制政府"] == "法治政府"
    assert fixed["法治中国建设规划(2021—2025年)"] == "法治中国建设规划（2020—2025年）"
    assert any(f.check == "law-repealed" and "民法典" in (f.replacement or "") for f in report.findings)


def test_findings_never_change_coverage(auditor):
    from checker.pipeline import Options

    path = LINT / "county-2023-form-defects.txt"
    with_checks = auditor.audit_path(path)
    ids = [c for c in auditor.checks.ids()]
    without = auditor.audit_path(path, Options(ignore=ids))
    assert with_checks.findings and not without.findings
    assert [(r.id, r.status) for r in with_checks.results] == [(r.id, r.status) for r in without.results]
    assert with_checks.summary == without.summary


def test_json_keeps_its_keys_and_adds_findings():
    out = invoke("audit", LINT / "county-2023-form-defects.txt", "--format", "json")
    data = json.loads(out.stdout)
    assert {"file", "profile", "results", "summary", "meta"} <= set(data)
    assert any(f["check"] == "term-fazhi-government" and f["replacement"] == "法治政府" for f in data["findings"])


def test_an_error_finding_fails_the_run_and_ignore_or_a_waiver_lets_it_pass(tmp_path):
    path = tmp_path / "r.txt"
    shutil.copy(LINT / "county-2023-form-defects.txt", path)
    only = ("--select", "term-fazhi-government")  # no coverage rule selected: only the check decides
    assert invoke("audit", path, *only).exit_code == 1
    assert invoke("audit", path, "--select", "term-fazhi-review").exit_code == 0  # a warning
    assert invoke("audit", path, "--select", "term-fazhi-review", "--fail-on", "warning").exit_code == 1
    waivers = tmp_path / "w.yaml"
    waivers.write_text(yaml.safe_dump({"waivers": [{"rule": "term-fazhi-government", "report": "r.txt",
                                                   "reason": "原文如此，已另函说明", "by": "审核人"}]},
                                      allow_unicode=True), encoding="utf-8")
    out = invoke("audit", path, *only, "--waivers", waivers, "--format", "json")
    assert out.exit_code == 0
    assert all(f["waiver"] for f in json.loads(out.stdout)["findings"])


def test_an_unknown_check_id_is_a_usage_error():
    out = invoke("audit", LINT / "county-2023-form-clean.txt", "--ignore", "no-such-check")
    assert out.exit_code == 2


def test_terminal_and_html_show_the_findings():
    path = LINT / "county-2023-form-defects.txt"
    term = invoke("audit", path)
    assert "形式审查" in term.stdout and "法治政府" in term.stdout
    html = invoke("audit", path, "--format", "html")
    assert '<mark class="lint"' in html.stdout and "形式审查" in html.stdout
    md = invoke("audit", path, "--format", "markdown")
    assert "### 形式审查" in md.stdout and "`term-fazhi-government`" in md.stdout
    clean = invoke("audit", LINT / "county-2023-form-clean.txt")
    assert "形式审查（" not in clean.stdout


def test_late_publication_with_published(tmp_path):
    path = LINT / "county-2023-form-clean.txt"
    late = json.loads(invoke("audit", path, "--published", "2024-04-20", "--format", "json").stdout)
    on_time = json.loads(invoke("audit", path, "--published", "2024-03-20", "--format", "json").stdout)
    assert [f["check"] for f in late["findings"]] == ["publication-date"]
    assert on_time["findings"] == []
    assert invoke("audit", path, "--published", "April").exit_code == 2


@pytest.mark.seeds
def test_seeds_have_no_error_finding_without_a_fix():
    """On real reports an error-level finding is a mangled title, a wrong fixed term or
    template debris: each carries the text that should stand there, or is a placeholder."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    out = invoke("audit", SEEDS, "--format", "jsonl")
    for line in out.stdout.splitlines():
        for f in json.loads(line).get("findings", []):
            if f["severity"] == "error":
                assert f["replacement"] or f["check"].startswith("placeholder"), f
                assert f["replacement"] != f["text"]


def test_rules_check_reports_a_broken_check(tmp_path):
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    bad = {"checks": [{"id": "term-demo", "message": "示例", "severity": "fatal", "pattern": "x",
                       "fire": ["x"], "pass": ["y"]}]}
    (tmp_path / "rules" / "checks" / "zz-bad.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    out = runner.invoke(app, ["rules", "check", "--no-examples", str(tmp_path / "rules")])
    assert out.exit_code == 1 and "term-demo" in out.stdout and "severity" in out.stdout


def test_days_in_a_month_are_the_calendars():
    import calendar

    from checker.lint.compare import _days_in

    assert all(_days_in(y, m) == calendar.monthrange(y, m)[1] for y in range(1, 2501) for m in range(1, 13))
