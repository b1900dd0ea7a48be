"""The registry: the shipped rules load, bad rule files are explained, profiles follow the year."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from checker.errors import RegistryError, UsageError
from checker.rules import all_terms, load_registry, load_rule_file

ROOT = Path(__file__).resolve().parents[1] / "rules"
NAMED = ["first-responsible-duty", "three-systems", "legal-adviser-coverage",
         "shortcomings-section", "achievements-section", "next-year-plan"]


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT)


def test_shipped_registry_has_both_editions_and_the_named_rules(registry):
    assert {"outline-2021", "outline-2015"} <= set(registry.profiles)
    for prof in ("outline-2021", "outline-2015"):
        ids = {r.id for r in registry.rules_for(prof)}
        assert set(NAMED) <= ids
        for rid in NAMED:
            assert registry.rules[prof][rid].severity == "error"


def test_every_rule_speaks_chinese_to_the_drafter(registry):
    for rule in registry.all_rules().values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title), rule.id
        if rule.severity != "info":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.hint), f"{rule.id} has no Chinese hint"
        assert rule.refs, f"{rule.id} cites no clause"


def test_registry_terms_feed_the_user_dictionary(registry):
    terms = all_terms(registry)
    for term in ("三项制度", "法律顾问", "第一责任人"):
        assert term in terms


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "draft.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD = """\
rules:
  - id: demo-rule
    title: 示例
    refs: [outline-2021:15]
    hint: 写明示例。
    check:
      concepts:
        a: {any: [示例]}
