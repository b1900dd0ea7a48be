"""Pipeline-level behaviour: the profile follows the reported year, the level decides
which tasks apply, and the headline task figure counts each outline article once."""
from __future__ import annotations

import pytest

from checker.pipeline import Options

from conftest import CORPUS


@pytest.mark.parametrize(
    "name, profile",
    [("county-2019-outline2015.txt", "outline-2015"), ("sample-county-2023.txt", "outline-2021")],
)
def test_profile_follows_the_year_and_refs_follow_the_profile(auditor, name, profile):
    rep = auditor.audit_path(CORPUS / name, Options())
    assert rep.profile == profile
    other = "outline-2021:" if profile == "outline-2015" else "outline-2015:"
    assert not [ref for r in rep.results for ref in r.refs if ref.startswith(other)]
    assert rep.summary.tasks["applicable"] > 20


def test_law_making_is_not_applicable_below_a_districted_city(auditor):
    township = auditor.audit_path(CORPUS / "township-2022-causes.txt", Options())
    lawmaking = [r for r in township.results if r.status == "not_applicable"]
    assert {r.id for r in lawmaking} >= {"outline-2021-7", "outline-2021-8"}
    assert all(r.severity != "error" or r.status != "missing" for r in lawmaking)
    assert township.summary.tasks["not_applicable"] == 2
    assert township.summary.tasks["applicable"] == 30

    as_city = auditor.audit_path(CORPUS / "township-2022-causes.txt", Options(level="city"))
    assert as_city.level_reason == "由 --level 指定"
    assert as_city.summary.tasks["not_applicable"] == 0
    assert {r.id: r.status for r in as_city.results}["outline-2021-7"] in ("missing", "partial", "covered")


def test_a_districted_city_is_read_on_law_making(auditor):
    city = auditor.audit_path(CORPUS / "city-2022-lawmaking.txt", Options())
    assert city.level == "city"
    status = {r.id: r.status for r in city.results}
    assert status["outline-2021-7"] == "covered" and status["outline-2021-8"] == "covered"


def test_task_figure_counts_each_article_once(auditor):
    rep = auditor.audit_path(CORPUS / "sample-county-2023.txt", Options())
    t = rep.summary.tasks
    assert t["applicable"] + t["not_applicable"] == 32  # articles 4–35
    assert t["covered"] + t["partial"] + t["missing"] + t.get("waived", 0) == t["applicable"]


def test_a_text_that_is_not_a_report_covers_nothing(auditor):
    rep = auditor.audit_path(CORPUS / "township-2023-safety-summary-not-report.txt", Options())
    assert not rep.is_report
    assert any(("不像" in n or "不是" in n) and "法治政府建设年度报告" in n for n in rep.notes)
    assert all(r.status in ("missing", "not_applicable") for r in rep.results)
    assert rep.summary.exit_status == 1
