"""The rules, browsable: `checker rules` (filters), `rules show ID`, `rules check [FILES]`."""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.browse import parse_registry_error
from checker.cli import app
from checker.rules import load_registry

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1] / "rules"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT)


def listed(*args) -> list[dict]:
    result = invoke("rules", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rules_lists_every_rule_with_its_fields(registry):
    rows = listed()
    assert {r["id"] for r in rows} == set(registry.all_rules())
    three = next(r for r in rows if r["id"] == "three-systems")
    assert three["severity"] == "error" and "outline-2021:15" in three["refs"]
    assert three["group"] == "enforcement" and set(three["profiles"]) == set(registry.profiles)
    table = invoke("rules").stdout
    for rid in ("three-systems", "first-responsible-duty", "legal-adviser-coverage"):
        assert rid in table
    assert "必备" in table and "行政执法三项制度" in table
    assert f"{len(rows)} 条规则" in table


def test_rules_checks_lists_every_form_check_the_audit_runs(registry):
    from checker.lint import load_checks

    checks = load_checks(ROOT, examples=False).checks
    rows = json.loads(invoke("rules", "checks", "-f", "json").stdout)
    assert [r["id"] for r in rows] == list(checks)
    assert all(r["message"] and r["severity"] in ("error", "warning", "info") for r in rows)
    errors = json.loads(invoke("rules", "checks", "--severity", "error", "-f", "json").stdout)
    assert errors and {r["severity"] for r in errors} == {"error"} and len(errors) < len(rows)
    table = invoke("rules", "checks").stdout
    some = next(iter(checks.values()))
    assert some.id in table and some.message in table and f"{len(rows)} 个检查项" in table


def test_rules_filter_by_profile_level_severity_and_group(registry):
    ids_2015 = {r["id"] for r in listed("--profile", "outline-2015")}
    assert ids_2015 == set(registry.rules["outline-2015"])
    assert not any(i.startswith("outline-2021-") for i in ids_2015)
    township = listed("--level", "township")
    assert township and all("township" in r["levels"] for r in township)
    assert len(township) < len(listed())  # some outline tasks are not a township's
    errors = listed("--severity", "error")
    assert errors and all(r["severity"] == "error" for r in errors)
    enforcement = listed("--group", "enforcement", "--profile", "outline-2021")
    assert "three-systems" in {r["id"] for r in enforcement} and all(r["group"] == "enforcement" for r in enforcement)
    # with a profile, the table shows the refs that profile cites, as an audit does
    table = invoke("rules", "--profile", "outline-2015", "--group", "enforcement").stdout
    assert "outline-2015:4.2" in table and "outline-2021:15" not in table


@pytest.mark.parametrize("args, says", [
    (["--profile", "outline-2099"], "outline-2099"),
    (["--level", "village"], "未知的层级"),
    (["--group", "nowhere"], "未知的纲要部分"),
])
def test_rules_bad_filter_is_one_line(args, says):
    result = invoke("rules", *args)
    assert result.exit_code == 2 and result.stderr.startswith("checker: ") and says in result.stderr
    assert invoke("rules", "--severity", "fatal").exit_code == 2


def test_rules_show_explains_a_rule_and_tries_its_example(registry):
    rule = registry.all_rules()["three-systems"]
    result = invoke("rules", "show", "three-systems")
    out = result.stdout
    assert result.exit_code == 0
    for piece in (rule.title, "inspection-2019:25.1", "outline-2021:15", rule.hint[:20], rule.example[:20],
                  rule.counter_example, "行政执法公示", "执法{clause:10}公示", "rules/named.yaml"):
        assert piece in out, piece
    # the example runs through the matcher: covered; the counter-example does not count
    assert "试运行：已覆盖 ✔" in out and "试运行：缺失 ✔" in out


def test_rules_show_a_section_rule_and_without_trying(registry):
    out = invoke("rules", "show", "shortcomings-section").stdout
    assert "须有“存在的不足”部分" in out and "试运行：已覆盖 ✔" in out
    quick = invoke("rules", "show", "three-systems", "--no-try").stdout
    assert "示例：" in quick and "试运行" not in quick


def test_rules_show_without_the_model_still_explains_the_rule(tmp_path):
    result = runner.invoke(app, ["rules", "show", "three-systems"], env={"CHECKER_PKUSEG_MODEL": str(tmp_path)})
    assert result.exit_code == 0
    assert "行政执法公示" in result.stdout and "试运行" not in result.stdout
    assert "不试运行例句：分词模型缺失" in result.stderr


def test_rules_show_unknown_id_suggests_close_ones():
    result = invoke("rules", "show", "three")
    assert result.exit_code == 2 and "three-systems" in result.stderr


def test_rules_check_passes_the_shipped_registry():
    result = invoke("rules", "check")
    assert result.exit_code == 0, result.stdout
    assert "没有发现问题" in result.stdout


DRAFT = """\
rules:
  - id: demo-good
    title: 示例规则
    refs: [outline-2021:15]
    group: enforcement
    hint: 写明示例。
    example: 全面推行示范做法。
    check:
      concepts:
        a: {any: [示范做法]}
  - id: demo-bad
    title: 坏规则
    refs: [article 15]
    severity: fatal
    check:
      concepts:
        a: {any: [示例], fuzzy: 180}
"""


def test_rules_check_explains_each_problem_in_a_draft(tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    result = invoke("rules", "check", path)
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    problems = lines[:-1]
    assert lines[-1].startswith("✘ 3 个问题")
    for field in ("refs", "severity", "check.concepts.a.fuzzy"):
        assert any(line.startswith(f"{path}: rule demo-bad: {field}: ") for line in problems), (field, problems)


def test_rules_check_runs_examples_and_counter_examples(tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(textwrap.dedent("""\
        rules:
          - id: demo-example
            title: 示例规则
            refs: [outline-2021:15]
            group: enforcement
            hint: 写明示例。
            example: 今年没有提到那个词。
            counter_example: 全面推行示范做法。
            check:
              concepts:
                a: {any: [示范做法]}
          - id: demo-group
            title: 示例规则
            refs: [outline-2021:15]
            group: nowhere
            severity: error
            check:
              concepts:
                a: {any: [示范做法]}
        """), encoding="utf-8")
    result = invoke("rules", "check", path)
    assert result.exit_code == 1
    out = result.stdout
    assert f"{path}: rule demo-example: example: " in out and "得到 missing" in out
    assert f"{path}: rule demo-example: counter_example: " in out and "得到 covered" in out
    assert f"{path}: rule demo-group: group: 'nowhere'" in out
    assert f"{path}: rule demo-group: hint: " in out
    quick = invoke("rules", "check", path, "--no-examples")
    assert ": example: " not in quick.stdout and ": counter_example: " not in quick.stdout
    assert quick.exit_code == 1 and "✘ 2 个问题" in quick.stdout


def test_rules_check_a_registry_folder(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(ROOT, root)
    assert invoke("rules", "check", root, "--no-examples").exit_code == 0
    (root / "orphan.yaml").write_text(DRAFT.split("  - id: demo-bad")[0], encoding="utf-8")
    result = invoke("rules", "check", root, "--no-examples")
    assert result.exit_code == 1 and "rules/orphan.yaml: 没有任何 profile 引用这个规则文件" in result.stdout
    named = root / "named.yaml"
    named.write_text(named.read_text(encoding="utf-8").replace("severity: error", "severity: critical", 1), encoding="utf-8")
    result = invoke("rules", "check", root, "--no-examples")
    assert result.exit_code == 1 and "rules/named.yaml: rule first-responsible-duty: severity: " in result.stdout


def test_rules_check_a_missing_file_is_a_usage_error(tmp_path):
    result = invoke("rules", "check", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and result.stderr.startswith("checker: 规则文件不存在")


def test_registry_error_messages_split_into_file_rule_and_field():
    got = parse_registry_error(
        "d.yaml: rule x: check.concepts.a.fuzzy: Input should be ≤ 100; d.yaml: expected a mapping with a 'rules' list")
    assert [(p.file, p.rule, p.field) for p in got] == [("d.yaml", "x", "check.concepts.a.fuzzy"), ("d.yaml", "", "")]
    assert str(got[0]) == "d.yaml: rule x: check.concepts.a.fuzzy: Input should be ≤ 100"


def test_rules_commands_read_another_registry_with_rules_option(tmp_path):
    root = tmp_path / "rules"
    (root / "profiles").mkdir(parents=True)
    shutil.copy(ROOT / "named.yaml", root / "named.yaml")
    (root / "profiles" / "only-named.yaml").write_text(
        "id: only-named\ntitle: 只查必备要素\nedition: outline-2021\nyears: [2015, 2030]\n"
        "cites: [inspection-2019, outline-2021, outline-2015]\nfiles: [named.yaml]\ngroups:\n"
        "  - {id: report, title: 必备内容}\n  - {id: leadership, title: 领导}\n  - {id: enforcement, title: 执法}\n"
        "  - {id: decisions, title: 决策}\n",
        encoding="utf-8")
    ids = {r["id"] for r in listed("--rules", root)}
    assert "three-systems" in ids and not any(i.startswith("outline-") for i in ids)
    assert invoke("rules", "show", "outline-2021-15", "--rules", root, "--no-try").exit_code == 2
    assert "only-named" in invoke("rules", "show", "three-systems", "--rules", root, "--no-try").stdout
    assert invoke("rules", "check", "--rules", root, "--no-examples").exit_code == 0
    # a profile that does not cite an edition hides those refs: said, since a maintainer may not mean it
    prof = root / "profiles" / "only-named.yaml"
    prof.write_text(prof.read_text(encoding="utf-8").replace(", outline-2021, outline-2015", ""), encoding="utf-8")
    hidden = invoke("rules", "check", "--rules", root, "--no-examples")
    assert hidden.exit_code == 1 and "rule three-systems: refs: outline-2021:15 的版本不在所属 profile 的 cites 中" in hidden.stdout
    (root / "named.yaml").write_text("rules: nope\n", encoding="utf-8")
    broken = invoke("rules", "check", "--rules", root, "--no-examples")
    assert broken.exit_code == 1 and "named.yaml: expected a mapping with a 'rules' list" in broken.stdout


def test_rules_list_is_the_listing_with_the_same_filters(registry):
    """`checker rules list` is what `checker rules` lists (a user types the verb)."""
    assert listed("list") == listed()
    assert listed("list", "--profile", "outline-2015", "--severity", "error") == \
        listed("--profile", "outline-2015", "--severity", "error")
    assert {r["id"] for r in listed("list", "--profile", "outline-2015")} == \
        {r.id for r in registry.rules_for("outline-2015")}
    result = invoke("rules", "list", "--level", "galaxy")
    assert result.exit_code == 2 and "Traceback" not in result.output
