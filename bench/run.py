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


if __name__ == "__main__":
    if "--scaling" in sys.argv:
        scaling()
    elif "--copies" in sys.argv:
        copy_detection(0)
    else:
        main()
