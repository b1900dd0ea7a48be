"""Bounds on what the checker reads and where it writes: one clear line, never a hang.

Every reader of a user's file goes through here (reports in any format, checker.toml,
waivers, rule files), so a named pipe, a device, a symlink loop, a 3 GB file or a zip
bomb is refused before it is read, and no output ever lands on a file the run reads.

    check_regular_file(path, what)      -> os.stat_result   (raises InputError)
    read_bounded(path, max_bytes, what) -> bytes            (regular file, size known first)
    read_text_bounded(path, max_bytes, what) -> str         (UTF-8; a bad byte is one line)
    check_zip(zipfile, max_total, max_ratio, max_members)   (before anything is unzipped)
    check_output(path, protected)       -> None             (refuses symlinks, FIFOs, devices, inputs)
    inert(text)                          -> str              (control/escape characters shown visibly)

The errors are ``InputError`` (exit status 2); the message is already one line and names
the path with ``shown(path)`` (control characters and undecodable bytes visible).
"""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Iterable

from checker import recache  # compiled patterns kept across runs
from checker.errors import InputError

MAX_REPORT_BYTES = 20 * 1024 * 1024  # a report is well under 1 MB
MAX_SETTINGS_BYTES = 1024 * 1024  # checker.toml, waivers.yaml, one rule file
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # all members of a .docx (or any zip) together
MAX_ZIP_RATIO = 200  # unzipped / zipped, per member; real .docx XML is 5-20x
MAX_ZIP_MEMBERS = 10_000
# a .zip a reviewer receives, opened as a folder of reports (checker.formats.archive): a
# member over a limit is listed as not audited, the whole archive refused only past the totals
ARCHIVE_MAX_MEMBERS = 500
ARCHIVE_MAX_MEMBER_BYTES = 100 * 1024 * 1024
ARCHIVE_MAX_TOTAL_BYTES = 400 * 1024 * 1024
ARCHIVE_MAX_DEPTH = 2  # a zip inside a zip inside a zip: no deeper
MAX_NESTING = 200  # depth of lists/tables in a settings file

# C0/C1 controls except tab and newline, DEL, and the bidi/isolate controls that reorder
# what a terminal or a browser shows
_CONTROL = recache.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = recache.compile("[\ud800-\udfff]")


