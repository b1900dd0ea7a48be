"""Many reports in one run: one process, the model loaded once, the work spread over the cores.

The parent builds the Auditor and loads the segmentation model, then forks a pool of
workers that inherit it (copy-on-write), so the ~3 s model load is paid once however many
reports there are. A worker reads and audits one report and returns the AuditReport (plain
dataclasses pickle cheaply) with the normalised text; a file that cannot be read comes back
as an error row (``AuditReport.error`` set, no results, exit status 2) and the others go on.

Verdict settings (config found upward from each report, waivers, fail-on, fail-under) are
applied in the parent after the audit, so a waiver never changes what the matcher saw. A
worker also finishes its rows the same way and renders them for the jsonl and csv outputs
(``Row.out``), kept for every row the batch's cross-checks (copy findings) leave unchanged.
Rows keep the input order unless sorted (``--sort``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import glob
import os
import pickle
import signal
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from checker import formats, ingest, lint
from checker.config import Resolver, Settings
from checker.errors import CheckerError
from checker.lazy import module as _lazy_module
from checker.model import AuditReport, Summary
from checker.pipeline import Auditor, Options, summarise
from checker.waivers import Waiver, apply_waivers, load_waivers

multiprocessing = _lazy_module("multiprocessing")  # imported when a pool is started (not for one report)

# what a folder is searched for; a file named on the command line may be any format ingest reads
REPORT_SUFFIXES = (".txt", ".docx")
SKIPPED = "未检查："  # the start of the error line of a file a folder audit did not open
SORTS = ("input", "coverage", "file")


@dataclass
class Row:
    """One input: where it came from, the settings it is judged by, and what came out."""

    index: int
    path: str
    settings: Settings = field(default_factory=Settings)
    report: AuditReport | None = None
    text: str | None = None  # the normalised text evidence offsets point into (None for an error row)
    warnings: list[str] = field(default_factory=list)
    # what run_expanded's ``prepare`` made of the finished row, in the pool worker that audited
    # it (None: not made, or the row changed after — copy findings of the batch — and the
    # renderer makes it from ``report``)
    out: object = None


def error_report(path: str, message: str, exit_status: int = 2) -> AuditReport:
    """A row for a file that could not be audited: no results, exit status 2 (0 for a file
    a folder audit skipped because it is never a report, see formats.never_a_report)."""
    return AuditReport(
        file=path, profile="", profile_title="", profile_reason="", level=None, level_reason="",
        year=None, year_reason="", body=None, date=None, title=None, encoding="", sha256="",
        is_report=False, notes=[], results=[],
        summary=Summary(total=0, applicable=0, covered=0, partial=0, missing=0, not_applicable=0,
                        waived=0, coverage=0.0, errors_failing=0, exit_status=exit_status),
        error=message,
    )


def _has_magic(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def expand(inputs: list[str]) -> list[tuple[str, str | None]]:
    """Paths, folders (searched recursively for .txt/.docx, hidden entries skipped) and globs
    (for when the shell did not expand them) → [(path, error)], each file once, in order."""
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        try:  # Path(path).resolve() as a string: a national year's 100,000 Paths were ~80 MiB
            key = os.path.normcase(os.path.realpath(path))
        except (OSError, ValueError):
            key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            out.append((path, None))

    def add_any(path: str) -> None:
        if Path(path).suffix.lower() in formats.ARCHIVE_SUFFIXES and Path(path).is_file():
            _add_archive(path, out, seen)
        else:
            add(path)

    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            every = _files_under(p)
            if not any(_suffix(f) in formats.AUDITED_SUFFIXES for f in every):
                out.append((raw, f"目录中没有可检查的报告（.txt .docx .doc .wps .pdf 等） ({raw})"))
            for f in every:
                if _suffix(f) not in formats.AUDITED_SUFFIXES:
                    out.append((f, f"{SKIPPED}{formats.unsupported_reason(Path(f))}"))
                elif _size(f) == 0:
                    out.append((f, f"{SKIPPED}空文件"))
                else:
                    add_any(f)
        elif not p.exists() and _has_magic(raw):
            files = sorted(f for f in glob.glob(raw, recursive=True) if Path(f).is_file())
            if not files:
                out.append((raw, f"没有与之匹配的文件 ({raw})"))
            for f in files:
                add_any(f)
        else:
            add_any(raw)  # a missing or unreadable file becomes an error row when it is read
    return out


_SHOWN: dict[str, str] = {}  # a member extracted from an archive -> archive/member, as shown


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def _suffix(path: str) -> str:
    """``Path(path).suffix.lower()`` of a file's path, without making the Path."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _files_under(folder: Path) -> list[str]:
    """The files under a folder, as ``str(f)`` for ``sorted(f for f in folder.rglob("*") if
    f.is_file())`` gives them, leaving out those with a hidden part (.git/…, .~lock…):
    strings and tuples of names instead of a Path each, and hidden folders not walked."""
    base = str(folder)
    found: list[tuple[str, ...]] = []  # each file's names below the folder

    def walk(path: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(path))
        except OSError:
            return  # rglob passes over a folder it cannot read
        for entry in entries:
            if entry.name.startswith("."):
                continue
            here = (*parts, entry.name)
            try:
                if entry.is_dir() and not entry.is_symlink():
                    walk(entry.path, here)
                elif entry.is_file():
                    found.append(here)
            except OSError:
                continue

    walk(base, ())
    if os.path.normcase("A") == "a":  # Windows: paths compare without case, as WindowsPath does
        found.sort(key=lambda parts: tuple(part.lower() for part in parts))
    else:
        found.sort()
    prefix = () if base == "." else (base,)  # Path(".") / "a" is "a"
    return [os.path.join(*prefix, *parts) for parts in found]


