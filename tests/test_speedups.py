"""The speed-ups change nothing a user sees: the literal prefilter (checker/prefilter.py),
the registry cache (checker/cache.py) and the pool's copy signatures (made while it runs) give the
same full results as the plain path, on corpus/ and the seeds. No timings here: speed is
measured by `make bench`."""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, SEEDS

from checker import cache, prefilter
from checker.rules import expand, load_registry


def _texts() -> list[Path]:
    files = sorted(CORPUS.glob("*.txt"))
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    return files


def _full(report) -> dict:
    return dataclasses.asdict(report)


# --- the prefilter ---------------------------------------------------------------------


def _holds(pattern: str, text: str) -> bool:
    lits = prefilter.needs(pattern)
    return lits is not None and any(lit in text for lit in lits)


def test_literals_a_pattern_needs():
    # each string the pattern matches holds one of its literals; a text without them is skipped
    for pattern, matching, other in [
        ("(开展|组织)了?法治培训", ["开展法治培训", "组织了法治培训"], "开展了业务培训"),
        ("行政(复议|诉讼)案件", ["行政复议案件", "行政诉讼案件"], "行政许可事项"),
        ("(?:聘请|聘任)(?:了)?法律顾问|公职律师", ["聘请法律顾问", "聘任了法律顾问", "公职律师"], "聘请了专家"),
        ("[^。]{2,8}工作", ["推进普法工作"], "推进普法"),
        (r"(?<!\d)\d+[件次]", ["12件", "3次"], "若干项"),
    ]:
        for text in matching:
            assert re.search(pattern, text) and _holds(pattern, text), (pattern, text)
        assert not _holds(pattern, other), (pattern, other)
    # nothing sure to be in every match: the pattern is always searched
    assert prefilter.needs("[^。]+") is None
    assert prefilter.needs("(?i)abc") is None
    assert prefilter.needs(r"(\w)\1") is None


def test_every_match_of_every_rule_pattern_holds_one_of_its_literals():
    """The prefilter's soundness on real text: a pattern it would skip never matches."""
    from checker import ingest

    reg = load_registry()
    table = prefilter.Table(prefilter.objects_of(reg.all_rules().values()))
    texts = [ingest.read(f).text for f in _texts()]
    checked = 0
    for obj, lits in table.pairs:
        if lits is None:
            continue
        words = [table.literals[i] for i in lits]
        for phrase in obj.any:
            assert any(w in phrase for w in words), (phrase, words[:5])
        for pat in obj.regex:
            rx = re.compile(expand(pat))
            for text in texts:
                for m in rx.finditer(text):
                    if m.end() > m.start():
                        checked += 1
                        assert any(w in m.group() for w in words), (pat, m.group(), words[:5])
    assert checked > 100  # the corpus exercises the rules


def test_prefilter_on_and_off_give_the_same_full_results(auditor, monkeypatch):
    files = _texts()
    monkeypatch.setenv("CHECKER_PREFILTER", "1")
    on = [_full(auditor.audit_path(f)) for f in files]
    monkeypatch.setenv("CHECKER_PREFILTER", "0")
    off = [_full(auditor.audit_path(f)) for f in files]
    for f, a, b in zip(files, on, off):
        assert a == b, f.name
    # and it does skip work: some concept is not searched in a typical report
    from checker import ingest, match, structure

    monkeypatch.setenv("CHECKER_PREFILTER", "1")
    doc = structure.build(ingest.read(files[0]))
    index = match.DocIndex(doc)
    concepts = [c for r in auditor.registry.all_rules().values() for c in r.check.concepts.values()]
    assert any(prefilter.searches(c, index, index.paragraphs) == [] for c in concepts)


# --- the cache --------------------------------------------------------------------------


