"""Speed and memory figures (`make bench`). Prints; asserts nothing.

- cold single audit: one `checker audit FILE --format json` process (the segmentation
  model is loaded only if a rule needs document tokens)
- batch: `checker audit DIR` (one process, fork pool) against five single
  `checker audit FILE` runs, with --jobs 1 for comparison, and a batch of 40
- model load: building the Auditor and loading the segmentation model in-process
- warm per report: auditing a report with the model already loaded
- copy detection: a batch of 200 reports with and without copy-batch (MinHash LSH)
- formats: .doc conversion by LibreOffice (s/file, alone and batched), PDF text layer and
  OCR of a scanned PDF (s/page)
- scaling (`bench/run.py --scaling` runs only this): audit time against input length for
  the shapes that once were quadratic — one long line, a long run of digits, many lines
  citing 《…2023年…》 documents, many ordinary lines — at n, 2n, 4n; linear when the last
  column (time per 1,000 characters) stays flat, the ratio t(4n)/t(n) near 4
- peak RSS of the largest process of each run (CLI runs are measured before this process
  loads the model: a forked child inherits its parent's RSS high-water mark)
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHECKER = REPO / ".venv" / "bin" / "checker"
SEEDS = REPO.parent / "shared" / "seeds"


def inputs() -> tuple[str, list[Path]]:
    if SEEDS.is_dir() and len(list(SEEDS.glob("*.txt"))) >= 2:
        return str(SEEDS), sorted(SEEDS.glob("*.txt"))
    files = sorted((REPO / "corpus").glob("*.txt"))[:5]
    return "", files


def run(args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit status, peak RSS (MiB) of the largest process (the child or one it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(CHECKER), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024


def best_of(n: int, args: list[str]) -> tuple[float, int, int]:
    runs = [run(args) for _ in range(n)]
    return min(r[0] for r in runs), runs[0][1], max(r[2] for r in runs)


def main() -> None:
    if not CHECKER.exists():
        sys.exit("bench: .venv/bin/checker is missing; run `make setup` first")
    folder, files = inputs()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"checker bench — {len(files)} reports from {folder or 'corpus/'}; {cpus} CPU(s) available")
    print()

    cold, _, cold_rss = best_of(3, ["audit", str(files[0]), "--format", "json", "--no-config"])
    print(f"{'cold single audit (new process, model only if needed)':<53}{cold:6.2f} s   peak RSS {cold_rss} MiB")

    singles = [run(["audit", str(f), "--format", "json", "--no-config"]) for f in files]
    single_total = sum(s[0] for s in singles)
    target = [folder] if folder else [str(f) for f in files]
    batch, _, batch_rss = best_of(3, ["audit", *target, "--format", "json", "--no-config"])
    seq, _, seq_rss = best_of(3, ["audit", *target, "--format", "json", "--no-config", "--jobs", "1"])
    what = "DIR" if folder else "FILES"
    print(f"{f'{len(files)} single `checker audit FILE` runs':<53}{single_total:6.2f} s"
          f"   peak RSS {max(s[2] for s in singles)} MiB each")
    print(f"{f'batch `checker audit {what}` (fork pool, {cpus} jobs)':<53}{batch:6.2f} s"
          f"   peak RSS {batch_rss} MiB   {single_total / batch:4.1f}× faster")
    print(f"{'batch with --jobs 1 (sequential, one process)':<53}{seq:6.2f} s"
          f"   peak RSS {seq_rss} MiB   {single_total / seq:4.1f}× faster")

    # a bigger batch, where spreading the work over the cores can pay for the forks
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="checker-bench-") as tmp:
        for i in range(8):
            for f in files:
                shutil.copy(f, Path(tmp) / f"{i}-{f.name}")
        n = 8 * len(files)
        big, _, big_rss = best_of(2, ["audit", tmp, "--format", "json", "--no-config"])
        big_seq, _, _ = best_of(2, ["audit", tmp, "--format", "json", "--no-config", "--jobs", "1"])
        print(f"{f'{n} reports (the {len(files)} copied 8 times), fork pool, {cpus} jobs':<53}{big:6.2f} s"
              f"   peak RSS {big_rss} MiB   {big / n * 1000:.0f} ms/report")
        print(f"{f'{n} reports, --jobs 1':<53}{big_seq:6.2f} s")
    copy_detection(cpus)
    print()
    formats(files)
    print()
    # in-process timings last: a child forked after the model is loaded here would inherit
    # this process's RSS high-water mark and every later figure would read ~860 MiB
    sys.path.insert(0, str(REPO))
    from checker.pipeline import Auditor, Options

    t = time.perf_counter()
    auditor = Auditor()
    auditor.segmenter
    load = time.perf_counter() - t
    print(f"{'model load (Auditor + pkuseg, in-process)':<53}{load:6.2f} s")
    per = []
    for _ in range(3):
        for f in files:
            t = time.perf_counter()
            auditor.audit_path(f, Options())
            per.append(time.perf_counter() - t)
    sizes = [f.stat().st_size // 1024 for f in files]
    print(f"{f'warm per report (model loaded; median of {len(per)})':<53}{statistics.median(per) * 1000:6.0f} ms"
          f"  (max {max(per) * 1000:.0f} ms; reports {min(sizes)}–{max(sizes)} KiB)")

    print()
    scaling(auditor)

    print()
    print(f"this bench process: peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")


def copy_detection(cpus: int) -> None:
    """200 reports with copy detection across the batch (形式审查 copy-batch, MinHash LSH)
    against the same batch without it (--ignore copy-batch)."""
    import shutil
    import tempfile

    pool = ([*sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []) + sorted((REPO / "corpus").glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="checker-bench-copies-") as tmp:
        for i in range(200):
            f = pool[i % len(pool)]
            shutil.copy(f, Path(tmp) / f"{i:03d}-{f.name}")
        base = ["audit", tmp, "--format", "json", "--no-config"]
        without, _, _ = best_of(2, [*base, "--ignore", "copy-batch"])
        with_copies, _, _ = best_of(2, base)
    print(f"{f'200 reports ({len(pool)} texts, each copied), no copy detection':<53}{without:6.2f} s")
    print(f"{'200 reports with copy detection across the batch':<53}{with_copies:6.2f} s"
          f"   {with_copies / without:4.2f}× the time without")
    # the copy search alone, in-process, on the same 200 normalised texts and on 400
    sys.path.insert(0, str(REPO))
    from checker import ingest
    from checker.lint import copies

    texts = [ingest.read(pool[i % len(pool)]).text for i in range(400)]
    for n in (200, 400):
        t = time.perf_counter()
        found = copies.shared_across(texts[:n], [f"body{i}" for i in range(n)])
        took = time.perf_counter() - t
        print(f"{f'  copy search alone, {n} reports (every copy shared)':<53}{took:6.2f} s"
              f"   {sum(len(v) for v in found.values())} shared paragraphs")
def formats(files: list[Path]) -> None:
    """Reading other formats: LibreOffice conversion per file (one process per file, and
    one process for the batch), the PDF text layer per page, OCR per page."""
    import shutil
    import tempfile

    sys.path.insert(0, str(REPO))
    from checker.formats import ocr, office, pdf

    exe = office.soffice_path()
    if exe is None:
        print("formats: LibreOffice is not installed; conversion, PDF and OCR figures skipped")
        return
    with tempfile.TemporaryDirectory(prefix="checker-bench-formats-") as tmp:
        tmp_path = Path(tmp)
        for f in files:
            shutil.copy(f, tmp_path / f.name)
        texts = sorted(tmp_path.glob("*.txt"))
        profile = (tmp_path / "profile").as_uri()
        for fmt in ("doc", "pdf"):
            subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless",
                            "--infilter=Text (encoded):UTF8,,", "--convert-to", fmt, "--outdir", str(tmp_path),
                            *map(str, texts)], check=True, capture_output=True)
        docs = sorted(tmp_path.glob("*.doc"))
        t = time.perf_counter()
        for d in docs:
            office._CONVERTED.clear()
            office.convert(d)
        one_each = (time.perf_counter() - t) / len(docs)
        office._CONVERTED.clear()
        t = time.perf_counter()
        office.prepare(docs)
        batch = (time.perf_counter() - t) / len(docs)
        print(f"{'.doc → .docx, one LibreOffice per file':<53}{one_each:6.2f} s/file")
        print(f"{f'.doc → .docx, one LibreOffice for {len(docs)} files (batch)':<53}{batch:6.2f} s/file")
        pdfs = sorted(tmp_path.glob("*.pdf"))
        import pypdfium2 as pdfium

        pages = sum(len(pdfium.PdfDocument(str(p))) for p in pdfs)
        t = time.perf_counter()
        for p in pdfs:
            pdf.read_pdf(p)
        print(f"{f'PDF text layer ({pages} pages)':<53}{(time.perf_counter() - t) / pages:6.2f} s/page")
        if ocr.available():
            print(f"OCR: {ocr.available()}; skipped")
            return
        doc = pdfium.PdfDocument(str(pdfs[0]))
        images = [doc[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
        scan = tmp_path / "scan.pdf"
        images[0].save(scan, save_all=True, append_images=images[1:], resolution=200)
        t = time.perf_counter()
        pdf.read_pdf(scan)
        print(f"{f'OCR, scanned PDF at 200 dpi ({len(images)} pages, Tesseract)':<53}"
              f"{(time.perf_counter() - t) / len(images):6.2f} s/page")


# --- scaling ----------------------------------------------------------------------------

_HEAD = "某县人民政府关于2023年度法治政府建设情况的报告\n一、主要工作\n"
_LINE = "县政府主要负责人切实履行推进法治建设第一责任人职责，全面推行行政执法三项制度，"


def _shape(kind: str, n: int) -> str:
    """A synthetic report of about ``n`` characters in one of the hostile shapes."""
    if kind == "long line":
        return _HEAD + (_LINE * (n // len(_LINE) + 1))[:n] + "\n"
    if kind == "digit run":
        return _HEAD + "全年办理案件" + "7" * n + "件。\n"
    if kind == "citations":
        line = "印发《某县2023年第{}号规范性文件》，全面推行行政执法三项制度。"
        return _HEAD + "\n".join(line.format(i) for i in range(n // 32 + 1)) + "\n"
    return _HEAD + "\n".join(_LINE + f"共办理{i}件。" for i in range(n // 48 + 1)) + "\n"  # ordinary lines


def scaling(auditor=None, base: int = 100_000) -> None:
    sys.path.insert(0, str(REPO))
    from checker import ingest
    from checker.model import Source
    from checker.pipeline import Auditor, Options

    auditor = auditor or Auditor()
    auditor.audit_source(Source(path="warm", text=_shape("lines", 2000), encoding="utf-8", sha256=""), Options())
    print(f"{'scaling: audit time against input length':<53}       n       2n       4n   4n/n   ms per 1,000 chars")
    for kind in ("long line", "digit run", "citations", "lines"):
        times = []
        sizes = (base, 2 * base, 4 * base)
        for n in sizes:
            text, _, _ = ingest.normalise(_shape(kind, n))
            source = Source(path=kind, text=text, encoding="utf-8", sha256="")
            t = time.perf_counter()
            auditor.audit_source(source, Options())
            times.append(time.perf_counter() - t)
        per = "  ".join(f"{t / n * 1e6:5.2f}" for t, n in zip(times, sizes))
        print(f"{f'  {kind} (n = {base:,} chars)':<53}{times[0]:6.2f} s {times[1]:6.2f} s {times[2]:6.2f} s"
              f"  {times[2] / max(times[0], 1e-9):4.1f}   {per}")


# --- issue 13: the figures side by side --------------------------------------------------

_CTRL_F = """import sys
data = open(sys.argv[1], 'rb').read()
try:
    text = data.decode('utf-8')