def _add_archive(path: str, out: list[tuple[str, str | None]], seen: set[str]) -> None:
    """An archive is audited as a folder: one row per member (see checker.formats.archive)."""
    from checker.formats import archive

    try:
        members = archive.expand_zip(Path(path), path)
    except archive.ArchiveError as exc:
        out.append((path, f"{exc} ({path})"))
        return
    if not members:
        out.append((path, f"压缩包中没有文件 ({path})"))
    for extracted, label, error in members:
        if error:
            out.append((label, error))
        else:
            _SHOWN[extracted] = label
            out.append((extracted, None))


def _prepare_office(paths: list[str]) -> None:
    """Every .doc/.wps/.odt/.rtf of a batch converted in one LibreOffice process, before the
    workers start (they inherit the results)."""
    office = [Path(p) for p in paths if Path(p).suffix.lower() in formats.OFFICE_SUFFIXES]
    if len(office) > 1:
        from checker.formats import office as office_reader

        office_reader.prepare(office)


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# --- the work ---------------------------------------------------------------------------

_AUDITOR: Auditor | None = None  # set in the parent before forking; workers inherit it


def _audit(task: tuple[int, str, Options]) -> tuple[int, AuditReport, str | None]:
    from checker.limits import MAX_SECONDS_PER_REPORT, time_limit

    index, path, options = task
    try:
        source = ingest.read(path)  # PDF, OCR and office readers have their own time limits
        with time_limit(MAX_SECONDS_PER_REPORT,
                        f"检查超时（超过 {MAX_SECONDS_PER_REPORT} 秒），已跳过；可能是某条规则的正则表达式回溯过多"):
            return index, _AUDITOR.audit_source(source, options), source.text
    except CheckerError as exc:
        return index, error_report(path, str(exc)), None
    except Exception as exc:  # a bug met on one report must not stop the others
        return index, error_report(path, f"内部错误 {type(exc).__name__}: {exc}"), None


