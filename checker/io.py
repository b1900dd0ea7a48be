"""File output that never leaves a half-written file and never touches an input."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable


def atomic_write(path: Path | str, text: str | bytes, protected: Iterable = ()) -> None:
    """Write to a temp file in the same folder, then rename over the target.

    Refused (InputError, exit 2) when the target is a symlink, a FIFO, a device or the same
    file as anything in ``protected`` (what the run read). The temp file is removed on any
    exception, KeyboardInterrupt and the SIGTERM exception included. Text that carries
    undecodable file-name bytes is written with them shown as \\udcxx, never a crash.
    """
    from checker.limits import check_output

    check_output(path, protected)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8", errors="backslashreplace") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); a report to share gets the mode a plain
        # open() would give it, or keeps the mode of the file it replaces
        _set_mode(fd, tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _set_mode(fd: int, name: str, mode: int) -> None:
    """os.fchmod where it exists; Windows has it only from Python 3.13, and there a mode
    is no more than the read-only flag, which a new temp file does not have."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    elif os.name != "nt":  # pragma: no cover - a POSIX without fchmod
        os.chmod(name, mode)


class atomic_stream:
    """A file written bit by bit (a streamed batch) with the guarantees of atomic_write:
    the lines go to a temp file in the same folder, renamed over the target only when the
    ``with`` block ends without an exception; on any exception (Ctrl-C and the SIGTERM
    exception included) the temp file is removed and the target is left as it was.

        with atomic_stream(path, protected) as fh:
            fh.write("...")   # text, UTF-8
    """

    def __init__(self, path: Path | str, protected: Iterable = ()):
        from checker.limits import check_output

        check_output(path, protected)
        self.path = Path(path)
        self.tmp: str | None = None
        self.fh = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            _set_mode(fd, self.tmp, _mode_for(self.path))
            self.fh = os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="")
        except BaseException:
            Path(self.tmp).unlink(missing_ok=True)
            raise
        return self.fh

    def __exit__(self, exc_type, exc, tb):
        try:
            self.fh.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
        finally:
            Path(self.tmp).unlink(missing_ok=True)  # gone already after a successful replace
        return False
