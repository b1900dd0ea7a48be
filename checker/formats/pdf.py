"""PDF: the text layer through pypdfium2 (Google's PDFium, the engine in Chrome), in a
child process with a time and memory limit, since a PDF is untrusted input.

Why pypdfium2: one wheel with PDFium inside (no system library, Windows included), the
fastest of the maintained Python PDF libraries, robust against malformed files, and it
renders pages too, so a scanned PDF goes to OCR without Poppler or Ghostscript.

Text comes out in reading order (PDFium's text page), running headers, footers and page
numbers are removed, lines are joined back into paragraphs (:mod:`.layout`). A PDF with
no text layer on most pages is a scan: its pages are rendered and read by :mod:`.ocr`.

Child commands (``python -m checker.formats.pdf``): ``text PATH`` prints JSON
``{"pages": [[line, ...], ...]}``; ``render PATH OUTDIR DPI FIRST LAST`` writes PNG pages.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from checker.errors import InputError
from checker.formats import guard, layout

MIN_CHARS_PER_PAGE = 30  # fewer on most pages: a scan (a seal or a page number is not text)


def _child_error(stderr: bytes) -> str:
    last = (stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
    return last.removeprefix("checker-pdf: ")


def _run(args: list[str], timeout: float, what: str) -> bytes:
    import subprocess

    try:
        done = guard.run_child(guard.python_child("checker.formats.pdf", *args), timeout)
    except subprocess.TimeoutExpired:
        raise InputError(f"PDF 文件{what}超时（{timeout:g} 秒），已终止：文件可能已损坏或构造异常") from None
    if done.returncode != 0:
        msg = _child_error(done.stderr)
        if msg.startswith(("已加密", "页数过多", "PDF")):
            raise InputError(msg)
        if done.returncode < 0 or "MemoryError" in msg:
            raise InputError("PDF 文件读取失败：超出内存限制，文件可能构造异常")
        raise InputError(f"PDF 文件已损坏或格式不正确，无法读取（{msg[:80] or done.returncode}）")
    return done.stdout


def read_pdf(path: Path, progress=None) -> tuple[str, list[str]]:
    """Text of a PDF and Chinese notes. Raises InputError with one line."""
    timeout = guard.env_int("CHECKER_PDF_TIMEOUT", guard.PDF_TIMEOUT)
    data = json.loads(_run(["text", str(path)], timeout, "读取"))
    pages: list[list[list]] = data["pages"]  # [text, left, right, height] per line
    n = len(pages)
    if n == 0:
        raise InputError("PDF 文件没有页面")
    with_text = sum(1 for page in pages if sum(len(line[0].strip()) for line in page) >= MIN_CHARS_PER_PAGE)
    if with_text >= max(1, n // 2):
        text, dropped = layout.pages_to_text(pages)
        notes = [f"PDF 文件：已从文字层按阅读顺序提取 {n} 页正文，断行已合并为段落"]
        if dropped:
            notes.append(f"已去除页眉、页脚和页码 {dropped} 行")
        if with_text < n:
            notes.append(f"有 {n - with_text} 页没有文字层（可能是扫描页或图片），未识别")
        return text, notes
    return _ocr_pdf(path, n, progress)


def _ocr_pdf(path: Path, n: int, progress=None) -> tuple[str, list[str]]:
    from checker.formats import ocr

    ocr.require()
    if n > guard.MAX_OCR_PAGES:
        raise InputError(f"扫描件页数过多（{n} 页，上限 {guard.MAX_OCR_PAGES} 页），不像是一份年度报告")
    timeout = guard.env_int("CHECKER_PDF_TIMEOUT", guard.PDF_TIMEOUT)
    with tempfile.TemporaryDirectory(prefix="checker-ocr-") as tmp:
        _run(["render", str(path), tmp, str(guard.OCR_DPI), "0", str(n)], timeout + 5 * n, "渲染")
        images = sorted(Path(tmp).glob("page-*.png"))
        pages, confidence = ocr.ocr_images(images, progress=progress)
    text, dropped = layout.pages_to_text(pages, ocr=True)
    notes = [ocr.note(len(images), confidence, "扫描 PDF")]
    if dropped:
        notes.append(f"已去除页眉、页脚和页码 {dropped} 行")
    return text, notes


# --- child side -------------------------------------------------------------------------


def _open(path: str):
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SystemExit("checker-pdf: 已加密：PDF 文件设有打开密码，请提供未加密的文件")
        raise SystemExit(f"checker-pdf: PDF 文件已损坏或格式不正确，无法读取（{exc}）")
    n = len(doc)
    if n > guard.MAX_PDF_PAGES:
        raise SystemExit(f"checker-pdf: 页数过多（{n} 页，上限 {guard.MAX_PDF_PAGES} 页），不像是一份年度报告")
    return doc, n


def _child_text(path: str) -> None:
    doc, n = _open(path)
    pages = []
    for i in range(n):
        page = doc[i]
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        lines = []
        start = 0
        for k in range(len(text) + 1):
            if k == len(text) or text[k] in "\r\n":
                if k > start:
                    lines.append(_line(textpage, text, start, k))
                start = k + 1
        pages.append(lines)
        textpage.close()
        page.close()
    json.dump({"pages": pages}, sys.stdout, ensure_ascii=False)


def _line(textpage, text: str, start: int, end: int) -> list:
    """[text, left, right, height] of one line, from the boxes of its visible characters."""
    left, right, height = None, None, 0.0
    for k in range(start, end):
        if text[k].isspace():
            continue
        l, b, r, t = textpage.get_charbox(k)
        left = l if left is None else min(left, l)
        right = r if right is None else max(right, r)
        height = max(height, t - b)
    return [text[start:end], left or 0.0, right or 0.0, height]


def _child_render(path: str, outdir: str, dpi: str, first: str, last: str) -> None:
    doc, n = _open(path)
    for i in range(int(first), min(int(last), n)):
        page = doc[i]
        w, h = page.get_size()  # points
        scale = int(dpi) / 72
        if w * h * scale * scale > guard.MAX_PIXELS:
            scale = (guard.MAX_PIXELS / (w * h)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        bitmap.to_pil().save(Path(outdir) / f"page-{i + 1:04d}.png")
        page.close()


def main(argv: list[str]) -> int:  # pragma: no cover - exercised through the child
    try:
        if argv[:1] == ["text"] and len(argv) == 2:
            _child_text(argv[1])
        elif argv[:1] == ["render"] and len(argv) == 6:
            _child_render(*argv[1:])
        else:
            raise SystemExit("checker-pdf: usage: text PATH | render PATH OUTDIR DPI FIRST LAST")
    except MemoryError:
        raise SystemExit("checker-pdf: MemoryError")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