def _worker_init() -> None:
    """A worker leaves Ctrl-C to the parent (the terminal sends it to the whole process
    group) and dies at once on SIGTERM: the parent stops the pool, no worker prints a
    traceback of its own."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held them (_hold_signals)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _die_with_parent()


def _fork_pool(workers: int):
    """A fork pool of ``workers`` whose worker handler does not spin. CPython's Pool (3.8
    and later, bpo-35493) has its worker-handler thread wait on the result pipe as well as on
    the workers' sentinels: while a result lies unread there (a report is ~50 KB), the thread
    wakes, finds nothing to do and waits again, over and over — ~0.15 s of the parent's CPU
    for 200 reports, taken from the two workers on a 2-core machine. It needs to wake only
    when a worker ends or the pool changes state (close, terminate, the last result taken),
    and those reach it through the sentinels and the change notifier it keeps waiting on."""
    from multiprocessing import pool as mp_pool

    class Pool(mp_pool.Pool):
        @staticmethod
        def Process(ctx, *args, **kwds):
            # every worker, replacements too: which ended and how, for the error row of the
            # report one died on (_tracked), once the pool has let it go
            proc = ctx.Process(*args, **kwds)
            _WORKERS.append(proc)
            return proc

        def __exit__(self, *exc):
            # Pool.terminate waits for the task queue's lock, which a worker killed while it
            # waited for a task holds for good (the kill may land after the batch's last
            # look for dead workers): given a few seconds, then the workers are killed
            import threading

            closer = threading.Thread(target=self.terminate, daemon=True)
            closer.start()
            closer.join(3)
            if closer.is_alive():
                _kill_workers(self)
            return False

        def _get_sentinels(self):
            notifier = getattr(self, "_change_notifier", None)
            if notifier is None:  # a Pool without the notifier: its own sentinels
                return super()._get_sentinels()
            return [notifier._reader]

    global _FORKED_BY
    import threading

    _FORKED_BY = threading.get_ident()  # this thread forks the first workers (_die_with_parent)
    return Pool(processes=workers, initializer=_worker_init, context=multiprocessing.get_context("fork"))


_FORKED_BY: int | None = None  # the parent's thread that forked a pool's first workers


def _die_with_parent() -> None:
    """On Linux a worker is killed by the kernel when the parent goes, however it goes
    (SIGKILL, a crash): no worker ever outlives its batch.

    The kernel's signal comes when the *thread* that forked the worker ends. The pool's
    first workers are forked by the parent's main thread; one started in place of a worker
    that died is forked by the pool's worker-handler thread, which ends when the pool is
    stopped — the signal would then kill it at once, perhaps while it holds the task
    queue's lock, and stopping the pool would wait for that lock for ever. Such a worker
    watches for its parent's end itself."""
    if not sys.platform.startswith("linux"):
        return
    import threading

    if _FORKED_BY is not None and threading.get_ident() != _FORKED_BY:
        parent = os.getppid()

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() == 1:  # the parent already went between fork and prctl
            os._exit(1)
    except (OSError, AttributeError):
        pass


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _hold_signals():
    """Hold Ctrl-C and SIGTERM while a pool starts: an interrupt that lands inside the Pool
    constructor would leave its first workers running with nobody to stop them. The held
    signal is delivered when _release_signals runs, where the pool can be stopped."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork pool there anyway
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def _release_signals(old) -> None:
    import signal

    if old is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _kill_workers(pool) -> None:
    """Stop a pool now, on Ctrl-C or SIGTERM: no new workers are started, the running ones
    are killed, and Pool.terminate runs in a thread given a few seconds — it can block for
    ever on a task queue whose readers are gone, and an interrupt must end the run."""
    import threading
    from multiprocessing import pool as mp_pool

    handler = getattr(pool, "_worker_handler", None)
    if handler is not None:
        handler._state = mp_pool.TERMINATE  # the pool does not replace the workers killed below
    def children() -> list:
        # the pool's workers, and any child a busy handler forked after the last look
        return list(getattr(pool, "_pool", None) or []) + multiprocessing.active_children()

    def kill_all() -> None:
        for proc in children():
            try:
                proc.kill()
            except (OSError, AttributeError, ValueError):
                pass

    # until the worker handler has seen TERMINATE and ended, it may replace a killed worker
    # (on a loaded machine it can take longer than any fixed pause): kill, wait, kill again
    deadline = time.monotonic() + 3
    while True:
        kill_all()
        if handler is None or not handler.is_alive() or time.monotonic() > deadline:
            break
        handler.join(0.05)
    kill_all()
    # reap them: a killed child nobody waits for stays a zombie in the process table, and
    # in a container whose first process does not reap orphans it stays there for good
    reap_by = time.monotonic() + 3
    for proc in children():
        try:
            proc.join(max(0.0, reap_by - time.monotonic()))
        except (OSError, AttributeError, ValueError, AssertionError):
            pass
    closer = threading.Thread(target=pool.terminate, daemon=True)
    closer.start()
    closer.join(3)  # a second terminate (leaving the with) is a no-op: the finaliser ran once


def audit_tasks(
    auditor: Auditor,
    tasks: list[tuple[int, str, Options]],
    jobs: int | None = None,
    on_done: Callable[[AuditReport], None] | None = None,
    copies=None,
) -> dict[int, tuple[AuditReport, str | None, object]]:
    """Audit every task; sequential for one task or one job, else a fork pool. With
    ``copies`` (a checker.lint.copies.Batch), each report goes into it as its result comes in
    (keyed by task index); with a pool, its workers make the reports' copy-check signatures,
    so what the parent does alone as results come in is little, and nothing is left for
    after the pool."""
    global _AUDITOR, _SIGN, _AHEAD
    workers = max(1, min(jobs or available_cpus(), len(tasks)))
    if workers > 1 and "fork" not in multiprocessing.get_all_start_methods():
        workers = 1
    # The segmentation model is not preloaded: most reports are decided without document
    # tokens (registry phrases are segmented once and cached beside the model), so a
    # worker loads it only when a report needs it; workers that do, load it in parallel.
    # A model the parent already holds is inherited by the forked workers.
    results: dict[int, tuple[AuditReport, str | None, object]] = {}
    _AUDITOR = auditor
    _SIGN = copies is not None and workers > 1
    if workers == 1:
        _AHEAD = None  # in one process, rendering ahead saves nothing
    if workers > 1:
        from checker.match import compile_rules

        compile_rules(list(auditor.registry.all_rules().values()))  # once, inherited by the workers
        if copies is not None:
            # the copy index confirms its pairs with rapidfuzz here in the parent, and the
            # workers' fuzzy matching uses it too: imported once, before the fork, it is
            # not imported again by every worker (~20 ms each)
            import rapidfuzz.fuzz  # noqa: F401
            import rapidfuzz.process  # noqa: F401
    try:
        with contextlib.ExitStack() as stack:
            if workers == 1:
                done = map(_audit_signed, tasks)
            else:
                # what the parent made so far (the model's tables above all) is moved out of
                # the collector's reach, so a collection in a worker does not write to (and
                # copy) every page it shares with the parent
                ordered_tasks = sorted(tasks, key=lambda t: -_size(t[1]))
                _track(len(ordered_tasks))  # before the fork: the workers write where they are
                stack.callback(_track, 0)
                gc.freeze()
                stack.callback(gc.unfreeze)
                held = _hold_signals()
                stack.callback(_release_signals, held)  # also when the pool fails to start
                pool = stack.enter_context(_fork_pool(workers))
                # chunks of a few reports: fewer round trips, and still a fair share at the end
                chunk = max(1, min(4, len(tasks) // (workers * 8)))
                # the largest files first: the last to be handed out are the quick ones, so no
                # worker is left with a long report (a scanned PDF) while the others wait
                done = _tracked(pool, _audit_signed, ordered_tasks, chunk, ordered=False, lost=_lost_signed,
                                workers=workers)
            try:
                if workers > 1:
                    _release_signals(held)  # a signal held since the pool started lands here
                for index, report, text, values, out in done:
                    if isinstance(report, bytes):  # pickled before the worker finished it (_render_ahead)
                        report = pickle.loads(report)
                    results[index] = (report, text, out)
                    if on_done:
                        on_done(report)
                    if copies is not None:
                        lint.add_to_batch(copies, index, report, text, values)
            except BaseException:  # Ctrl-C, SIGTERM: the workers go now, not after their report
                if workers > 1:
                    _kill_workers(pool)
                raise
    finally:
        _AUDITOR = None
        _SIGN = False
        _AHEAD = None
    return results


# --- a pool that survives a worker's death ------------------------------------------------
#
# A worker can die outright: the kernel's OOM killer, a crash in a C library reading a
# damaged PDF or image. Pool replaces the worker but not its task, and whoever waits for
# that task's result waits for ever. So each worker notes, in memory shared with the
# parent, which task it has taken and where it is (_STATE); the parent, while it waits,
# looks for workers that have gone, makes an error row for the task one died on, and
# retires the pool: a new one takes the tasks not done (_tracked).

_STATE = None  # task position -> 0 not taken, else pid * 4 + 1 taken, 2 auditing, 3 done
_WORKERS: list = []  # the processes of the running pool, replacements too (_fork_pool)
_TAKEN, _RUNNING, _DONE = 1, 2, 3


def _track(count: int) -> None:
    """Shared state for ``count`` task positions (made before the fork); 0: none."""
    global _STATE
    _STATE = multiprocessing.RawArray("q", count) if count else None
    _WORKERS.clear()


def _run_chunk(work: Callable, first: int, tasks: list) -> tuple[int, list]:
    """In a worker: ``work`` for tasks at positions first, first + 1, … noting each step."""
    state, mark = _STATE, os.getpid() * 4
    last = first + len(tasks)
    if state is not None:
        for k in range(first, last):
            state[k] = mark + _TAKEN
    out = []
    for k, task in zip(range(first, last), tasks):
        if state is not None:
            state[k] = mark + _RUNNING
        out.append(work(task))
        if state is not None:
            state[k] = mark + _DONE
    return first, out


def _lost_message(reason: str) -> str:
    return f"检查这份文件时工作进程意外终止（{reason}），已跳过；其余文件照常检查"


def _lost_audit(task, reason: str):
    """``_audit``'s result for a task its worker died on."""
    return task[0], error_report(task[1], _lost_message(reason)), None


