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
