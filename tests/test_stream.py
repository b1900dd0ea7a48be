"""A national year: --stream writes jsonl/csv rows as they are done, with the same results
as the gathered batch and the same file guarantees (nothing partial, never onto an input);
--shard K/N splits a batch deterministically."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import batch
from checker.cli import app

from conftest import CORPUS, SEEDS

runner = CliRunner()
# the only checks that compare the reports of a batch with one another; a stream cannot
# hold the batch, so they are left out of both runs when the outputs are compared whole
CROSS = ("--ignore", "copy-batch,copy-previous")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def folders() -> list[Path]:
    return [CORPUS] + ([SEEDS] if SEEDS.is_dir() else [])


@pytest.mark.parametrize("folder", folders(), ids=lambda p: p.name)
def test_streamed_outputs_are_identical_to_the_gathered_batch(folder, tmp_path):
    gathered = invoke("audit", folder, "--no-config", *CROSS, "--jobs", "1",
                      "-o", tmp_path / "a.jsonl", "-o", tmp_path / "a.csv")
    streamed = invoke("audit", folder, "--no-config", *CROSS, "--jobs", "2", "--stream",
                      "-o", tmp_path / "b.jsonl", "-o", tmp_path / "b.csv")
    assert streamed.exit_code == gathered.exit_code, streamed.output
    a = (tmp_path / "a.jsonl").read_text(encoding="utf-8")
    b = (tmp_path / "b.jsonl").read_text(encoding="utf-8")
    assert len(a.splitlines()) > 1
    assert a == b
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def test_the_matchers_verdicts_do_not_change_with_streaming(tmp_path):
    """With every check on: each rule's status, score and evidence are the same; only the
    cross-report copy findings may be absent from the stream."""
    gathered = invoke("audit", CORPUS, "--no-config", "-f", "jsonl", "--jobs", "2")
    streamed = invoke("audit", CORPUS, "--no-config", "-f", "jsonl", "--stream", "--jobs", "2")
    a = [json.loads(line) for line in gathered.stdout.splitlines()]
    b = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert [r["file"] for r in a] == [r["file"] for r in b]
    assert any(r.get("results") for r in a)
    for x, y in zip(a, b):
        assert x.get("results") == y.get("results")
        assert x.get("error") == y.get("error")


@pytest.mark.parametrize("name, earlier", [("out.jsonl", b"earlier results\n"), ("out.xlsx", None)])
def test_an_interrupted_stream_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch, name, earlier):
    """Ctrl-C lands in the parent (the workers ignore SIGINT) while it writes the rows."""
    from checker import command

    out = tmp_path / name
    if earlier is not None:
        out.write_bytes(earlier)
    real = command._Progress.done
    seen = []

    def done_then_interrupt(self, report):
        seen.append(1)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(self, report)

    monkeypatch.setattr(command._Progress, "done", done_then_interrupt)
    invoke("audit", CORPUS, "--no-config", "--stream", "--jobs", "2", "-o", out)
    assert len(seen) == 3
    if earlier is None:
        assert list(tmp_path.iterdir()) == []
    else:
        assert out.read_bytes() == earlier
        assert [p.name for p in tmp_path.iterdir()] == [name]


class _TwoArguments(Exception):
    """Pickles its message only, so it cannot be rebuilt from its pickle."""

    def __init__(self, a, b):
        super().__init__(a)


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit, RuntimeError, _TwoArguments])
def test_a_stream_whose_worker_is_stopped_while_finishing_a_row_ends_and_writes_nothing(tmp_path, monkeypatch, error):
    """Finishing and rendering run in the pool's workers: whatever ends one there (even what
    is not an Exception, which would end the worker process and leave the pool waiting for
    ever) ends the batch in the parent — no hang, no file, the earlier file kept."""
    import os
    import threading

    out = tmp_path / "out.jsonl"
    out.write_bytes(b"earlier results\n")
    real = batch.finish
    parent = os.getpid()

    def finish_or_stop(report, *args, **kwargs):
        if os.getpid() != parent:
            raise error("stopped", "here") if error is _TwoArguments else error("stopped")
        return real(report, *args, **kwargs)

    monkeypatch.setattr(batch, "finish", finish_or_stop)  # the workers fork with it
    results = []
    run = threading.Thread(target=lambda: results.append(
        invoke("audit", CORPUS, "--no-config", "--stream", "--jobs", "2", "-o", out)), daemon=True)
    run.start()
    run.join(120)  # not a timing: a pool left waiting for a dead worker's result never ends
    assert results, "the batch did not end"
    assert results[0].exit_code != 0
    assert out.read_bytes() == b"earlier results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_stream_is_never_written_onto_an_input(tmp_path):
    report = tmp_path / "r.jsonl"
    shutil.copy(CORPUS / "sample-county-2023.txt", tmp_path / "a.txt")
    before = (tmp_path / "a.txt").read_bytes()
    result = invoke("audit", tmp_path / "a.txt", "--stream", "-f", "jsonl", "-o", tmp_path / "a.txt")
    assert result.exit_code == 2
    assert (tmp_path / "a.txt").read_bytes() == before
    assert not report.exists()


def test_stream_refuses_formats_that_need_the_whole_batch(tmp_path):
    for args in (["-f", "html", "-o", tmp_path / "x.html"], ["--sort", "coverage", "-f", "jsonl"], []):
        result = invoke("audit", CORPUS, "--stream", *args)
        assert result.exit_code == 2
        assert "--stream" in result.output and "Traceback" not in result.output


def _files(result) -> list[str]:
    return [Path(json.loads(line)["file"]).name for line in result.stdout.splitlines()]


def test_shards_cover_the_batch_once_whatever_the_folder_is_called(tmp_path):
    every = batch.expand([str(CORPUS)])
    parts = [batch.shard(every, [str(CORPUS)], k, 3) for k in (1, 2, 3)]
    assert sorted(p for part in parts for p, _ in part) == sorted(p for p, _ in every)
    assert all(parts)  # 3 shards of ~49 files: none empty
    elsewhere = tmp_path / "another-name"
    shutil.copytree(CORPUS, elsewhere)
    moved = batch.shard(batch.expand([str(elsewhere)]), [str(elsewhere)], 2, 3)
    assert [Path(p).relative_to(elsewhere) for p, _ in moved] == [Path(p).relative_to(CORPUS) for p, _ in parts[1]]
    # the command line audits exactly that shard
    shown = _files(invoke("audit", CORPUS, "--no-config", *CROSS, "-f", "jsonl", "--stream", "--shard", "2/3"))
    assert shown == [Path(p).name for p, error in parts[1] if error is None or not error.startswith(batch.SKIPPED)] \
        or shown == [Path(p).name for p, _ in parts[1]]


@pytest.mark.parametrize("value", ["0/3", "4/3", "1", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_is_one_line_and_status_2(value):
    result = invoke("audit", CORPUS, "--shard", value)
    assert result.exit_code == 2
    assert "K/N" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_finished_stream_ends_its_pool_without_killing_the_workers(monkeypatch):
    """Killing is for an interrupted stream (and takes seconds); a stream that wrote every
    row lets its pool end normally, with every row written in order."""
    killed = []
    real = batch._kill_workers
    monkeypatch.setattr(batch, "_kill_workers", lambda pool: (killed.append(1), real(pool)))
    out = invoke("audit", CORPUS, "--no-config", "-f", "jsonl", "--stream", "--jobs", "2")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == len(batch.expand([str(CORPUS)]))
    assert killed == []


def test_a_pools_workers_finish_and_render_their_rows_and_send_back_no_report(tmp_path):
    """In a streamed pool each worker finishes (waivers, fail-on) and renders the reports it
    audited; what comes back to the parent is the rendered output and a few fields — not the
    report, not its text."""
    import os
    import pickle

    from checker.model import AuditReport
    from checker.pipeline import Auditor
    from checker.render import jsonl

    folder = tmp_path / "in"
    folder.mkdir()
    for i, f in enumerate(sorted(CORPUS.glob("*.txt"))[:6]):
        shutil.copy(f, folder / f"{i}-{f.name}")
    (folder / "empty.txt").write_bytes(b"")  # an error row, finished in the parent
    items = batch.expand([str(folder)])
    parent = os.getpid()
    got = []

    def prepare(row):
        assert row.report is not None and (row.text is not None or row.report.error)  # the finished row
        return os.getpid(), jsonl.render([row.report])

    def emit(done):
        assert isinstance(done, batch.Streamed)
        assert not any(isinstance(v, (batch.Row, AuditReport)) for v in vars(done).values())
        assert len(pickle.dumps(done)) < 4 * len(done.out[1]) + 2000  # no text riding along
        got.append(done)

    status = batch.stream_expanded(items, Auditor(), emit, jobs=2, prepare=prepare)
    audited = [d for d in got if d.error is None]
    assert len(got) == 7 and len(audited) == 6
    assert all(pid != parent for pid, _ in (d.out for d in audited))  # rendered in the workers
    assert [d.index for d in got] == sorted(d.index for d in got)  # in input order
    lines = [json.loads(d.out[1]) for d in audited]
    assert [line["file"] for line in lines] == [d.file for d in audited]
    assert status == max(d.exit_status for d in got)


def _this_and_last_year(tmp_path) -> tuple[str, Path]:
    """A 2023 report's text, and last year's file: the same report with 2022 for 2023."""
    import re

    this = (CORPUS / "lint" / "county-2023-form-clean.txt").read_text(encoding="utf-8")
    prev = tmp_path / "last-2022.txt"
    prev.write_text(re.sub(r"2023", "2022", this), encoding="utf-8")
    return this, prev


def test_a_streamed_pool_finds_what_was_carried_over_from_previous_as_one_process_does(tmp_path):
    """--previous with --stream --jobs 2: each worker reads last year's report and checks
    the rows it audits against them (the finishing runs in the workers), with the findings
    of a gathered one-process run."""
    this, prev = _this_and_last_year(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):  # the carried-over report three times, and two that carry nothing over
        (folder / f"carried-{i}.txt").write_text(this, encoding="utf-8")
    for f in sorted(CORPUS.glob("sample-*.txt"))[:2]:
        shutil.copy(f, folder / f.name)
    ignore = ("--ignore", "copy-batch")  # the one check a stream leaves out
    gathered = invoke("audit", folder, "--no-config", *ignore, "--previous", prev, "-f", "jsonl", "--jobs", "1")
    streamed = invoke("audit", folder, "--no-config", *ignore, "--previous", prev, "-f", "jsonl", "--stream",
                      "--jobs", "2")
    assert streamed.exit_code == gathered.exit_code, streamed.output
    assert streamed.stdout == gathered.stdout
    rows = {Path(r["file"]).name: r for r in map(json.loads, streamed.stdout.splitlines())}
    carried = {name for name, r in rows.items() if any(f["check"] == "copy-previous" for f in r["findings"])}
    assert carried == {f"carried-{i}.txt" for i in range(3)}


def test_a_stream_reads_the_previous_report_once_not_once_a_row(tmp_path, monkeypatch):
    """--previous is compared with every streamed row; it is read once (a scanned PDF would
    be OCR'd a row), and read again only when the file changes."""
    from checker import ingest
    from checker import lint as lint_stage

    this, prev = _this_and_last_year(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"carried-{i}.txt").write_text(this, encoding="utf-8")
    reads = []
    real = ingest.read
    monkeypatch.setattr(ingest, "read", lambda path, *a, **k: (reads.append(Path(path).name), real(path, *a, **k))[1])
    monkeypatch.setattr(lint_stage, "_PREVIOUS", None)
    out = invoke("audit", folder, "--no-config", "--previous", prev, "-f", "jsonl", "--stream", "--jobs", "1")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 4 and all(any(f["check"] == "copy-previous" for f in r["findings"]) for r in rows)
    assert reads.count(prev.name) == 1
    prev.write_text("另一份报告。\n" * 3, encoding="utf-8")  # changed: read again, and nothing carried over
    out = invoke("audit", folder, "--no-config", "--previous", prev, "-f", "jsonl", "--stream", "--jobs", "1")
    assert reads.count(prev.name) == 2
    assert not any(f["check"] == "copy-previous" for r in map(json.loads, out.stdout.splitlines()) for f in r["findings"])