def _lost_signed(task, reason: str):
    """``_audit_signed``'s: no signature, nothing made ahead."""
    return *_lost_audit(task, reason), None, None


def _lost_streamed(task, reason: str) -> Streamed:
    index, path, settings = task
    return _finish_streamed(Row(index=index, path=path, settings=settings,
                                report=error_report(path, _lost_message(reason))))


def _tracked(pool, work: Callable, tasks: list, chunk: int, ordered: bool, lost: Callable, workers: int = 2):
    """``work(task)`` for every task, in chunks of ``chunk``, on ``pool`` (whose workers
    inherited ``_STATE`` for these positions) and, after a worker dies, on a fresh pool;
    in task order or as they come.

    A worker's death breaks a Pool in ways no bookkeeping mends: one killed while it waited
    for a task, or while it sent a result, holds one of the pool's queue locks for good.
    So when any worker of the pool has ended, the pool is retired: the task the dead worker
    was auditing gives ``lost(task, reason)``, the pool is stopped (bounded, _kill_workers),
    and the tasks not done are handed one by one to a new pool forked here. A task held by
    workers that died twice is lost too (a report whose result kills its worker when sent)."""
    import queue

    results: queue.Queue = queue.Queue()
    pending: dict[int, tuple[int, int]] = {}  # submission -> (first position, count)
    serial = 0
    have = bytearray(len(tasks))
    held_by_dead = bytearray(len(tasks))  # how often a worker died holding the task
    unfinished = bytearray(len(tasks))  # how often a pool was retired before the task was done
    todo: list[int] = []  # positions to hand again, one at a time, before the next chunks
    handed = 0
    ahead = 4 * workers  # chunks in flight: enough that no worker waits, few held here
    current = pool

    def hand_more() -> None:
        nonlocal handed, serial
        while not draining and len(pending) < ahead and (todo or handed < len(tasks)):
            if todo:
                first, count = todo.pop(0), 1
            else:
                first, count = handed, min(chunk, len(tasks) - handed)
                handed += count
            serial += 1
            pending[serial] = (first, count)
            current.apply_async(_run_chunk, (work, first, tasks[first:first + count]),
                                callback=lambda got, sub=serial: results.put((sub, got)),
                                error_callback=lambda exc, sub=serial: results.put((sub, exc)))

    def retire(dead: dict[int, str]) -> list[tuple[int, object]]:
        """The pool had workers die (pid -> how): the results of the tasks lost with them;
        the pool stopped, a new one started, the unfinished tasks queued again."""
        nonlocal current
        state = _STATE
        out: list[tuple[int, object]] = []
        again: list[int] = []
        for first, count in pending.values():
            for k in range(first, first + count):
                if have[k]:
                    continue
                m = state[k] if state is not None else 0
                pid, step = divmod(m, 4) if m else (0, 0)
                unfinished[k] = min(255, unfinished[k] + 1)
                if pid in dead:
                    held_by_dead[k] += 1
                if pid in dead and (step == _RUNNING or held_by_dead[k] >= 2):
                    out.append((k, lost(tasks[k], dead[pid])))
                elif unfinished[k] >= 3:  # left unfinished by three pools that broke: taken by
                    out.append((k, lost(tasks[k], "原因不明")))  # workers that died before marking it
                else:
                    again.append(k)
        pending.clear()
        _kill_workers(current)
        if state is not None:
            for k in again:
                state[k] = 0
        todo[:0] = sorted(again)
        _WORKERS.clear()
        held = _hold_signals()
        try:
            current = _fork_pool(workers)
        finally:
            _release_signals(held)
        return out

    def deaths() -> dict[int, str]:
        return {w.pid: _exit_reason(w) for w in list(_WORKERS) if w.exitcode is not None}

    def received(sub: int, got) -> list[tuple[int, object]]:
        """A chunk's results by position; nothing for a retired pool's."""
        if pending.pop(sub, None) is None:
            return []
        if isinstance(got, BaseException):
            raise got
        first, outs = got
        return list(enumerate(outs, first))

    def busy(dead: dict[int, str]) -> bool:
        """A live worker is still on a chunk (its result will come back)."""
        state = _STATE
        if state is None:
            return False
        for first, count in pending.values():
            for k in range(first, first + count):
                m = state[k]
                if m and not have[k] and m // 4 not in dead and m % 4 in (_TAKEN, _RUNNING):
                    return True
        return False

    draining = 0.0  # a worker died: no new chunks; the pool is retired once the others are done

    try:
        hand_more()
        waiting, ready, next_out = len(tasks), {}, 0
        look_at = time.monotonic() + 1.0
        while waiting:
            got = None
            try:
                sub, got = results.get(timeout=0.5)
            except queue.Empty:
                pass
            delivered = received(sub, got) if got is not None else []
            now = time.monotonic()
            if got is None or now >= look_at or draining:
                look_at = now + 1.0
                dead = deaths()
                if dead and not draining:
                    # what the live workers are on is let finish (a few seconds at most)
                    draining = now + _DRAIN
                if dead and (now >= draining or not busy(dead)):
                    while not results.empty():  # what the pool finished before it stops is kept
                        delivered += received(*results.get_nowait())
                    for k, _out in delivered:
                        have[k] = have[k] or 2  # done: not handed again (2: not yet yielded)
                    delivered += retire(dead)
                    draining = 0.0
            hand_more()
            for k, out in delivered:
                if have[k] == 1:
                    continue  # already yielded
                have[k] = 1
                waiting -= 1
                if not ordered:
                    yield out
                    continue
                ready[k] = out
                while next_out in ready:
                    yield ready.pop(next_out)
                    next_out += 1
    except BaseException:  # Ctrl-C, SIGTERM, the consumer stopped: the pool in use goes now
        if current is not pool:
            _kill_workers(current)
        raise
    if current is not pool:  # a pool started here (the caller stops the first one)
        current.__exit__(None, None, None)


