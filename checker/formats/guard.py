"""Bounds for the format readers' helper programs (LibreOffice, PDF, OCR): page, pixel,
time and memory limits. Byte and zip limits live in checker.limits, with every other input bound.

Every number here is far above what a real annual report needs and far below what would
hurt a reviewer's desktop.
"""
from __future__ import annotations

import os
import sys

MAX_FILE_BYTES = 200 * 1024 * 1024  # a scanned report of 100 pages at 300 dpi is ~30 MB
MAX_PDF_PAGES = 1000  # pages read for their text layer
MAX_OCR_PAGES = 150  # pages sent to OCR (a scanned annual report has 5-30)
MAX_PIXELS = 80_000_000  # one page or image; an A4 page at 600 dpi is 35 Mpx
OCR_DPI = 200
PDF_TIMEOUT = 120  # seconds for reading one PDF's text layer
OCR_PAGE_TIMEOUT = 120  # seconds for one page in Tesseract
OFFICE_TIMEOUT = 90  # seconds for one LibreOffice conversion
MEMORY_LIMIT = 2 * 1024 * 1024 * 1024  # address space of a helper process (POSIX only)



def env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "")) or default
    except ValueError:
        return default


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass


def run_child(args: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    """Run a helper program with a time limit (and a memory limit on POSIX); on timeout
    the whole process group is ended and ``subprocess.TimeoutExpired`` raised."""
    import subprocess  # here, not at import: a text or .docx report never starts a child

    posix = os.name == "posix"
    limit_memory = kwargs.pop("limit_memory", True)
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        start_new_session=posix, preexec_fn=_limit_memory if posix and limit_memory else None,
        **kwargs,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        raise
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def kill_tree(proc: subprocess.Popen) -> None:
    import subprocess

    try:
        if os.name == "posix":
            import signal

            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        pass


def python_child(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]