"""


def test_a_valid_draft_loads(tmp_path):
    rules = load_rule_file(_write(tmp_path, GOOD))
    assert rules[0].id == "demo-rule"
    assert rules[0].severity == "warning"  # default


@pytest.mark.parametrize(
    "mutation, expected",
    [
        (("fuzzy: 0", "fuzzy: 180"), ["draft.yaml", "rule demo-rule", "check.concepts.a.fuzzy"]),
        (("refs: [outline-2021:15]", "refs: [article 15]"), ["rule demo-rule", "refs", "article 15"]),
        (("fuzzy: 0}", "fuzzy: 0, regex: ['(unclosed']}"), ["rule demo-rule", "check.concepts.a.regex", "invalid regex"]),
        (("hint: 写明示例。", "hint: 写明示例。\n    severity: fatal"), ["rule demo-rule", "severity"]),
        (("hint: 写明示例。", "hint: 写明示例。\n    colour: red"), ["rule demo-rule", "colour"]),
        (("id: demo-rule", "id: Demo Rule"), ["rule Demo Rule", "id"]),
    ],
)
def test_bad_drafts_are_explained_by_file_rule_and_field(tmp_path, mutation, expected):
    body = GOOD.replace("a: {any: [示例]}", "a: {any: [示例], fuzzy: 0}")
    old, new = mutation
    assert old in body
    with pytest.raises(RegistryError) as err:
        load_rule_file(_write(tmp_path, body.replace(old, new, 1)))
    message = str(err.value)
    for piece in expected:
        assert piece in message, message


def test_condition_naming_an_unknown_concept_is_rejected(tmp_path):
    body = GOOD + "      covered:\n        - {all: [a, b]}\n"
    with pytest.raises(RegistryError, match=r"demo-rule.*unknown concept 'b'"):
        load_rule_file(_write(tmp_path, body))


def test_duplicate_ids_and_broken_yaml(tmp_path):
    dup = GOOD + GOOD.split("rules:\n", 1)[1]
    with pytest.raises(RegistryError, match="duplicate id"):
        load_rule_file(_write(tmp_path, dup))
    with pytest.raises(RegistryError, match="YAML error"):
        load_rule_file(_write(tmp_path, "rules:\n  - id: [unclosed\n"))


@pytest.mark.parametrize(
    "year, profile, says",
    [
        (2020, "outline-2015", "2015"),
        (2016, "outline-2015", "2015"),
        (2021, "outline-2021", "2021"),
        (2025, "outline-2021", "2021"),
        (2027, "outline-2021", "晚于"),
        (2012, "outline-2015", "早于"),
        (None, "outline-2021", "未识别"),
    ],
)
def test_profile_follows_the_reported_year(registry, year, profile, says):
    prof, reason = registry.select_profile(year)
    assert prof.id == profile
    assert says in reason


def test_unknown_profile_is_a_usage_error(registry):
    with pytest.raises(UsageError, match="outline-2099"):
        registry.profile("outline-2099")


def test_a_new_edition_is_only_yaml(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(ROOT, root)
    (root / "outline-2026.yaml").write_text(GOOD, encoding="utf-8")
    (root / "profiles" / "outline-2026.yaml").write_text(
        "id: outline-2026\ntitle: 新纲要\nedition: outline-2026\nyears: [2026, 2030]\n"
        "cites: [outline-2026]\nfiles: [named.yaml, outline-2026.yaml]\n",
        encoding="utf-8",
    )
    reg = load_registry(root)
    prof, _ = reg.select_profile(2027)
    assert prof.id == "outline-2026"
    assert "demo-rule" in reg.rules["outline-2026"]
    assert reg.select_profile(2023)[0].id == "outline-2021"


def test_profile_naming_a_missing_rule_file_is_explained(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(ROOT, root)
    prof = root / "profiles" / "outline-2021.yaml"
    prof.write_text(prof.read_text(encoding="utf-8").replace("- named.yaml", "- named.yaml\n  - nowhere.yaml"), encoding="utf-8")
    with pytest.raises(RegistryError, match="nowhere.yaml"):
        load_registry(root)


def test_a_yaml_alias_between_rules_is_refused(tmp_path):
    from checker.errors import RegistryError
    from checker.rules import load_rule_file
    path = tmp_path / "alias.yaml"
    path.write_text(
        "rules:\n"
        "  - id: a\n    title: 甲\n    check:\n      concepts:\n"
        "        x:\n          any: [公示]\n          not_near: &veto\n            any: [名单]\n"
        "  - id: b\n    title: 乙\n    check:\n      concepts:\n"
        "        y:\n          any: [公开]\n          not_near: *veto\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="alias"):
        load_rule_file(path)


def _copy_rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(ROOT, root)
    return root


def _replace_field(path: Path, rule_id: str, field: str, value: str) -> None:
    """Set one rule's example or counter-example (the first such line after its id)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {rule_id}")
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith(f"{field}:"):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = f"{indent}{field}: \"{value}\"\n"
            break
    else:
        raise AssertionError(f"{rule_id} has no {field}")
    path.write_text("".join(lines), encoding="utf-8")


def test_a_rule_whose_example_does_not_match_makes_the_registry_refuse_to_load(tmp_path):
    from checker import nlp
    from checker.rules import cached_registry

    try:
        nlp.check_model()
    except Exception:
        pytest.skip("the pkuseg model is not installed")
    root = _copy_rules(tmp_path)
    # a sentence about something else entirely: the rule cannot cover it
    _replace_field(root / "named.yaml", "three-systems", "example", "本年度全区气温偏高，降水偏少。")
    with pytest.raises(RegistryError) as err:
        cached_registry(str(root))
    msg = str(err.value)
    assert "named.yaml" in msg and "rule three-systems" in msg and "example" in msg
    # the shipped registry, unbroken, loads
    assert cached_registry(str(ROOT)).all_rules()


def test_a_counter_example_that_counts_makes_the_registry_refuse_to_load(tmp_path):
    from checker import nlp
    from checker.rules import cached_registry, load_registry

    try:
        nlp.check_model()
    except Exception:
        pytest.skip("the pkuseg model is not installed")
    root = _copy_rules(tmp_path)
    example = load_registry(ROOT).all_rules()["three-systems"].example
    _replace_field(root / "named.yaml", "three-systems", "counter_example", example)
    with pytest.raises(RegistryError) as err:
        cached_registry(str(root))
    msg = str(err.value)
    assert "named.yaml" in msg and "rule three-systems" in msg and "counter_example" in msg