_DRAIN = 10.0  # s: after a death, how long the live workers may finish their chunks


def _exit_reason(proc) -> str:
    """How a worker ended, for its error row."""
    code = proc.exitcode
    if code is None:
        return "原因不明"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"信号 {-code}"
        return f"{name}，常见原因是内存不足" if -code == signal.SIGKILL else name
    return f"退出码 {code}"


_SIGN = False  # workers make each report's copy-check signature (audit_tasks)
# (prepare, {row index: (row, waivers)}, today, pack): pool workers render each row ahead
# (run_expanded); pack: keep what they make compressed (PACK_OVER)
_AHEAD: tuple | None = None


def _audit_signed(task: tuple[int, str, Options]) -> tuple[int, AuditReport | bytes, str | None, object, object]:
    """``_audit``, and in a pool worker the report's copy-check signature as well, and with
    ``_AHEAD`` the finished row's output (the report then comes pickled as it was before)."""
    index, report, text = _audit(task)
    values = None
    if _SIGN and lint.comparable(report, text):
        try:
            from checker.lint import copies

            values = copies.sketch(text)  # paragraph offsets and band keys: no numpy for the parent
        except Exception:  # the parent makes it as it adds the report
            values = None
    out = None
    if _AHEAD is not None:
        report, out = _render_ahead(index, report, text)
    return index, report, text, values, out