def test_registry_from_the_cache_gives_the_same_full_results(auditor, tmp_path, monkeypatch):
    from checker.pipeline import Auditor

    monkeypatch.setenv("CHECKER_CACHE_DIR", str(tmp_path / "cache"))
    first = cache.registry(None, verify=False)  # loads, validates, stores
    assert list((tmp_path / "cache").glob("registry-*.pickle"))
    again = cache.registry(None, verify=False)  # read back
    assert again is not first and again.rules.keys() == first.rules.keys()
    cached = Auditor(registry=again, segmenter=auditor.segmenter)
    monkeypatch.setenv("CHECKER_CACHE", "0")
    monkeypatch.setenv("CHECKER_PREFILTER", "0")
    plain = Auditor(registry=load_registry(), segmenter=auditor.segmenter)
    monkeypatch.setenv("CHECKER_PREFILTER", "1")
    for f in _texts():
        a = _full(cached.audit_path(f))
        monkeypatch.setenv("CHECKER_PREFILTER", "0")
        b = _full(plain.audit_path(f))
        monkeypatch.setenv("CHECKER_PREFILTER", "1")
        assert a == b, f.name


def test_a_changed_rule_file_is_read_again(tmp_path, monkeypatch):
    root = tmp_path / "rules"
    shutil.copytree(REPO / "rules", root)
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(tmp_path / "cache"))
    reg = cache.registry(root, verify=False)
    rule_id, source = next(iter(reg.sources.items()))
    path = root / Path(source).name
    title = reg.all_rules()[rule_id].title
    text = path.read_text(encoding="utf-8")
    assert f"title: {title}" in text
    path.write_text(text.replace(f"title: {title}", f"title: {title}（改）", 1), encoding="utf-8")
    assert cache.registry(root, verify=False).all_rules()[rule_id].title == f"{title}（改）"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to a read-only folder")
