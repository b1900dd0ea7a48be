"""A pool worker that dies outright (the OOM killer, a crash in a C reader) costs its batch
one error row — the report it was auditing — and never a hang: the other reports of its
chunk are audited again, the batch goes on, gathered or streamed."""
from __future__ import annotations

import faulthandler
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import batch
from checker.cli import app
from checker.config import Resolver

from conftest import CORPUS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork pool, SIGKILL (Linux)")

COUNT = 48  # 48 tasks on 2 workers: chunks of 3, so the killed report has neighbours in its chunk


@pytest.fixture
def folder(tmp_path):
    """48 copies of one report: of one size, they are handed out in input order."""
    out = tmp_path / "in"
    out.mkdir()
    text = next(f for f in sorted(CORPUS.glob("*.txt")) if f.stat().st_size > 3000)
    for i in range(COUNT):
        shutil.copy(text, out / f"r{i:02d}.txt")
    return out


@pytest.fixture
def guard():
    """Fail the test instead of hanging it."""
    def hung(*_):
        raise TimeoutError("the batch is waiting for a dead worker")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    # a wait the alarm cannot break (a lock in the pool's shutdown): end the run, with stacks
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _dies_on(monkeypatch, names: set[str]):
    """Workers (forked after this) kill themselves when they begin one of these files."""
    real = batch._audit
    parent = os.getpid()

    def audit(task):
        if Path(task[1]).name in names and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(task)

    monkeypatch.setattr(batch, "_audit", audit)


def _positions(count: int) -> tuple[int, int]:
    chunk = max(1, min(4, count // (2 * 8)))
    assert chunk == 3
    return chunk, 4  # r04: the middle of the second chunk (r03 done before it, r05 not begun)


def test_a_gathered_batch_goes_on_past_a_worker_killed_mid_chunk(auditor, folder, monkeypatch, guard):
    _chunk, k = _positions(COUNT)
    expected = batch.run_expanded(batch.expand([str(folder)]), auditor, Resolver(use_config=False), jobs=1)
    _dies_on(monkeypatch, {f"r{k:02d}.txt"})
    rows = batch.run_expanded(batch.expand([str(folder)]), auditor, Resolver(use_config=False), jobs=2)
    assert [Path(r.report.file).name for r in rows] == [f"r{i:02d}.txt" for i in range(COUNT)]
    lost = [r for r in rows if r.report.error]
    assert [Path(r.report.file).name for r in lost] == [f"r{k:02d}.txt"]
    assert "工作进程意外终止" in lost[0].report.error and "SIGKILL" in lost[0].report.error
    assert lost[0].report.summary.exit_status == 2 and batch.exit_status(rows) == 2
    # its neighbours in the chunk (one finished, one not begun, in the dead worker) and every
    # other report are audited as one process audits them
    for got, want in zip(rows, expected):
        if got is lost[0]:
            continue
        assert [(x.id, x.status, x.score) for x in got.report.results] == \
            [(x.id, x.status, x.score) for x in want.report.results]


def test_a_gathered_batch_survives_several_deaths(auditor, folder, monkeypatch, guard):
    _dies_on(monkeypatch, {"r00.txt", "r04.txt", "r05.txt", "r47.txt"})
    rows = batch.run_expanded(batch.expand([str(folder)]), auditor, Resolver(use_config=False), jobs=2)
    assert len(rows) == COUNT
    assert sorted(Path(r.report.file).name for r in rows if r.report.error) == ["r00.txt", "r04.txt", "r05.txt", "r47.txt"]
    assert all(r.report.results for r in rows if not r.report.error)


def test_a_stream_goes_on_past_a_dead_worker_in_input_order(folder, monkeypatch, guard, tmp_path):
    _chunk, k = _positions(COUNT)
    _dies_on(monkeypatch, {f"r{k:02d}.txt"})
    out = CliRunner().invoke(app, ["audit", str(folder), "--no-config", "-f", "jsonl", "--stream", "--jobs", "2"])
    assert out.exit_code == 2, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(r["file"]).name for r in rows] == [f"r{i:02d}.txt" for i in range(COUNT)]
    errors = [(Path(r["file"]).name, r.get("error")) for r in rows if r.get("error")]
    assert len(errors) == 1 and errors[0][0] == f"r{k:02d}.txt" and "工作进程意外终止" in errors[0][1]
    assert all(r.get("results") for r in rows if not r.get("error"))


def _siblings() -> list[int]:
    parent = os.getppid()
    kids: list[int] = []
    for thread in os.listdir(f"/proc/{parent}/task"):
        try:
            kids += [int(k) for k in open(f"/proc/{parent}/task/{thread}/children").read().split()]
        except OSError:
            pass
    return [k for k in kids if k != os.getpid()]


@pytest.mark.parametrize("streamed", [False, True], ids=["gathered", "streamed"])
def test_a_worker_killed_while_it_waits_for_a_task_does_not_wedge_the_pool(auditor, folder, monkeypatch, guard,
                                                                            streamed):
    """An idle worker waits for a task holding the task queue's lock; killed there (from
    outside: an operator, the OOM killer) it keeps the lock for good, and Pool.terminate
    waited for it for ever. The pool it broke is retired and every report is audited."""
    real = batch._audit
    parent = os.getpid()

    def audit(task):
        if Path(task[1]).name == f"r{COUNT - 1:02d}.txt" and os.getpid() != parent:
            time.sleep(1.5)  # the other worker has run out of tasks: it waits in the queue
            for pid in _siblings():
                os.kill(pid, signal.SIGKILL)
        return real(task)

    monkeypatch.setattr(batch, "_audit", audit)
    if streamed:
        out = CliRunner().invoke(app, ["audit", str(folder), "--no-config", "-f", "jsonl", "--stream", "--jobs", "2"])
        rows = [json.loads(line) for line in out.stdout.splitlines()]
        assert [Path(r["file"]).name for r in rows] == [f"r{i:02d}.txt" for i in range(COUNT)]
        assert not [r for r in rows if r.get("error")]
    else:
        rows = batch.run_expanded(batch.expand([str(folder)]), auditor, Resolver(use_config=False), jobs=2)
        assert len(rows) == COUNT and not [r for r in rows if r.report.error]