def _render_ahead(index: int, report: AuditReport, text: str | None) -> tuple[AuditReport | bytes, object]:
    """The row finished as run_expanded finishes a row the batch's cross-checks leave
    unchanged (the member's shown name, findings in order, waivers, fail-on, fail-under) and
    made into ``prepare``'s output, here in the worker; the report goes back pickled as it
    was before, for the parent to finish it again. Rendering is most of what the parent
    would do alone after the pool (~1 ms a report) and here it runs in parallel. Nothing is
    made when it fails: the parent renders the row itself."""
    prepare, rows, today, pack = _AHEAD
    planned, waivers = rows[index]
    blob = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        row = Row(index=index, path=planned.path, settings=planned.settings, report=report, text=text)
        _show_member(row)
        if lint.comparable(report, text):
            lint.order_findings(report)
        row.warnings = finish(report, row.settings, waivers, today)
        out = prepare(row)
        if pack and isinstance(out, dict):
            out = {key: _Packed(zlib.compress(value.encode("utf-8"), 1)) if isinstance(value, str) else value
                   for key, value in out.items()}
        return blob, out
    except Exception:
        return blob, None


# a batch of more reports than this keeps the lines made ahead compressed: ~50 KB of str a
# report (two formats, most of it Chinese) would add ~600 MB to a 10,000-report batch; packed
# ~8 KB, for ~0.2 ms more in the worker and ~0.1 ms in the parent to unpack
PACK_OVER = 1000


class _Packed(bytes):
    """A line made ahead, UTF-8 and zlib-compressed (``made`` unpacks it)."""


def made(row: Row, key) -> str | None:
    """What the worker made of ``row`` for ``key`` (a format), or None: nothing was made
    ahead, or the row changed after (Row.out)."""
    got = row.out.get(key) if isinstance(row.out, dict) else None
    if isinstance(got, _Packed):
        return zlib.decompress(got).decode("utf-8")
    return got


# --- verdicts ---------------------------------------------------------------------------


def finish(report: AuditReport, settings: Settings, waivers: list[Waiver], today: dt.date | None = None) -> list[str]:
    """Waivers, fail-on and fail-under: the report's final summary. Returns warnings."""
    if report.error:
        return []
    warnings = apply_waivers(report, waivers, today) if waivers else []
    report.summary = summarise(report.results, fail_on=settings.fail_on)
    lint.settle(report, settings.fail_on)  # findings at a failing severity (形式审查)
    if settings.fail_under is not None and report.summary.coverage < settings.fail_under:
        report.summary.exit_status = max(report.summary.exit_status, 1)
        report.notes.append(
            f"覆盖率 {report.summary.coverage}% 低于门槛 {settings.fail_under:g}%（fail-under），退出码 1"
        )
    return warnings


def _waivers(waiver_files: dict[Path, list[Waiver]], row: Row) -> list[Waiver]:
    """The waivers a row's settings name (each file loaded once, in _plan)."""
    return waiver_files.get(row.settings.waivers, []) if row.settings.waivers else []


def run(inputs: list[str], auditor: Auditor, resolver: Resolver | None = None, **kwargs) -> list[Row]:
    """Expand the inputs, audit every file, apply each report's settings; rows in input order."""
    return run_expanded(expand(inputs), auditor, resolver, **kwargs)


def _plan(items, auditor: Auditor, resolver: Resolver | None, on_start) -> tuple[list[Row], dict[Path, list[Waiver]], list]:
    """Rows for what ``expand`` found (settings resolved, unreadable files as error rows),
    each waiver file loaded once, and the audit tasks; office files converted up front."""
    resolver = resolver or Resolver(registry=auditor.registry)
    rows: list[Row] = []
    for i, (path, error) in enumerate(items):
        row = Row(index=i, path=path)
        if error:
            harmless = error.startswith(SKIPPED) and formats.never_a_report(Path(path))
            row.report = error_report(path, error, 0 if harmless else 2)
        else:
            # an archive's member is judged by the config found from where the archive lies,
            # not from the temporary folder it was extracted into
            row.settings = resolver.settings(_SHOWN.get(path, path))
        rows.append(row)
    waiver_files: dict[Path, list[Waiver]] = {}
    for row in rows:
        w = row.settings.waivers
        if w is not None and w not in waiver_files:
            waiver_files[w] = load_waivers(w)
    tasks = [(row.index, row.path, row.settings.options) for row in rows if row.report is None]
    _prepare_office([path for _, path, _ in tasks])
    if on_start:
        on_start(len(tasks))
    return rows, waiver_files, tasks


def _show_member(row: Row) -> None:
    """A member of an archive is shown as archive/member, in its report and its error."""
    if row.path in _SHOWN:
        extracted, row.path = row.path, _SHOWN[row.path]
        row.report.file = row.path
        if row.report.error:
            row.report.error = row.report.error.replace(extracted, row.path)


