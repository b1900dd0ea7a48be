""".zip archives audited as folders: each member a report of its own, shown as
``archive.zip/member.docx``, within limits against archive bombs.

Members are extracted (never in place: into a private temporary folder removed when the
run ends) after checks on the central directory: member count, each member's declared
size and compression ratio, the total, and nesting depth; the extraction itself is
bounded again by bytes actually written, since a declared size can lie. Names written
by Chinese Windows without the UTF-8 flag are decoded as GBK. Names that would leave the
folder (``../``, absolute paths) are refused. .7z and .rar are listed as not audited
with the advice to unpack them.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from checker import limits

_TMP: list[str] = []


def _cleanup() -> None:
    for folder in _TMP:
        shutil.rmtree(folder, ignore_errors=True)


def _workdir() -> Path:
    if not _TMP:
        atexit.register(_cleanup)
    folder = tempfile.mkdtemp(prefix="checker-zip-")
    _TMP.append(folder)
    return Path(folder)


def member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


class ArchiveError(Exception):
    """The archive as a whole is refused (one line, exit 2)."""


def expand_zip(path: Path, shown: str, depth: int = 0) -> list[tuple[str, str, str | None]]:
    """[(file to read, name to show, error)] for each member; error set for a member
    not audited (unsupported, empty, encrypted, too big). Raises ArchiveError."""
    from checker.formats import AUDITED_SUFFIXES, ARCHIVE_SUFFIXES, unsupported_reason

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError(f"压缩包已损坏或格式不正确，无法打开（{exc.__class__.__name__}）") from None
    out: list[tuple[str, str, str | None]] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.ARCHIVE_MAX_MEMBERS:
            raise ArchiveError(f"压缩包内文件过多（{len(infos)} 个，上限 {limits.ARCHIVE_MAX_MEMBERS} 个）")
        total = sum(i.file_size for i in infos)
        if total > limits.ARCHIVE_MAX_TOTAL_BYTES:
            raise ArchiveError(
                f"压缩包解压后过大（{total // (1024 * 1024)} MB，上限 {limits.ARCHIVE_MAX_TOTAL_BYTES // (1024 * 1024)} MB），"
                f"疑似压缩炸弹"
            )
        work = None
        written = 0
        for info in infos:
            name = member_name(info)
            pure = PurePosixPath(name.replace("\\", "/"))
            label = f"{shown}/{name}"
            if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
                out.append(("", label, "未检查：压缩包内的路径不安全（含 .. 或绝对路径）"))
                continue
            if any(part.startswith(".") or part == "__MACOSX" for part in pure.parts):
                continue  # hidden files, as in a folder
            suffix = pure.suffix.lower()
            if suffix not in AUDITED_SUFFIXES:
                out.append(("", label, f"未检查：{unsupported_reason(Path(name))}"))
                continue
            if info.flag_bits & 0x1:
                out.append(("", label, "未检查：已加密（压缩包内的文件设有密码）"))
                continue
            if info.file_size == 0:
                out.append(("", label, "未检查：空文件"))
                continue
            if info.file_size > limits.ARCHIVE_MAX_MEMBER_BYTES or (
                info.compress_size and info.file_size / info.compress_size > limits.MAX_ZIP_RATIO
                and info.file_size > 1024 * 1024
            ):
                out.append(("", label, "未检查：解压后过大或压缩比异常，疑似压缩炸弹"))
                continue
            if suffix in ARCHIVE_SUFFIXES and depth + 1 > limits.ARCHIVE_MAX_DEPTH:
                out.append(("", label, "未检查：压缩包嵌套过深"))
                continue
            work = work or _workdir()
            target = work / f"{len(out):04d}" / pure.name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                written += _extract(zf, info, target, limits.ARCHIVE_MAX_TOTAL_BYTES - written)
            except ArchiveError as exc:
                out.append(("", label, f"未检查：{exc}"))
                continue
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
                out.append(("", label, f"无法读取：压缩包内的文件已损坏（{exc.__class__.__name__}）"))
                continue
            if suffix in ARCHIVE_SUFFIXES:
                try:
                    out += expand_zip(target, label, depth + 1)
                except ArchiveError as exc:
                    out.append(("", label, str(exc)))
                continue
            out.append((str(target), label, None))
    return out


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    limit = min(info.file_size, limits.ARCHIVE_MAX_MEMBER_BYTES, budget)
    n = 0
    with zf.open(info) as src, open(target, "xb") as dst:
        while block := src.read(1 << 20):
            n += len(block)
            if n > limit:
                dst.close()
                target.unlink(missing_ok=True)
                raise ArchiveError("解压后超过声明的大小或上限，疑似压缩炸弹")
            dst.write(block)
    return n