def _visible(m: re.Match) -> str:
    ch = m.group(0)
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, keep_newlines: bool = True) -> str:
    """Text safe for a terminal or any file: controls, escapes, bidi controls and undecodable
    bytes shown as visible \\xNN / \\uNNNN; tab and (with ``keep_newlines``) newline kept."""
    text = str(text)
    if not keep_newlines:
        text = text.replace("\n", "\\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub(_visible, text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(_visible, text)
    return text


def shown(path) -> str:
    """A path as it may be shown in a one-line message."""
    try:
        s = os.fspath(path)
    except TypeError:
        s = str(path)
    if isinstance(s, bytes):
        s = os.fsdecode(s)
    return inert(s, keep_newlines=False)


def _kind(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个命名管道（FIFO），不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备，不是普通文件"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字，不是普通文件"
    if not stat.S_ISREG(mode):
        return "不是普通文件"
    return None


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, ValueError):  # embedded NUL
        return "路径中含有空字符（NUL）"
    if isinstance(exc, RuntimeError):  # pathlib's symlink loop
        return "符号链接循环"
    code = getattr(exc, "errno", None)
    return {
        errno.ENOENT: "文件不存在",
        errno.ELOOP: "符号链接循环",
        errno.EACCES: "没有读取权限",
        errno.EPERM: "没有读取权限",
        errno.ENAMETOOLONG: "路径过长",
        errno.ENOTDIR: "路径中有一段不是目录",
    }.get(code) or getattr(exc, "strerror", None) or type(exc).__name__


def check_regular_file(path, what: str = "文件") -> os.stat_result:
    """Stat ``path`` (following symlinks) without opening it; refuse anything but a regular
    file: a FIFO would block the open, a device never ends."""
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"无法读取{what}：{_os_reason(exc)} ({shown(path)})") from None
    kind = _kind(st.st_mode)
    if kind:
        raise InputError(f"无法读取{what}：{kind} ({shown(path)})")
    return st


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def read_bounded(path, max_bytes: int = MAX_REPORT_BYTES, what: str = "文件") -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; the size is checked before
    reading and again while reading (a file that grows). Opened read-only, non-blocking."""
    st = check_regular_file(path, what)
    too_big = f"{what or '文件'}过大（超过 {_mb(max_bytes)}） ({shown(path)})"
    if st.st_size > max_bytes:
        raise InputError(too_big)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the stat, the open does not hang
        # O_BINARY (Windows only): without it the C runtime reads in text mode (CRLF -> LF, ^Z = end)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as exc:
        raise InputError(f"无法读取{what}：{_os_reason(exc)} ({shown(path)})") from None
    try:
        if _kind(os.fstat(fd).st_mode):
            raise InputError(f"无法读取{what}：{_kind(os.fstat(fd).st_mode)} ({shown(path)})")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"无法读取{what}：{_os_reason(exc)} ({shown(path)})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputError(too_big)
    return data


def read_text_bounded(path, max_bytes: int = MAX_SETTINGS_BYTES, what: str = "文件") -> str:
    """A UTF-8 settings or rule file (BOM allowed); binary or another encoding is one line."""
    data = read_bounded(path, max_bytes, what)
    if b"\x00" in data:
        raise InputError(f"{what}看起来是二进制文件，不是文本 ({shown(path)})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what}应当是 UTF-8 编码（第 {exc.start} 字节不是 UTF-8） ({shown(path)})") from None


def check_nesting(text: str, max_depth: int = MAX_NESTING, what: str = "文件", path="") -> None:
    """Refuse brackets nested deeper than ``max_depth`` before a parser recurses into them
    (TOML inline tables/arrays, YAML flow collections). Counts outside quotes only roughly:
    a real settings file nests 3-4 deep, so a bracket inside a string never reaches the bound."""
    depth = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > max_depth:
                raise InputError(f"{what}嵌套过深（超过 {max_depth} 层） ({shown(path)})")
        elif ch in "]}":
            depth = max(0, depth - 1)


def check_zip(zf, max_total: int = MAX_UNZIPPED_BYTES, max_ratio: float = MAX_ZIP_RATIO,
              max_members: int = MAX_ZIP_MEMBERS) -> None:
    """Refuse a zip (an open ``zipfile.ZipFile``) whose members would unzip to more than
    ``max_total`` bytes, any member compressed more than ``max_ratio`` times, or more than
    ``max_members`` members: decided from the central directory, before anything is unzipped.
    (A member that lies about its size is still stopped by zipfile's own size check.)"""
    infos = zf.infolist()
    if len(infos) > max_members:
        raise InputError(f"压缩包中的文件过多（{len(infos)} 个），拒绝解压")
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_total:
            raise InputError(f"压缩包解压后过大（超过 {_mb(max_total)}），疑似压缩炸弹，拒绝解压")
        if info.file_size > 1024 * 1024 and info.file_size > max_ratio * max(info.compress_size, 1):
            raise InputError(f"压缩包中 {inert(info.filename, False)} 的压缩比异常（超过 {max_ratio:g} 倍），疑似压缩炸弹，拒绝解压")


# --- time -------------------------------------------------------------------------------

MAX_SECONDS_PER_REPORT = 180  # a 20 MB report audits in well under a minute
MAX_SECONDS_RULES_CHECK = 30


class TimeLimit(InputError):
    """The work did not end in time (a regular expression that backtracks, most likely)."""


class time_limit:
    """``with time_limit(30, "message"):`` raises TimeLimit after 30 s of wall time. Python's
    regex engine checks for signals while it backtracks, so a catastrophic pattern is
    stopped too. A no-op off the main thread or where there is no SIGALRM (Windows)."""

    def __init__(self, seconds: float, message: str):
        self.seconds, self.message = seconds, message
        self._old = None

    def _fire(self, _signum, _frame):
        raise TimeLimit(self.message)

    def __enter__(self):
        import signal
        import threading

        if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
            return self
        self._old = signal.signal(signal.SIGALRM, self._fire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)
        return False


# --- output -----------------------------------------------------------------------------


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return a.st_dev == b.st_dev and a.st_ino == b.st_ino


def check_output(path, protected: Iterable = ()) -> None:
    """Refuse an output path that is a symlink, a FIFO, a device, a directory, or the same
    file as anything in ``protected`` (the reports, config, waivers and rule files the run
    read). A new file, or an existing regular file nobody reads, is fine."""
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        lst = None
    except (OSError, ValueError) as exc:
        raise InputError(f"无法写入输出文件：{_os_reason(exc)} ({shown(path)})") from None
    if lst is not None:
        if stat.S_ISLNK(lst.st_mode):
            raise InputError(f"输出文件是符号链接，拒绝写入（请直接给出目标文件） ({shown(path)})")
        kind = _kind(lst.st_mode)
        if kind:
            raise InputError(f"无法写入输出文件：{kind} ({shown(path)})")
    parent = os.path.dirname(os.path.abspath(path)) or "."
    try:
        os.stat(parent)
    except (OSError, ValueError) as exc:
        if not isinstance(exc, FileNotFoundError):
            raise InputError(f"无法写入输出文件：{_os_reason(exc)} ({shown(path)})") from None
    if lst is None:
        return
    for other in protected:
        if other is None:
            continue
        try:
            st = os.stat(other)
        except (OSError, ValueError):
            continue
        if _same(lst, st):
            raise InputError(f"输出文件就是输入文件（本次读取的文件），拒绝覆盖：{shown(path)}")
        if stat.S_ISDIR(st.st_mode):  # a rules folder: nothing inside it is written over
            try:
                if Path(os.path.realpath(path)).is_relative_to(os.path.realpath(other)) and \
                        str(path).lower().endswith((".yaml", ".yml")):
                    raise InputError(f"输出文件在规则目录中，拒绝覆盖规则文件：{shown(path)}")
            except (OSError, ValueError):
                continue


__all__ = [
    "MAX_REPORT_BYTES", "MAX_SETTINGS_BYTES", "MAX_UNZIPPED_BYTES", "MAX_ZIP_RATIO", "MAX_ZIP_MEMBERS",
    "ARCHIVE_MAX_MEMBERS", "ARCHIVE_MAX_MEMBER_BYTES", "ARCHIVE_MAX_TOTAL_BYTES", "ARCHIVE_MAX_DEPTH",
    "check_regular_file", "read_bounded", "read_text_bounded", "check_nesting", "check_zip",
    "check_output", "inert", "shown", "time_limit", "TimeLimit",
]