def run_expanded(
    items: list[tuple[str, str | None]],
    auditor: Auditor,
    resolver: Resolver | None = None,
    jobs: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[AuditReport], None] | None = None,
    today: dt.date | None = None,
    previous: str | Path | None = None,
    published: dt.date | None = None,
    prepare: Callable[[Row], object] | None = None,
) -> list[Row]:
    """Audit what ``expand`` found. A usage problem (a bad config file, an unknown profile,
    an unreadable waivers file) raises; a report that cannot be read is an error row.
    ``prepare``: the finished Row → its output; with a pool, each worker makes it for the
    rows it audits (``Row.out``), kept for the rows the batch's cross-checks leave unchanged."""
    global _AHEAD
    rows, waiver_files, tasks = _plan(items, auditor, resolver, on_start)
    copies = None
    if len(tasks) > 1:
        from checker.lint.copies import Batch

        copies = Batch()  # the batch's shared paragraphs, found as the reports come in
    today = today or dt.date.today()  # one day for the whole batch, workers and parent alike

    if prepare is not None and previous is None and published is None and len(tasks) > 1:
        # --previous and --published add findings to every report: nothing to make ahead
        _AHEAD = (prepare, {row.index: (row, _waivers(waiver_files, row)) for row in rows if row.report is None}, today,
                  len(tasks) > PACK_OVER)
    try:
        done = audit_tasks(auditor, tasks, jobs, on_done, copies=copies) if tasks else {}
    finally:
        _AHEAD = None
    for row in rows:
        if row.index in done:
            row.report, row.text, row.out = done[row.index]
        _show_member(row)
    changed = lint.after_audit(rows, auditor.checks, previous=previous, published=published, batch=copies)
    for row in rows:
        if row.index in changed:
            row.out = None  # made before its copy findings: the renderer makes it again
        row.warnings = finish(row.report, row.settings, _waivers(waiver_files, row), today)
    return rows


def sort_rows(rows: list[Row], how: str = "input") -> list[Row]:
    """input: as given; coverage: rows that could not be read first, then lowest coverage
    first (the reports that need the most work on top); file: by path."""
    if how == "coverage":
        return sorted(rows, key=lambda r: (r.report.error is None, r.report.summary.coverage, r.index))
    if how == "file":
        return sorted(rows, key=lambda r: (r.path, r.index))
    return sorted(rows, key=lambda r: r.index)


def exit_status(rows: list[Row]) -> int:
    """The worst report decides: 2 (could not be read) > 1 (fails) > 0."""
    return max((r.report.summary.exit_status for r in rows), default=0)


# --- sharding and streaming (a national year) -------------------------------------------


def parse_shard(value: str) -> tuple[int, int]:
    """'K/N' (1 ≤ K ≤ N) → (K, N); anything else raises ValueError with a Chinese message."""
    import re

    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value or "")
    if not m or not (1 <= int(m.group(1)) <= int(m.group(2))):
        raise ValueError(f"--shard 应当是 K/N（1 ≤ K ≤ N），如 --shard 1/4：{value}")
    return int(m.group(1)), int(m.group(2))


def _shard_key(path: str, inputs: list[str]) -> str:
    """What a file is hashed by: its path relative to the folder named on the command line
    that holds it (the same on every machine whatever the folder is called there), else the
    path as given; a member of an archive by archive/member."""
    shown = _SHOWN.get(path, path)
    for raw in inputs:
        base = Path(raw)
        if base.is_dir():
            try:
                return Path(shown).relative_to(base).as_posix()
            except ValueError:
                continue
    return Path(shown).as_posix()


def shard(items: list[tuple[str, str | None]], inputs: list[str], k: int, n: int) -> list[tuple[str, str | None]]:
    """The items of shard K of N: each file falls in exactly one shard, decided by a stable
    hash (SHA-1) of its relative path, so N runs with K = 1..N cover the batch once, in any
    order, on any machines, with no coordination."""
    import hashlib

    if n == 1:
        return list(items)

    def bucket(path: str) -> int:
        key = _shard_key(path, inputs).encode("utf-8", errors="surrogateescape")
        return int.from_bytes(hashlib.sha1(key).digest()[:8], "big") % n

    return [item for item in items if bucket(item[0]) == k - 1]


