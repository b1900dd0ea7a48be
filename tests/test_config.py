"""Configuration: [tool.checker] or checker.toml found upward from each report, every key
validated with file and key named, the command line over the config."""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.config import ConfigError, Overrides, Resolver, apply_overrides, find_config, load_config

from conftest import CORPUS

runner = CliRunner()
SAMPLE = CORPUS / "sample-county-2023.txt"
NO_THREE = CORPUS / "district-2024-no-three-systems.txt"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def write(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def audit(path, *args):
    result = invoke("audit", path, "--format", "json", *args)
    return result, (json.loads(result.stdout) if result.stdout else None)


@pytest.fixture
def project(tmp_path):
    """A reviewer's folder: reports two levels below a config file."""
    reports = tmp_path / "2024" / "county"
    reports.mkdir(parents=True)
    shutil.copy(SAMPLE, reports / "sample.txt")
    shutil.copy(NO_THREE, reports / "district.txt")
    return tmp_path


def test_checker_toml_is_found_upward_and_wins_over_pyproject_in_the_same_folder(project):
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    report = project / "2024" / "county" / "sample.txt"
    assert find_config(report) is None  # a pyproject.toml without [tool.checker] is not a config
    write(project / "pyproject.toml", '[tool.checker]\nprofile = "outline-2015"\n')
    assert find_config(report) == project / "pyproject.toml"
    write(project / "2024" / "checker.toml", 'level = "township"\n')
    assert find_config(report) == project / "2024" / "checker.toml"  # nearer wins
    write(project / "2024" / "pyproject.toml", '[tool.checker]\nlevel = "city"\n')
    assert find_config(report) == project / "2024" / "checker.toml"  # checker.toml first in a folder


def test_pyproject_tool_checker_applies_to_the_audit(project):
    write(project / "pyproject.toml", """\
        [tool.checker]
        profile = "outline-2015"
        level = "township"
        ignore = ["other-matters"]

        [tool.checker.severity]
        three-systems = "warning"
        """)
    result, data = audit(project / "2024" / "county" / "district.txt")
    assert data["profile"] == "outline-2015" and data["level"] == "township"
    assert "other-matters" not in {r["id"] for r in data["results"]}
    three = next(r for r in data["results"] if r["id"] == "three-systems")
    assert three["severity"] == "warning" and three["status"] == "missing"
    assert result.exit_code == (1 if data["summary"]["errors_failing"] else 0)


def test_select_and_fail_on_from_checker_toml(project):
    write(project / "checker.toml", 'select = ["three-systems", "shortcomings-section"]\n')
    result, data = audit(project / "2024" / "county" / "sample.txt")
    assert sorted(r["id"] for r in data["results"]) == ["shortcomings-section", "three-systems"]
    # the sample passes on error-level rules but misses some warnings: fail-on = "warning" fails it
    write(project / "checker.toml", 'fail-on = "warning"\n')
    result, data = audit(project / "2024" / "county" / "sample.txt")
    weak = [r for r in data["results"] if r["severity"] in ("error", "warning") and r["status"] in ("missing", "partial")]
    assert weak and data["summary"]["errors_failing"] == len(weak)
    assert result.exit_code == 1
    assert audit(project / "2024" / "county" / "sample.txt", "--fail-on", "error")[0].exit_code == 0


def test_fail_under_from_config_and_the_command_line_overrides_it(project):
    write(project / "checker.toml", "fail-under = 100\n")
    report = project / "2024" / "county" / "sample.txt"
    result, data = audit(report)
    assert data["summary"]["errors_failing"] == 0
    assert result.exit_code == (1 if data["summary"]["coverage"] < 100 else 0)
    assert data["summary"]["coverage"] < 100, "the sample report is expected to miss at least one warning"
    result, data = audit(report, "--fail-under", "50")
    assert result.exit_code == 0
    result, data = audit(report, "--no-config")
    assert result.exit_code == 0 and not any("fail-under" in n for n in data["meta"]["notes"])


def test_explicit_config_file_replaces_the_search(project, tmp_path):
    write(project / "checker.toml", 'profile = "outline-2015"\n')
    other = write(tmp_path / "elsewhere" / "strict.toml", 'level = "city"\n')
    result, data = audit(project / "2024" / "county" / "sample.txt", "--config", other)
    assert data["level"] == "city" and data["profile"] == "outline-2021"  # the found file is not read
    pyproject = write(tmp_path / "elsewhere" / "pyproject.toml", '[tool.checker]\nlevel = "province"\n')
    result, data = audit(project / "2024" / "county" / "sample.txt", "--config", pyproject)
    assert data["level"] == "province"
    result, _ = audit(SAMPLE, "--config", write(tmp_path / "e2" / "pyproject.toml", "[project]\n"))
    assert result.exit_code == 2 and "没有 [tool.checker]" in result.stderr


def test_command_line_options_override_config_keys(project):
    write(project / "checker.toml", """\
        profile = "outline-2015"
        select = ["three-systems"]
        [severity]
        three-systems = "warning"
        """)
    report = project / "2024" / "county" / "district.txt"
    _, data = audit(report, "--profile", "outline-2021", "--select", "three-systems,next-year-plan",
                    "--severity", "next-year-plan=info")
    assert data["profile"] == "outline-2021"
    assert {r["id"]: r["severity"] for r in data["results"]} == {"three-systems": "warning", "next-year-plan": "info"}


def test_each_report_gets_the_config_above_it(tmp_path):
    for sub, level in (("a", "township"), ("b", "city")):
        write(tmp_path / sub / "checker.toml", f'level = "{level}"\n')
        shutil.copy(SAMPLE, tmp_path / sub / "r.txt")
    result = invoke("audit", tmp_path / "a" / "r.txt", tmp_path / "b" / "r.txt", "--format", "jsonl")
    levels = [json.loads(line)["level"] for line in result.stdout.splitlines()]
    assert levels == ["township", "city"]


@pytest.mark.parametrize(
    "body, says",
    [
        ('colour = "red"\n', "未知的配置项 colour"),
        ('level = "village"\n', "level: 未知的层级 village"),
        ('fail-on = "fatal"\n', "fail-on: 只能是 error/warning/info"),
        ("fail-under = 120\n", "fail-under: 应当是 0–100"),
        ('fail-under = "80"\n', "fail-under: 应当是 0–100"),
        ("select = 3\n", "select: 应当是规则编号的列表"),
        ('[severity]\nthree-systems = "fatal"\n', "severity.three-systems: 级别只能是"),
        ("level = \n", "TOML 格式错误"),
    ],
)
def test_bad_config_is_explained_with_file_and_key(tmp_path, body, says):
    path = write(tmp_path / "checker.toml", body)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and says in str(err.value)
    shutil.copy(SAMPLE, tmp_path / "r.txt")
    result = invoke("audit", tmp_path / "r.txt")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and says in result.stderr


def test_unknown_rule_or_profile_in_config_names_the_file(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "r.txt")
    write(tmp_path / "pyproject.toml", '[tool.checker]\nignore = ["three-sytems"]\n')
    result = invoke("audit", tmp_path / "r.txt")
    assert result.exit_code == 2
    assert "pyproject.toml: [tool.checker]: ignore: 没有编号为 three-sytems 的规则" in result.stderr
    write(tmp_path / "pyproject.toml", '[tool.checker]\nprofile = "outline-2099"\n')
    result = invoke("audit", tmp_path / "r.txt")
    assert result.exit_code == 2 and "pyproject.toml" in result.stderr and "outline-2099" in result.stderr


def test_no_config_ignores_a_broken_config(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "r.txt")
    write(tmp_path / "checker.toml", "colour = 1\n")
    assert invoke("audit", tmp_path / "r.txt").exit_code == 2
    assert invoke("audit", tmp_path / "r.txt", "--no-config").exit_code == 0


def test_waivers_path_is_relative_to_the_config_file(tmp_path):
    path = write(tmp_path / "cfg" / "checker.toml", 'waivers = "decisions/waivers.yaml"\n')
    assert load_config(path).waivers == (tmp_path / "cfg" / "decisions" / "waivers.yaml").resolve()


def test_overrides_merge_severity_and_keep_the_rest(tmp_path):
    base = load_config(write(tmp_path / "checker.toml", """\
        ignore = ["a"]
        fail-under = 70
        [severity]
        x = "info"
        y = "warning"
        """))
    merged = apply_overrides(base, Overrides(severity={"y": "error"}, fail_on="warning"))
    assert merged.options.severity == {"x": "info", "y": "error"}
    assert merged.options.ignore == ["a"] and merged.fail_under == 70 and merged.fail_on == "warning"
    assert Resolver(use_config=False).settings(tmp_path / "r.txt").options.ignore == []
