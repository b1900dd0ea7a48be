"""Many reports in one run: same results as one at a time, unreadable files as rows,
inputs expanded from folders and globs, deterministic order, worst exit status."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import batch
from checker.cli import app
from checker.config import Resolver

from conftest import CORPUS, SEEDS

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def seed_files() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return sorted(SEEDS.glob("*.txt"))


@pytest.mark.seeds
def test_the_seed_folder_gives_each_report_the_results_it_gets_alone(auditor):
    files = seed_files()
    # the folder through a fork pool (more workers than cores, so the pool is really used)
    rows = batch.run([str(SEEDS)], auditor, Resolver(use_config=False), jobs=3)
    assert [Path(r.path).name for r in rows] == [f.name for f in files]
    for row, path in zip(rows, files):
        alone = invoke("audit", path, "--format", "json", "--no-config")
        assert alone.exit_code == row.report.summary.exit_status, alone.output
        single = json.loads(alone.stdout)
        together = row.report.to_json()
        assert together.pop("file").endswith(path.name) and single.pop("file").endswith(path.name)
        assert together == single
        assert row.text.rstrip("\n") == invoke("text", path).stdout.rstrip("\n")


@pytest.mark.seeds
def test_the_seed_folder_on_the_command_line_matches_single_runs():
    files = seed_files()
    together = invoke("audit", SEEDS, "--format", "jsonl", "--no-config", "--jobs", "2")
    lines = [json.loads(line) for line in together.stdout.splitlines()]
    assert len(lines) == len(files)
    worst = 0
    for data, path in zip(lines, files):
        alone = invoke("audit", path, "--format", "json", "--no-config")
        assert json.loads(alone.stdout) == {**data, "file": str(path)}
        worst = max(worst, alone.exit_code)
    assert together.exit_code == worst


def test_sequential_and_pooled_runs_agree(auditor):
    files = [str(CORPUS / "sample-county-2023.txt"), str(CORPUS / "township-2022-causes.txt"),
             str(CORPUS / "department-2022-transport-bureau.docx")]
    one = batch.run(files, auditor, Resolver(use_config=False), jobs=1)
    many = batch.run(files, auditor, Resolver(use_config=False), jobs=3)
    assert [r.report.to_json() for r in one] == [r.report.to_json() for r in many]
    assert [r.text for r in one] == [r.text for r in many]


def test_an_unreadable_file_is_a_row_and_the_others_go_on(auditor, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = CORPUS / "sample-county-2023.txt"
    rows = batch.run([str(good), str(empty), str(tmp_path / "gone.txt")], auditor, Resolver(use_config=False), jobs=2)
    assert [r.path for r in rows] == [str(good), str(empty), str(tmp_path / "gone.txt")]
    assert rows[0].report.error is None and rows[0].report.results
    for row in rows[1:]:
        assert row.report.error and row.path in row.report.error
        assert row.report.results == [] and row.report.summary.exit_status == 2
        assert row.report.to_json()["error"] == row.report.error
        assert row.text is None
    assert "文件为空" in rows[1].report.error and "不存在" in rows[2].report.error
    assert batch.exit_status(rows) == 2


def test_a_bug_on_one_report_does_not_stop_the_others(auditor, monkeypatch):
    real = auditor.audit_source

    def flaky(source, options=None):
        if "township" in source.path:
            raise RuntimeError("boom")
        return real(source, options)

    monkeypatch.setattr(auditor, "audit_source", flaky)
    files = [str(CORPUS / "township-2022-causes.txt"), str(CORPUS / "sample-county-2023.txt")]
    rows = batch.run(files, auditor, Resolver(use_config=False), jobs=1)
    assert "RuntimeError: boom" in rows[0].report.error
    assert rows[1].report.error is None and rows[1].report.results


def test_folders_are_searched_for_reports_and_globs_are_expanded(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("a/x.txt", "a/b/y.docx", "a/notes.md", ".hidden/z.txt", "a/.swap.txt", "top.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = batch.expand([str(tmp_path)])
    audited = [Path(p).relative_to(tmp_path).as_posix() for p, err in got if err is None]
    assert audited == ["a/b/y.docx", "a/x.txt", "top.txt"]
    # every other (not hidden) file is listed with the reason it was not audited
    assert [(Path(p).name, err) for p, err in got if err] == [("notes.md", "未检查：不支持的格式 .md")]
    # a glob the shell did not expand; a file named twice is audited once
    got = batch.expand([str(tmp_path / "a" / "*.txt"), str(tmp_path / "a" / "x.txt"), str(tmp_path / "top.txt")])
    assert [Path(p).name for p, _ in got] == ["x.txt", "top.txt"]
    # nothing to audit is said, not silently skipped
    (tmp_path / "empty").mkdir()
    assert batch.expand([str(tmp_path / "empty")])[0][1].startswith("目录中没有")
    assert "没有与之匹配的文件" in batch.expand([str(tmp_path / "*.nope")])[0][1]
    # a missing plain path is kept: reading it gives the error row
    assert batch.expand([str(tmp_path / "missing.txt")]) == [(str(tmp_path / "missing.txt"), None)]


def _rglob_files(folder: Path) -> list[str]:
    """What expand listed before it walked folders itself: Path.rglob, sorted Paths."""
    return [str(f) for f in sorted(f for f in folder.rglob("*")
                                   if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts))]


def test_a_folder_walk_lists_the_files_rglob_lists_in_its_order(tmp_path, monkeypatch):
    """batch._files_under walks with os.scandir and strings (a Path a file was ~800 bytes of a
    national year's batch): the same files as Path.rglob, in the order of sorted Paths — a
    name with a dash before a folder of the same stem (a-b/ vs a/), digits, CJK, hidden
    entries at any depth, links to files and folders, a broken link, the folder given as
    ".", with a trailing slash, or as a link."""
    import os

    root = tmp_path / "in"
    for name in ["a/x.txt", "a/b/y.docx", "a-b/z.txt", "a.b/w.txt", "ab.txt", "a0/1.txt", "a/10.txt", "a/9.txt",
                 "报告/县.txt", "报告/乡.txt", "A/cap.txt", ".hidden/z.txt", "a/.swap.txt", "a/b/.git/config",
                 "top.txt", "notes.md", "a/b/c/d/e/deep.pdf", "noext", "a/trailing."]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("x", encoding="utf-8")
    os.symlink(outside, root / "linked-folder")  # rglob does not walk into it
    os.symlink(root / "top.txt", root / "a" / "link.txt")  # a link to a file is a file
    os.symlink(root / "gone.txt", root / "broken.txt")  # nor is a broken link
    want = _rglob_files(root)
    assert len(want) > 12 and batch._files_under(root) == want
    assert batch._files_under(Path(str(root) + "/")) == want
    os.symlink(root, tmp_path / "via-link")
    assert batch._files_under(tmp_path / "via-link") == _rglob_files(tmp_path / "via-link")
    monkeypatch.chdir(root)
    assert batch._files_under(Path(".")) == _rglob_files(Path(".")) and "top.txt" in batch._files_under(Path("."))
    # and expand keeps what it found: each file once (a/link.txt, first, is top.txt), its skips
    got = batch.expand(["."])
    assert [p for p, err in got if err is None] == [f for f in want_rel(want, root) if f.endswith((".txt", ".docx", ".pdf"))
                                                    and f != "top.txt"]
    assert ("notes.md", "未检查：不支持的格式 .md") in got


def want_rel(paths: list[str], root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths]


def test_progress_callbacks_see_every_report(auditor):
    files = [str(CORPUS / "sample-county-2023.txt"), str(CORPUS / "nope.txt"), str(CORPUS / "township-2022-causes.txt")]
    started, done = [], []
    batch.run(files, auditor, Resolver(use_config=False), jobs=2, on_start=started.append, on_done=lambda r: done.append(r.file))
    assert started == [3]
    assert sorted(done) == sorted(files)


def test_rows_sort_by_coverage_worst_first_and_unreadable_on_top(auditor):
    files = [str(CORPUS / n) for n in ("sample-county-2023.txt", "street-2021-plan-only.txt",
                                        "district-2024-no-three-systems.txt")] + ["nope.txt"]
    rows = batch.run(files, auditor, Resolver(use_config=False))
    by_cov = batch.sort_rows(rows, "coverage")
    assert by_cov[0].path == "nope.txt"
    covs = [r.report.summary.coverage for r in by_cov[1:]]
    assert covs == sorted(covs)
    assert [r.path for r in batch.sort_rows(by_cov, "input")] == files
    assert [r.path for r in batch.sort_rows(rows, "file")] == sorted(files)


def test_exit_status_is_the_worst_report(auditor, tmp_path):
    ok = CORPUS / "sample-county-2023.txt"
    failing = CORPUS / "district-2024-no-three-systems.txt"
    codes = {}
    for f in (ok, failing):
        codes[f] = batch.run([str(f)], auditor, Resolver(use_config=False))[0].report.summary.exit_status
    assert codes == {ok: 0, failing: 1}
    both = batch.run([str(ok), str(failing)], auditor, Resolver(use_config=False))
    assert batch.exit_status(both) == 1
    assert batch.exit_status(batch.run([str(ok), str(tmp_path / "gone.txt")], auditor, Resolver(use_config=False))) == 2


def test_a_report_copied_under_two_names_is_audited_as_two_rows(auditor, tmp_path):
    src = CORPUS / "township-2022-causes.txt"
    shutil.copy(src, tmp_path / "one.txt")
    shutil.copy(src, tmp_path / "two.txt")
    rows = batch.run([str(tmp_path)], auditor, Resolver(use_config=False))
    assert [Path(r.path).name for r in rows] == ["one.txt", "two.txt"]
    a, b = (r.report.to_json() for r in rows)
    assert a["results"] == b["results"] and a["meta"]["sha256"] == b["meta"]["sha256"]


def test_an_archive_member_is_judged_by_the_config_beside_the_archive(auditor, tmp_path):
    """A member is extracted to a temporary folder, but its settings are those of the
    config found upward from where the archive lies, as for a file beside it."""
    import zipfile

    report = sorted(CORPUS.glob("*.txt"))[0]
    sub = tmp_path / "county"
    sub.mkdir()
    (sub / "checker.toml").write_text("fail-under = 99.5\n", encoding="utf-8")
    shutil.copy(report, sub / "loose.txt")
    with zipfile.ZipFile(sub / "reports.zip", "w") as z:
        z.write(report, "inner/member.txt")
    rows = batch.run([str(tmp_path)], auditor, Resolver())
    by_name = {Path(r.path).name: r for r in rows if not r.report.error}  # checker.toml: skipped
    assert set(by_name) == {"loose.txt", "member.txt"}
    for row in by_name.values():
        assert row.settings.source == sub / "checker.toml", row.path
        assert any("fail-under" in n for n in row.report.notes), row.path