def iter_audits(auditor: Auditor, tasks: list, jobs: int | None = None, work: Callable = None,
                lost: Callable | None = None):
    """``work(task)`` for every task (by default ``_audit``: (index, report, text)), in task
    order, as they are done: a pool's results are handed on one by one, never gathered.
    ``lost(task, message)``: what stands for the result of a task whose worker died while
    auditing it (by default an error row, as ``_audit`` gives). Closing the generator early
    (an exception in the consumer, Ctrl-C) stops the workers."""
    work = work or _audit
    global _AUDITOR
    workers = max(1, min(jobs or available_cpus(), len(tasks)))
    if workers > 1 and "fork" not in multiprocessing.get_all_start_methods():
        workers = 1
    _AUDITOR = auditor
    if workers > 1:
        from checker.match import compile_rules

        compile_rules(list(auditor.registry.all_rules().values()))
    try:
        if workers == 1:
            yield from map(work, tasks)
            return
        _track(len(tasks))  # before the fork: the workers write where they are
        gc.freeze()
        held = _hold_signals()
        try:
            with _fork_pool(workers) as pool:
                try:
                    _release_signals(held)
                    held = None
                    # in order, a few reports a round trip (a national batch is 100,000 of them)
                    chunk = max(1, min(4, len(tasks) // (workers * 8)))
                    yield from _tracked(pool, work, tasks, chunk, ordered=True, lost=lost or _lost_audit,
                                       workers=workers)
                except BaseException:  # GeneratorExit too: the consumer stopped
                    _kill_workers(pool)
                    raise
        finally:
            _release_signals(held)
            gc.unfreeze()
            _track(0)
    finally:
        _AUDITOR = None


@dataclass
class Streamed:
    """A streamed row once finished (waivers, fail-on, fail-under): what the command writes
    and says of it. In a pool the worker that audited the report finishes and renders it, and
    sends back this — the rendered lines, a few fields — instead of the report and its text:
    pickling those in the worker and unpickling them in the parent cost more than rendering
    (about 1 ms a report, and the parent's share is the part that does not run in parallel)."""

    index: int
    path: str  # as shown (archive/member for a member of an archive)
    file: str  # the report's file (the progress bar's label)
    error: str | None
    warnings: list[str]
    exit_status: int
    source: Path | None  # the configuration file the row's settings came from
    out: object = None  # what the stream's ``prepare`` made of the finished row


_STREAM: tuple | None = None  # (auditor, waiver files, prepare, today, previous, published): stream_expanded


def _finish_streamed(row: Row) -> Streamed:
    """A row audited (or an error row): cross-checks with --previous/--published, waivers,
    fail-on, fail-under, then ``prepare``; in the process that audited it."""
    auditor, waiver_files, prepare, today, previous, published = _STREAM
    _show_member(row)
    lint.after_audit([row], auditor.checks, previous=previous, published=published)
    row.warnings = finish(row.report, row.settings, _waivers(waiver_files, row), today)
    report = row.report
    return Streamed(row.index, row.path, report.file, report.error, row.warnings, report.summary.exit_status,
                    getattr(row.settings, "source", None), prepare(row) if prepare else row)


@dataclass
class _Raised:
    """What ended a worker's task that is not an Exception (KeyboardInterrupt, SystemExit):
    raised again in the parent. Left to itself it would end the worker process, and the
    pool would wait for ever for that task's result."""

    error: BaseException


def _stream_one(task: tuple[int, str, Settings]) -> Streamed | _Raised:
    index, path, settings = task
    try:
        row = Row(index=index, path=path, settings=settings)
        _, row.report, row.text = _audit((index, path, settings.options))
        return _finish_streamed(row)
    except Exception as exc:
        return _Raised(exc if _rebuilds(exc) else WorkerError(type(exc).__name__, str(exc)))
    except BaseException as exc:
        return _Raised(exc)


class WorkerError(Exception):
    """An exception raised in a worker that cannot be rebuilt in the parent (its class takes
    other arguments than it pickles): its class name and message. Sent as it is, it would
    stop the pool's result thread and leave the batch waiting for ever."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name

    def __reduce__(self):
        return WorkerError, (self.name, str(self))


def _rebuilds(exc: BaseException) -> bool:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:
        return False


def stream_expanded(
    items: list[tuple[str, str | None]],
    auditor: Auditor,
    emit: Callable[[Streamed], None],
    resolver: Resolver | None = None,
    jobs: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[Streamed], None] | None = None,
    today: dt.date | None = None,
    previous: str | Path | None = None,
    published: dt.date | None = None,
    prepare: Callable[[Row], object] | None = None,
) -> int:
    """``run_expanded`` one row at a time: each row, finished (waivers, fail-on,
    fail-under) and passed through ``prepare`` (the finished Row → what ``emit`` writes; in
    a pool, run by the worker that audited it), goes to ``emit`` as a Streamed in input
    order as soon as it and those before it are done, and is then dropped — memory does
    not grow with the batch. The checks that compare the reports of a batch with each
    other (copy-batch; copy-previous against another report of the batch) cannot run on a
    stream and are not run; ``--previous`` and ``--published`` are. Returns the exit
    status (the worst row's)."""
    global _STREAM
    rows, waiver_files, _tasks = _plan(items, auditor, resolver, on_start)
    tasks = [(row.index, row.path, row.settings) for row in rows if row.report is None]
    if previous is not None:
        lint.previous_text(previous)  # read here, once: the workers inherit it
    status = 0
    _STREAM = (auditor, waiver_files, prepare, today, previous, published)  # the workers inherit it
    try:
        done = iter_audits(auditor, tasks, jobs, work=_stream_one, lost=_lost_streamed) if tasks else iter(())
        with contextlib.closing(done) if tasks else contextlib.nullcontext():
            for i, row in enumerate(rows):
                if row.report is None:
                    got = next(done)
                    if isinstance(got, _Raised):
                        raise got.error
                    assert got.index == row.index
                else:  # could not be read: finished here
                    got = _finish_streamed(row)
                if on_done and row.report is None:
                    on_done(got)
                status = max(status, got.exit_status)
                emit(got)
                rows[i] = None  # dropped: the row is not held once written
            if tasks:
                # every result is in: let the pool end as a pool does (closing the generator
                # early is how an interrupted stream stops its workers: kill, reap, ~3 s)
                for _extra in done:
                    raise AssertionError("a pool gave more results than tasks")
    finally:
        _STREAM = None
    return status