except UnicodeDecodeError:
    text = data.decode('gb18030', errors='replace')
words = ['第一责任人', '三项制度', '法律顾问', '公职律师', '不足', '原因', '行政复议', '行政诉讼',
         '合法性审查', '重大行政决策', '规范性文件', '执法公示', '法制审核', '全过程记录', '述法',
         '学法', '普法', '政务公开', '信访', '应诉', '备案审查', '权责清单', '营商环境', '下一步']
print(sum(w in text for w in words))
"""


def _median_run(n: int, argv: list[str]) -> tuple[float, int]:
    runs = []
    for _ in range(n):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        _, _, usage = os.wait4(proc.pid, 0)
        runs.append((time.perf_counter() - start, usage.ru_maxrss // 1024))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def _vary(text: str, i: int) -> str:
    """Copy i of a report: one body line left out (a different one each time) and a line of
    its own added, so no two of the generated reports are the same text."""
    lines = text.splitlines()
    if len(lines) > 3:
        del lines[1 + i % (len(lines) - 1)]
    lines.append(f"本报告为第{i}份测试样本，共收到意见{i % 97}条。")
    return "\n".join(lines) + "\n"


def _tree(root: int) -> list[int]:
    """root and every process below it (from /proc: parent ids)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _rss_pss(pid: int) -> tuple[int, int]:
    """Resident and proportional set size (KiB) of one process: PSS divides each shared page
    (the mapped model in the page cache) among the processes that map it."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


_TREE_PEAK: dict[str, object] = {}  # the last _run_tree's per-process RSS (MiB) at its peak, its CPU seconds


def _run_tree(argv: list[str], every: float = 0.2, env: dict | None = None) -> tuple[float, int, int, int]:
    """Run argv; wall seconds, exit status and the peak over time of the summed RSS and
    summed PSS (MiB) of its whole process tree, sampled every ``every`` seconds. The
    tree's CPU seconds (user + system, the workers included once reaped) go to
    _TREE_PEAK["cpu"]: on a shared machine they say what the wall time cannot."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env)
    peak_rss = peak_pss = 0
    _TREE_PEAK.clear()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        pairs = [_rss_pss(p) for p in _tree(proc.pid)]
        if sum(r for r, _ in pairs) > peak_rss:
            _TREE_PEAK["rss"] = [r // 1024 for r, _ in pairs]
            _TREE_PEAK["at"] = time.perf_counter() - start
        peak_rss = max(peak_rss, sum(r for r, _ in pairs))
        peak_pss = max(peak_pss, sum(p for _, p in pairs))
        time.sleep(every)
    proc.returncode = os.waitstatus_to_exitcode(status)
    _TREE_PEAK["cpu"] = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, proc.returncode, peak_rss // 1024, peak_pss // 1024


_LOAD_PROBE = """
import os, sys, time, resource
def vm(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) // 1024
from checker import nlp
from checker.rules import all_terms, cached_registry
terms = tuple(all_terms(cached_registry()))
before = vm('VmRSS:')
t = time.perf_counter()
seg = nlp.get_segmenter(terms, mapped=sys.argv[1] == 'mapped')
load = time.perf_counter() - t
loaded = vm('VmRSS:')
text = open(sys.argv[2], encoding='utf-8').read()
t = time.perf_counter()
seg.cut(text)
cut = time.perf_counter() - t
print(type(seg).__name__, load, before, loaded, vm('VmRSS:'), vm('VmHWM:'), cut, len(text))
"""


def model_load_figures() -> None:
    """Issue 13, point 4: the segmentation model's load time and resident memory in a new
    process, mapped (checker.pkumap) against spaCy's own pkuseg loader; then 200 corpus/
    reports that need document tokens with --jobs 1 and 2: peak RSS and PSS of the whole
    process tree (shared model pages counted once in PSS)."""
    import shutil
    import tempfile

    sample = max(sorted((REPO / "corpus").glob("*.txt")), key=lambda f: f.stat().st_size)
    text = Path(tempfile.mkdtemp(prefix="checker-bench-load-")) / "sample.txt"
    try:
        sys.path.insert(0, str(REPO))
        from checker import ingest

        text.write_text(ingest.read(sample).text, encoding="utf-8")
        for how in ("mapped", "original"):
            got = subprocess.run([sys.executable, "-c", _LOAD_PROBE, how, str(text)], capture_output=True,
                                 text=True, cwd=REPO).stdout.split()
            if len(got) != 8:
                print(f"4. model load ({how}): probe failed")
                continue
            name, load, before, loaded, after, hwm, cut, chars = got
            print(f"{f'4. model load, {how} ({name}), new process':<53}{float(load):6.3f} s"
                  f"   +{int(loaded) - int(before)} MiB resident (process {loaded} MiB, peak {hwm} MiB);"
                  f" first cut of {int(chars):,} chars {float(cut):.2f} s, then {after} MiB")
        print(f"{'   target':<53}  ≤ 0.3 s, ≤ 150 MiB")
    finally:
        shutil.rmtree(text.parent, ignore_errors=True)

    with tempfile.TemporaryDirectory(prefix="checker-bench-jobs-") as tmp:
        pool = sorted((REPO / "corpus").glob("*.txt"))
        for i in range(200):
            shutil.copy(pool[i % len(pool)], Path(tmp) / f"{i:03d}-{pool[i % len(pool)].name}")
        base = [str(CHECKER), "audit", tmp, "--format", "jsonl", "--no-config", "-q"]
        for jobs in (1, 2, 4):
            wall, _, rss, pss = _run_tree([*base, "--jobs", str(jobs)], every=0.05)
            print(f"{f'4. 200 corpus/ reports (model needed), --jobs {jobs}':<53}{wall:6.2f} s"
                  f"   process tree peak: RSS {rss} MiB (shared pages counted in each process), PSS {pss} MiB")


def _generated(n: int):
    """n report texts made by varying corpus/ texts (see _vary), one at a time."""
    sys.path.insert(0, str(REPO))
    from checker import ingest

    texts = [ingest.read(f).text for f in sorted((REPO / "corpus").glob("*.txt"))]
    for i in range(n):
        yield i, _vary(texts[i % len(texts)], i)


def national(n: int = 10_000, jobs: int = 2, xlsx: bool = False) -> tuple[float, int, int, int, int]:
    """Issue 13, point 5: a streamed run (--stream -o out.jsonl [-o out.xlsx]) of n reports
    generated from corpus/ into a temporary folder (removed afterwards): wall seconds,
    exit status, peak RSS and PSS of the whole process tree (MiB), rows written."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="checker-bench-national-") as tmp:
        folder = Path(tmp) / "reports"
        for i, text in _generated(n):
            sub = folder / f"{i // 1000:03d}"
            if i % 1000 == 0:
                sub.mkdir(parents=True, exist_ok=True)
            (sub / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        out = Path(tmp) / "out.jsonl"
        argv = [str(CHECKER), "audit", str(folder), "--no-config", "--stream", "-q", "--jobs", str(jobs), "-o", str(out)]
        if xlsx:
            argv += ["-o", str(Path(tmp) / "out.xlsx")]
        wall, status, rss, pss = _run_tree(argv, every=0.5)
        rows = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
    return wall, status, rss, pss, rows


def national_figures(n: int, jobs: int = 2) -> None:
    wall, status, rss, pss, rows = national(n, jobs)
    print(f"{f'5. streamed run, {n:,} generated reports, --jobs {jobs}':<53}{wall:6.1f} s"
          f"   {rows / wall if wall else 0:5.0f} reports/s   tree peak RSS {rss} MiB, PSS {pss} MiB"
          f"   {rows:,} rows (exit {status})")
    print(f"{'   at the peak, RSS of each process (MiB)':<53}{_TREE_PEAK.get('rss')} at {_TREE_PEAK.get('at', 0):.0f} s")
    cpu = float(_TREE_PEAK.get("cpu", 0.0))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cpu and rows:
        print(f"{'   CPU of the whole tree (user + system)':<53}{cpu:6.1f} s   {cpu / rows * 1000:.1f} ms/report;"
              f" on {cores} idle cores ≈ {cpu / rows * 100_000 / cores / 60:.1f} min per 100,000"
              f" (load average now {os.getloadavg()[0]:.1f})")
    if n < 100_000:
        per_100k = wall / max(rows, 1) * 100_000
        print(f"{'   extrapolated to 100,000 (linear from this run)':<53}{per_100k / 60:6.1f} min"
              f"   (target ≤ 10 min, ≤ 500 MiB)")
    else:
        print(f"{'   target':<53}  ≤ 10 min, ≤ 500 MiB")


def issue13(n_national: int = 10_000) -> None:
    """Cold audit vs a Ctrl+F floor, warm reports/s, --jobs 2 vs --jobs 1 (seeds and
    corpus/), model load time and RSS, a streamed national-year run."""
    import shutil
    import tempfile

    folder, files = inputs()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"issue 13 figures — load average {load:.1f} on {os.cpu_count()} CPUs "
          f"(other work on the machine: the figures are noisy and pessimistic)")
    cold_vs_floor(files[0])
    pool_scaling(folder, files)

    model_load_figures()
    national_figures(n_national)

    warm_rate(files)  # in-process last (the model stays in this process)


def _median_wall_cpu(n: int, argv: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """Median wall seconds, median CPU seconds (user + system: less disturbed by other work on
    a shared machine), peak RSS MiB of ``n`` runs of a process."""
    walls, cpus, rss = [], [], 0
    for _ in range(n):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
                                env={**os.environ, **(env or {})})
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        rss = max(rss, usage.ru_maxrss // 1024)
    return statistics.median(walls), statistics.median(cpus), rss


def cold_vs_floor(report: Path, runs: int = 11) -> None:
    """1. A whole `checker audit FILE --format json` process against a Ctrl+F script over the
    same file in the same Python (medians; one unmeasured run first fills the user cache),
    and the same audit with the speed-ups off (no cache, no prefilter)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="checker-bench-13-") as tmp:
        script = Path(tmp) / "ctrl_f.py"
        script.write_text(_CTRL_F, encoding="utf-8")
        argv = [str(CHECKER), "audit", str(report), "--format", "json", "--no-config"]
        # bytecode as an installed checker has it (pip compiles a wheel's modules when it
        # installs them; an editable checkout under PYTHONDONTWRITEBYTECODE=1 has none)
        import compileall

        compileall.compile_dir(str(REPO / "checker"), quiet=1)
        _median_run(1, argv)
        # interleaved, an audit then a floor run: a change of the machine's pace (other work,
        # its clock) moves both alike instead of the ratio
        audits, floors = [], []
        for _ in range(runs):
            audits.append(_median_wall_cpu(1, argv))
            floors.append(_median_wall_cpu(1, [sys.executable, str(script), str(report)]))
        cold, cold_cpu = statistics.median(a[0] for a in audits), statistics.median(a[1] for a in audits)
        floor, floor_cpu = statistics.median(f[0] for f in floors), statistics.median(f[1] for f in floors)
        cold_rss, floor_rss = max(a[2] for a in audits), max(f[2] for f in floors)
        plain, plain_cpu, _ = _median_wall_cpu(max(3, runs // 2), argv, {"CHECKER_CACHE": "0", "CHECKER_PREFILTER": "0"})
    print(f"{f'1. cold audit (median of {runs}) vs Ctrl+F floor':<53}{cold:6.3f} s vs {floor:.3f} s"
          f"   {cold / floor:5.1f}× (target ≤ 5×)   RSS {cold_rss} vs {floor_rss} MiB")
    print(f"{'   CPU time (user + system), the same runs':<53}{cold_cpu:6.3f} s vs {floor_cpu:.3f} s"
          f"   {cold_cpu / max(floor_cpu, 1e-3):5.1f}×")
    print(f"{'   cache and prefilter off (CHECKER_CACHE=0 …)':<53}{plain:6.3f} s         "
          f"{plain / floor:5.1f}×   CPU {plain_cpu:.3f} s")


def pool_scaling(folder: str, files: list[Path], runs: int = 5) -> None:
    """3. 200 reports (the seeds ×40; corpus/ ×N, where some need the segmentation model)
    with --jobs 1 and --jobs 2, whole processes, median of ``runs`` each, interleaved."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="checker-bench-13-") as tmp:
        for name, pool in (("seeds ×40" if folder else "corpus ×", files),
                           ("corpus/ (model needed)", sorted((REPO / "corpus").glob("*.txt")))):
            d = Path(tmp) / f"b{len(pool)}-{name[:5]}"
            d.mkdir()
            for i in range(200):
                f = pool[i % len(pool)]
                shutil.copy(f, d / f"{i:03d}-{f.name}")
            base = [str(CHECKER), "audit", str(d), "--format", "jsonl", "--no-config", "-q"]
            ones, twos = [], []
            for _ in range(runs):  # interleaved: a burst of other work hits both
                ones.append(_median_wall_cpu(1, [*base, "--jobs", "1"]))
                twos.append(_median_wall_cpu(1, [*base, "--jobs", "2"]))
            one, two = statistics.median(r[0] for r in ones), statistics.median(r[0] for r in twos)
            # each --jobs 2 run against the --jobs 1 run just before it: a slow spell of the
            # machine (a shared VM's pace moves by ±20 % within minutes) lands on both
            paired = statistics.median(a[0] / b[0] for a, b in zip(ones, twos))
            print(f"{f'3. 200 reports, {name}: --jobs 1 vs --jobs 2':<53}{one:6.2f} s vs {two:.2f} s"
                  f"   {one / two:4.2f}× (target ≥ 1.8×)   peak RSS {max(r[2] for r in ones)} / "
                  f"{max(r[2] for r in twos)} MiB   (median of {runs})")
            print(f"{'   the same, median of the run-by-run ratios':<53}{'':22}{paired:4.2f}×")
            # CPU of the whole run, workers included: the pool should add little work; on a
            # machine busy with other work the wall ratio cannot show the scaling
            print(f"{'   CPU time, all processes of the run':<53}{statistics.median(r[1] for r in ones):6.2f} s vs "
                  f"{statistics.median(r[1] for r in twos):.2f} s   load average now {os.getloadavg()[0]:.1f}")


def warm_rate(files: list[Path], seconds: float = 5.0) -> None:
    """2. Reports a second on one core, in-process, the Auditor and its caches warm."""
    sys.path.insert(0, str(REPO))
    from checker.pipeline import Auditor, Options

    auditor = Auditor()
    for f in files:
        auditor.audit_path(f, Options())  # warm: rules compiled, caches filled
    rates = []
    for _ in range(3):
        t = time.perf_counter()
        count = 0
        while time.perf_counter() - t < seconds / 3 or count < len(files):
            auditor.audit_path(files[count % len(files)], Options())
            count += 1
        rates.append(count / (time.perf_counter() - t))
    rate = statistics.median(rates)
    cpu_ms = 1000 / rate
    print(f"{'2. warm reports/s, one core, in-process (seeds)':<53}{rate:6.1f} /s   (target ≥ 200 /s)"
          f"   {cpu_ms:.1f} ms a report (median of 3)")


if __name__ == "__main__":
    if "--scaling" in sys.argv:
        scaling()
    elif "--issue13" in sys.argv:
        issue13(int(sys.argv[sys.argv.index("--issue13") + 1]) if len(sys.argv) > sys.argv.index("--issue13") + 1
                else 10_000)
    elif "--cold" in sys.argv:  # only the cold audit vs the Ctrl+F floor (issue 13 point 1)
        cold_vs_floor(inputs()[1][0])
    elif "--model-load" in sys.argv:
        model_load_figures()
    elif "--national" in sys.argv:
        national_figures(int(sys.argv[sys.argv.index("--national") + 1]))
    elif "--copies" in sys.argv:
        copy_detection(0)
    elif "--warm" in sys.argv:  # only warm reports/s in-process (issue 13 point 2)
        warm_rate(inputs()[1])
    elif "--pool" in sys.argv:  # only --jobs 2 vs --jobs 1, seeds and corpus/ (issue 13 point 3)
        pool_scaling(*inputs())
    else:
        main()
