"""OCR for scanned PDFs and images: Tesseract with its simplified-Chinese model.

Why Tesseract: Debian (and the Windows installer from UB Mannheim) ships the program and
its ``chi_sim`` data as ordinary packages (``apt install tesseract-ocr
tesseract-ocr-chi-sim``), it runs offline on a CPU, and the checker needs no Python
package for it: it calls the ``tesseract`` program with a time limit per page. The PyPI
packages that ship a Chinese model (rapidocr-onnxruntime) pull in OpenCV and ONNX Runtime
(~100 MB) for every user, most of whom never receive a scan.

Each page gives lines (Tesseract's TSV output, words joined per line) and a mean word
confidence; a seal or a signature on a page lowers the confidence of its own words only.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from checker.errors import InputError
from checker.formats import guard

LANG = "chi_sim"
INSTALL_HINT = (
    "请安装 Tesseract 及其简体中文数据：Debian/Ubuntu 运行 apt install tesseract-ocr tesseract-ocr-chi-sim"
    "（繁体报告另装 tesseract-ocr-chi-tra）；"
    "Windows 安装 UB Mannheim 的 Tesseract 并勾选 Chinese (Simplified)"
)


def tesseract_path() -> str | None:
    env = os.environ.get("CHECKER_TESSERACT")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    found = shutil.which("tesseract")
    if found:
        return found
    if os.name == "nt":  # pragma: no cover - Windows
        for base in (os.environ.get("ProgramFiles", r"C:\Program Files"), os.environ.get("ProgramFiles(x86)", "")):
            candidate = Path(base) / "Tesseract-OCR" / "tesseract.exe"
            if base and candidate.exists():
                return str(candidate)
    return None


def available() -> str | None:
    """None when OCR works here, else the reason in Chinese."""
    exe = tesseract_path()
    if exe is None:
        return "未安装 Tesseract OCR"
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "Tesseract OCR 无法运行"
    langs = (done.stdout + done.stderr).decode("utf-8", "replace").split()
    if LANG not in langs:
        return "Tesseract 缺少简体中文数据 (chi_sim)"
    global _LANGS
    # traditional-script reports (Hong Kong style web copies, old scans) read far better with
    # the traditional model beside the simplified one; it is optional
    _LANGS = LANG + ("+chi_tra" if "chi_tra" in langs and not os.environ.get("CHECKER_OCR_SIMPLIFIED_ONLY") else "")
    return None


_LANGS = LANG


_CHECKED: str | None | bool = False


def require() -> str:
    global _CHECKED
    if _CHECKED is False:
        _CHECKED = available()
    if _CHECKED:
        raise InputError(f"这是扫描件或图片，需要 OCR 识别，但{_CHECKED}：{INSTALL_HINT}")
    return tesseract_path()


def note(pages: int, confidence: float | None, what: str) -> str:
    conf = f"，平均置信度 {confidence:.0f}%" if confidence is not None else ""
    low = "（置信度较低，识别结果可能有误，请核对原件）" if confidence is not None and confidence < 70 else ""
    return f"{what}：已用 OCR（Tesseract {_USED}）识别 {pages} 页{conf}{low}"


def ocr_image(exe: str, image: Path, langs: str = LANG) -> tuple[list[list], list[float]]:
    timeout = guard.env_int("CHECKER_OCR_TIMEOUT", guard.OCR_PAGE_TIMEOUT)
    args = [exe, str(image), "stdout", "-l", langs, "--psm", "3", "tsv"]
    try:
        done = guard.run_child(args, timeout, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        raise InputError(f"OCR 识别超时（单页 {timeout} 秒），已终止") from None
    except OSError as exc:
        raise InputError(f"Tesseract OCR 无法运行：{exc.strerror or exc}") from None
    if done.returncode != 0:
        msg = (done.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
        raise InputError(f"OCR 无法识别此图片（{msg[:80]}）")
    lines: dict[tuple[int, int, int], list[str]] = {}
    boxes: dict[tuple[int, int, int], list[float]] = {}  # left, right, height
    confs: list[float] = []
    for row in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            conf = -1
        if conf >= 0:
            confs.append(conf)
        key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
        lines.setdefault(key, []).append(word)
        left, width, height = float(cols[6]), float(cols[8]), float(cols[9])
        box = boxes.setdefault(key, [left, left + width, height])
        box[0], box[1], box[2] = min(box[0], left), max(box[1], left + width), max(box[2], height)
    return [[" ".join(words), *boxes[key]] for key, words in sorted(lines.items())], confs


def ocr_images(images: list[Path], progress=None) -> tuple[list[list[list]], float | None]:
    exe = require()
    pages: list[list[list]] = []
    confs: list[float] = []
    bar = progress if progress is not None else _stderr_bar(len(images))
    langs = LANG
    for i, image in enumerate(images, start=1):
        lines, page_confs = ocr_image(exe, image, langs)
        if i == 1 and _LANGS != LANG and _mean(page_confs) < RETRY_BELOW:
            # a low first page may be traditional script: chi_sim reads it at ~85, with
            # chi_tra beside it ~90; both models cost twice the time, so only when it pays
            both, both_confs = ocr_image(exe, image, _LANGS)
            if _mean(both_confs) > _mean(page_confs) + 2:
                langs, lines, page_confs = _LANGS, both, both_confs
        pages.append(lines)
        confs += page_confs
        if bar:
            bar(i, len(images))
    if bar is not None and progress is None:
        bar(None, len(images))
    global _USED
    _USED = langs
    return pages, (sum(confs) / len(confs) if confs else None)


RETRY_BELOW = 88.0  # mean word confidence of the first page under chi_sim alone
_USED = LANG


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _stderr_bar(total: int):
    """A one-line progress bar per page on stderr, when stderr is a terminal."""
    import multiprocessing

    if total < 2 or not sys.stderr.isatty() or multiprocessing.parent_process() is not None:
        return None  # a batch worker: the batch's own progress bar is on the terminal

    def show(done: int | None, total: int) -> None:
        if done is None:
            sys.stderr.write("\r" + " " * 40 + "\r")
        else:
            filled = int(20 * done / total)
            sys.stderr.write(f"\rOCR {'#' * filled}{'.' * (20 - filled)} {done}/{total} 页")
        sys.stderr.flush()

    return show


def read_image(path: Path) -> tuple[str, list[str]]:
    """Text of a scanned page saved as an image (.png .jpg .tif, multi-page TIFF too)."""
    import tempfile

    from checker.formats import layout

    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("读取图片需要 Pillow：pip install pillow") from None
    Image.MAX_IMAGE_PIXELS = None  # checked below, before any pixel is decoded
    with tempfile.TemporaryDirectory(prefix="checker-ocr-") as tmp:
        try:
            with Image.open(path) as img:
                frames = getattr(img, "n_frames", 1)
                if frames > guard.MAX_OCR_PAGES:
                    raise InputError(f"图片页数过多（{frames} 页，上限 {guard.MAX_OCR_PAGES} 页）")
                images = []
                for k in range(frames):
                    img.seek(k)
                    w, h = img.size
                    if w * h > guard.MAX_PIXELS:
                        raise InputError(
                            f"图片过大（{w}×{h} 像素，上限 {guard.MAX_PIXELS // 1_000_000} 百万像素），"
                            f"不像是扫描的报告页面"
                        )
                    out = Path(tmp) / f"page-{k + 1:04d}.png"
                    img.convert("L").save(out)
                    images.append(out)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken image ends with one line
            raise InputError(f"图片文件已损坏或格式不正确，无法读取（{exc.__class__.__name__}）") from None
        pages, confidence = ocr_images(images)
    text, dropped = layout.pages_to_text(pages, ocr=True)
    return text, [note(len(pages), confidence, "图片")]