def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(folder / "checker"))
    try:
        reg = cache.registry(None, verify=False)
        assert reg.all_rules()
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_cache_folder_that_is_a_file_or_holds_garbage_only_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(blocker))
    assert cache.registry(None, verify=False).all_rules()
    folder = tmp_path / "c"
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(folder))
    cache.registry(None, verify=False)
    for entry in folder.glob("registry-*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert cache.registry(None, verify=False).all_rules()


def test_an_audit_writes_nothing_beside_the_report(tmp_path):
    import subprocess
    import sys

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(sorted(CORPUS.glob("*.txt"))[0], reports / "a.txt")
    env = {**os.environ, "CHECKER_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run fills the cache, the second reads it
        proc = subprocess.run([sys.executable, "-m", "checker", "audit", str(reports / "a.txt"), "--format", "json",
                               "--no-config"], capture_output=True, env=env, cwd=tmp_path)
        assert proc.returncode in (0, 1), proc.stderr.decode()[-500:]
    assert sorted(p.name for p in reports.iterdir()) == ["a.txt"]
    assert list((tmp_path / "cache").glob("registry-*.pickle"))


# --- the pool ---------------------------------------------------------------------------


def _copying_folder(tmp_path: Path, files: list[Path]) -> Path:
    """A folder of ``files`` and one more report that copies paragraphs from another body's
    report (copy-batch findings)."""
    from checker import ingest

    folder = tmp_path / "batch"
    folder.mkdir()
    for i, f in enumerate(files):
        shutil.copy(f, folder / f"{i:02d}-{f.name}")
    a, b = files[0], next(f for f in files[1:] if ingest.read(f).text != ingest.read(files[0]).text)
    long = [line for line in ingest.read(a).text.splitlines() if len(line.strip()) >= 60][:3]
    (folder / "zz-copy.txt").write_text(ingest.read(b).text + "\n" + "\n".join(long) + "\n", encoding="utf-8")
    return folder


def test_a_pool_batch_gives_the_same_full_results_as_one_process(auditor, tmp_path):
    """Copy signatures made while the pool runs: the same copy findings as one process."""
    from checker import batch
    from checker.config import Resolver

    folder = _copying_folder(tmp_path, _texts())
    items = batch.expand([str(folder)])
    one = batch.run_expanded(items, auditor, Resolver(use_config=False), jobs=1)
    two = batch.run_expanded(items, auditor, Resolver(use_config=False), jobs=2)
    assert [r.path for r in one] == [r.path for r in two]
    for x, y in zip(one, two):
        assert _full(x.report) == _full(y.report), x.path
    assert any(f.check == "copy-batch" for r in one for f in r.report.findings)


# --- the windowed search (prefilter.searches, match._matches) -----------------------------


def test_a_windowed_search_finds_what_the_whole_paragraph_search_finds(auditor):
    """For every concept of the registry and every paragraph of corpus/ and the seeds:
    searching only the paragraphs prefilter.searches names, round the concept's literals,
    gives the same matches, in order, as ``finditer`` over every whole paragraph."""
    from checker import ingest, match, structure

    prefilter.table_for(auditor.registry)  # installed again if other tests' registries pushed it out
    concepts = [c for r in auditor.registry.all_rules().values() for c in r.check.concepts.values()]
    windowed = compared = skipped = 0
    for f in _texts():
        index = match.DocIndex(structure.build(ingest.read(f)))
        text = index.doc.text
        for concept in concepts:
            pattern = match._compiled(concept)
            if pattern is None:
                continue
            plan = {para.index: wins for para, wins in prefilter.searches(concept, index, index.paragraphs)}
            # the same, asked for a part of the paragraphs (a section check's own part)
            some = index.paragraphs[1::2]
            assert prefilter.searches(concept, index, some) == [(p, plan[p.index]) for p in some if p.index in plan]
            for para in index.paragraphs:
                whole = [(m.start(), m.end()) for m in pattern.finditer(text, para.start, para.end) if m.end() > m.start()]
                if para.index not in plan:
                    assert whole == [], (f.name, concept.any[:3], concept.regex[:2], para.index)
                    skipped += 1
                    continue
                got = [(m.start(), m.end()) for m in match._matches(pattern, text, para, plan[para.index])]
                assert got == whole, (f.name, concept.any[:3], concept.regex[:2], para.index)
                compared += len(whole)
                windowed += plan[para.index] is not None
    assert compared > 1000 and windowed > 1000 and skipped > 1000  # the texts exercise it: windows used, paragraphs skipped


def test_patterns_that_look_beyond_their_match_are_searched_whole():
    assert prefilter.width_of(["法律顾问"], [r"(开展|组织)了?法治培训"]) == 7  # 开展 了 法治培训
    assert prefilter.width_of([], [r"执法(?!证)"]) is None  # a lookahead reads past the match
    assert prefilter.width_of([], [r"(?<!不)规范"]) is None
    assert prefilter.width_of([], [r"^一是"]) is None
    assert prefilter.width_of([], [r"审查[^。]*"]) is None  # no bound on its length
    assert prefilter.width_of([], [r"(审查)?"]) is None  # may match nothing


def test_the_batch_copy_index_finds_the_same_pairs_whatever_order_reports_arrive_in():
    """copies.Batch is filled as a pool's results come in (in any order): each report is
    looked up among those before it, so a pair must be found from either side."""
    from checker import ingest
    from checker.lint import copies

    files = _texts()
    texts = [ingest.read(f).text for f in files]
    base = next(t for t in texts if copies.paragraphs(t))
    shared = [p.text for p in copies.paragraphs(base)][:3]
    # three bodies: the first two carry the same paragraphs, the third its own and one of them
    reports = [(0, base, "甲"), (1, "\n".join(shared) + "\n", "乙"), (2, texts[-1] + "\n" + shared[0] + "\n", "丙")]

    def pairs(order):
        batch = copies.Batch()
        for key, text, owner in order:
            batch.add(key, text, owner)
        return {key: [(p.key, [q.key for q in others]) for p, others in items] for key, items in batch.shared().items()}

    forward, backward = pairs(reports), pairs(list(reversed(reports)))
    assert forward == backward
    # filled with what pool workers make (copies.sketch): the same pairs, the same paragraphs
    made = copies.Batch()
    for key, text, owner in reports:
        made.add(key, text, owner, copies.sketch(text))
    assert {key: [(p.key, [q.key for q in others]) for p, others in items]
            for key, items in made.shared().items()} == forward
    for (key, text, owner) in reports:
        for p in copies.paragraphs(text, key):
            q = made.paras[p.key]
            assert (q.start, q.end, q.text, q.norm) == (p.start, p.end, p.text, p.norm)
    assert set(forward) == {0, 1, 2}
    assert 2 in [q[0] for _, others in forward[1] for q in [others[0]]] or any(
        2 in {k[0] for k in others} for _, others in forward[0] + forward[1])
    # the same owner's reports never count as copies of each other
    same = copies.Batch()
    same.add(0, base, "甲")
    same.add(1, "\n".join(shared) + "\n", "甲")
    assert same.shared() == {}


def test_hits_made_without_the_frozen_init_equal_those_made_with_it(auditor):
    """match._exact_hit (every exact match) builds the Hit its class would: every field,
    defaults included, on the hits of corpus/ and the seeds."""
    from checker import ingest, match, structure

    made = 0
    for f in _texts()[:8]:
        index = match.DocIndex(structure.build(ingest.read(f)))
        for rule in auditor.registry.all_rules().values():
            for name, concept in rule.check.concepts.items():
                for h in index.hits(concept, name):
                    if h.quality != 1.0:
                        continue
                    plain = match.Hit(h.concept, h.paragraph, h.sentence, h.start, h.end, 1.0,
                                      clause=match.Hit.clause_start(h.sentence, h.start))
                    assert h == plain
                    assert vars(h) == vars(plain) and list(vars(h)) == [f.name for f in dataclasses.fields(match.Hit)]
                    made += 1
    assert made > 500


def test_a_hit_is_nested_exactly_when_a_longer_term_of_other_topics_holds_it(auditor):
    """DocIndex.nested walks the terms in order of start and stops early: the same answers as
    a look at every term of the paragraph, for every hit of every rule on corpus/ and the seeds."""
    from checker import ingest, match, pipeline, structure

    checked = nested = 0
    for f in _texts():
        doc = structure.build(ingest.read(f))
        index = match.DocIndex(doc)
        rules = [r for r in auditor.registry.all_rules().values() if r.check.kind == "phrases"]
        found = []
        for rule in rules:
            topic = match._topic(rule)
            for name, concept in rule.check.concepts.items():
                found += [(h, topic) for h in index.hits(concept, name)]
        for h, topic in found:
            index.terms.setdefault(h.paragraph.index, []).append((h.start, h.end, topic))
        for h, topic in found:
            plain = any(a <= h.start and h.end <= b and b - a > h.end - h.start and not (t & topic)
                        for a, b, t in index.terms.get(h.paragraph.index, ()))
            assert index.nested(h, topic) == plain
            checked += 1
            nested += plain
    assert checked > 2000 and nested > 20


def _ahead_folder(tmp_path: Path) -> tuple[Path, Path]:
    """corpus/ reports, one that copies paragraphs from another body's report (copy-batch
    findings, made after the pool), a zip member (shown as archive/member) and a waivers
    file: one live waiver, one expired (a warning and a note)."""
    import zipfile

    files = sorted(CORPUS.glob("*.txt"))[:10]
    folder = _copying_folder(tmp_path, files)
    with zipfile.ZipFile(folder / "yy-archive.zip", "w") as z:
        z.write(files[3], "member.txt")
    shutil.copy(CORPUS / "district-2024-no-three-systems.txt", folder / "xx-waived.txt")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        f"  - rule: three-systems\n    report: {folder / 'xx-waived.txt'}\n    reason: 已核实\n"
        f"  - rule: legal-adviser\n    report: {folder / ('02-' + files[2].name)}\n    reason: 临时\n    until: 2020-01-01\n",
        encoding="utf-8")
    return folder, waivers


@pytest.mark.parametrize("packed", [False, True], ids=["kept-as-text", "kept-compressed"])
def test_rows_made_ahead_in_the_pool_are_the_rows_the_parent_would_render(auditor, tmp_path, monkeypatch, packed):
    """With a pool each worker renders the rows it audits (Row.out); a row kept is exactly
    what the parent renders from the finished report, a row the batch's copy check changed
    is dropped, and one process (nothing made ahead) gives the same lines. A large batch
    keeps them compressed (here forced), and batch.made gives the same text back."""
    from checker import batch
    from checker.config import Resolver, overrides_from_cli
    from checker.render import csv as csv_r
    from checker.render import jsonl as jsonl_r

    folder, waivers = _ahead_folder(tmp_path)
    if packed:
        monkeypatch.setattr(batch, "PACK_OVER", 0)

    def prepare(row):
        return {"jsonl": jsonl_r.render([row.report]), "csv": csv_r.report_lines(row.report)}

    def run(jobs):
        resolver = Resolver(overrides_from_cli(waivers=str(waivers), fail_under=60), use_config=False)
        return batch.run_expanded(batch.expand([str(folder)]), auditor, resolver, jobs=jobs, prepare=prepare)

    one, two = run(1), run(2)
    assert all(row.out is None for row in one)
    kept = [row for row in two if row.out is not None]
    changed = [row for row in two if any(f.check == "copy-batch" for f in row.report.findings)]
    assert changed and len(kept) == len(two) - len(changed)
    for row in kept:
        assert all(isinstance(v, bytes) == packed for v in row.out.values())
        assert {k: batch.made(row, k) for k in row.out} == \
            {"jsonl": jsonl_r.render([row.report]), "csv": csv_r.report_lines(row.report)}, row.path
    assert any("/" in row.report.file and row.report.file.endswith("member.txt") for row in kept)
    assert any(r.waiver for row in kept for r in row.report.results)  # the live waiver, applied ahead
    assert any(row.warnings for row in kept)  # the expired one
    assert [jsonl_r.render([r.report]) for r in one] == [batch.made(r, "jsonl") or jsonl_r.render([r.report]) for r in two]


def test_a_pool_batch_writes_the_same_jsonl_and_csv_as_one_process(tmp_path):
    """The whole command, pool against one process: byte-identical jsonl and csv (rows made
    ahead by the workers, rows changed by copy findings made again), sorted by coverage too."""
    import subprocess
    import sys

    folder, waivers = _ahead_folder(tmp_path)
    outs = {}
    for jobs in ("1", "2"):
        jsonl_path, csv_path = tmp_path / f"out-{jobs}.jsonl", tmp_path / f"out-{jobs}.csv"
        proc = subprocess.run([sys.executable, "-m", "checker", "audit", str(folder), "-o", str(jsonl_path),
                               "-o", str(csv_path), "--no-config", "-q", "--jobs", jobs, "--sort", "coverage",
                               "--waivers", str(waivers)], capture_output=True, cwd=REPO)
        assert proc.returncode in (0, 1), proc.stderr.decode()[-800:]
        outs[jobs] = (jsonl_path.read_bytes(), csv_path.read_bytes(), proc.stderr)
    assert outs["1"] == outs["2"]
    assert b'"copy-batch"' in outs["1"][0] and outs["1"][0].count(b"\n") == 13


def test_the_pools_worker_handler_does_not_wake_for_every_result(auditor, tmp_path, monkeypatch):
    """CPython's Pool has its worker-handler thread wait on the result pipe too: it wakes,
    and spins, while every result lies unread. The batch's pool waits only for a worker to
    end or the pool to change: a few wake-ups a batch, not one or more a result."""
    from multiprocessing import pool as mp_pool

    from checker import batch
    from checker.config import Resolver

    folder = tmp_path / "many"
    folder.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    for i in range(48):
        shutil.copy(files[i % len(files)], folder / f"{i:02d}.txt")
    wakes = []
    real = mp_pool.Pool._wait_for_updates

    def counted(sentinels, change_notifier, timeout=None):
        real(sentinels, change_notifier, timeout)
        wakes.append(1)

    monkeypatch.setattr(mp_pool.Pool, "_wait_for_updates", staticmethod(counted))
    rows = batch.run_expanded(batch.expand([str(folder)]), auditor, Resolver(use_config=False), jobs=2)
    assert len(rows) == 48 and all(r.report and not r.report.error for r in rows)
    assert len(wakes) <= 6, len(wakes)


def test_the_pool_is_handed_the_largest_reports_first(auditor, tmp_path, monkeypatch):
    """Largest first (a long report handed out last would keep one worker busy while the
    others wait); results still come back to their own rows."""
    from checker import batch
    from checker.config import Resolver

    folder = tmp_path / "sizes"
    folder.mkdir()
    files = sorted(CORPUS.glob("*.txt"), key=lambda f: f.stat().st_size)
    for i, f in enumerate(files[:3] + files[-3:]):  # small ones first in input order
        shutil.copy(f, folder / f"{i}.txt")
    handed = []

    class InProcess:  # the pool's interface, run here, recording the order it is handed
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def apply_async(self, func, args, callback, error_callback):
            handed.extend(Path(t[1]).name for t in args[2])  # (work, first position, its tasks)
            callback(func(*args))

    monkeypatch.setattr(batch, "_fork_pool", lambda workers: InProcess())
    rows = batch.run_expanded(batch.expand([str(folder)]), auditor, Resolver(use_config=False), jobs=2)
    sizes = {f"{i}.txt": f.stat().st_size for i, f in enumerate(files[:3] + files[-3:])}
    assert [sizes[n] for n in handed] == sorted(sizes.values(), reverse=True)
    assert [Path(r.report.file).name for r in rows] == [f"{i}.txt" for i in range(6)]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc (Linux)")
def test_a_batch_audit_leaves_numpy_no_spinning_blas_threads(tmp_path):
    """numpy's OpenBLAS starts a thread a core when loaded, which spins for ~0.1 s of CPU
    (taken from a pool's other worker); the checker does no linear algebra. A batch (its
    copy check imports numpy) runs in one thread; a number the user set is kept."""
    import subprocess
    import sys

    folder = tmp_path / "two"
    folder.mkdir()
    for f in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(f, folder / f.name)
    script = ("import os, sys\nfrom checker import command\n"
              f"try:\n    command.main(['audit', {str(folder)!r}, '-f', 'jsonl', '--no-config', '-q', '--jobs', '1'])\n"
              "except SystemExit:\n    pass\n"
              "assert 'numpy' in sys.modules\n"
              "print(len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS', '-'))\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    got = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, env=env)
    assert got.stdout.split("\n")[-2] == "1 1", got.stderr[-500:]
    got = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                         env={**env, "OPENBLAS_NUM_THREADS": "2"})
    assert got.stdout.split("\n")[-2].endswith(" 2"), got.stderr[-500:]


def test_pool_workers_inherit_rapidfuzz_from_the_parent(tmp_path):
    """The parent needs rapidfuzz for the batch's copy index anyway: imported before the
    fork, no worker imports it again (~20 ms each). In a fresh process, so that nothing
    else imported it first."""
    import subprocess
    import sys

    folder = tmp_path / "three"
    folder.mkdir()
    for f in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(f, folder / f.name)
    log = tmp_path / "seen.txt"
    script = (
        "import sys\n"
        "from checker import batch\nfrom checker.config import Resolver\nfrom checker.pipeline import Auditor\n"
        "real = batch._audit\n"
        "def seen(task):\n"
        f"    open({str(log)!r}, 'a').write(str(int('rapidfuzz.fuzz' in sys.modules)))\n"
        "    return real(task)\n"
        "batch._audit = seen\n"
        "assert 'rapidfuzz' not in sys.modules\n"
        f"rows = batch.run_expanded(batch.expand([{str(folder)!r}]), Auditor(), Resolver(use_config=False), jobs=2)\n"
        "assert len(rows) == 3\n")
    got = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert got.returncode == 0, got.stderr[-800:]
    assert log.read_text() == "111"
