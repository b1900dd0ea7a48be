""".doc, .wps, .odt, .rtf through LibreOffice headless, converted to .docx and then read
by ingest's .docx reader (so automatic numbering, tables and tracked changes are handled
in one place).

The checker starts LibreOffice itself, with a private profile in a temporary folder (so a
LibreOffice the user has open is not disturbed). A batch converts all its office files in
one LibreOffice process (:func:`prepare`, called by the batch before its workers start);
the time allowed is a per-file timeout times the number of files, and when it runs out,
the files still missing are converted one per process, each with its own timeout, so the
file that hangs is found and named. A single file is converted on its own.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from checker.errors import InputError
from checker.formats import guard

INSTALL_HINT = (
    "未安装 LibreOffice，无法读取 .doc/.wps/.odt/.rtf 文件：请安装 LibreOffice"
    "（Windows/macOS 从 libreoffice.org 下载；Debian/Ubuntu 运行 apt install libreoffice-writer），"
    "或在 Word/WPS 中另存为 .docx 后再检查"
)

_CONVERTED: dict[str, bytes | str] = {}  # resolved input path -> .docx bytes or error line


def soffice_path() -> str | None:
    env = os.environ.get("CHECKER_SOFFICE")
    if env:
        return env if (Path(env).exists() or shutil.which(env)) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.name == "nt":  # pragma: no cover - Windows
        for base in (os.environ.get("ProgramFiles", r"C:\Program Files"), os.environ.get("ProgramFiles(x86)", "")):
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if base and candidate.exists():
                return str(candidate)
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return str(mac) if mac.exists() else None


def timeout() -> int:
    return guard.env_int("CHECKER_OFFICE_TIMEOUT", guard.OFFICE_TIMEOUT)


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return os.path.abspath(path)


def _convert(exe: str, paths: list[Path], outdir: Path, profile: Path, limit: float) -> None:
    args = [
        exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
        "--nodefault", "--nolockcheck", "--norestore", "--convert-to", "docx:MS Word 2007 XML",
        "--outdir", str(outdir), *map(str, paths),
    ]
    guard.run_child(args, limit, limit_memory=False)


def _collect(paths: list[Path], outdirs: dict[str, Path]) -> None:
    for path in paths:
        out = outdirs[_key(path)] / (path.stem + ".docx")
        if out.is_file() and out.stat().st_size:
            _CONVERTED[_key(path)] = out.read_bytes()


def prepare(paths: list[Path]) -> None:
    """Convert many office files in one LibreOffice process; results are kept for
    :func:`convert`. Files LibreOffice could not convert are retried one by one there."""
    exe = soffice_path()
    paths = [p for p in paths if _key(p) not in _CONVERTED]
    if not paths or exe is None:
        return
    with tempfile.TemporaryDirectory(prefix="checker-office-") as tmp:
        tmp_path = Path(tmp)
        # two inputs with one stem (a.doc, a.rtf) must not share an output: one folder per stem
        outdirs: dict[str, Path] = {}
        groups: dict[int, list[Path]] = {}
        stems: dict[str, int] = {}
        for p in paths:
            k = stems.get(p.stem.lower(), -1) + 1
            stems[p.stem.lower()] = k
            outdirs[_key(p)] = tmp_path / f"out{k}"
            groups.setdefault(k, []).append(p)
        for k, group in groups.items():
            (tmp_path / f"out{k}").mkdir()
            try:
                _convert(exe, group, tmp_path / f"out{k}", tmp_path / "profile", timeout() * len(group))
            except subprocess.TimeoutExpired:
                pass  # the ones done are kept; the rest go one by one in convert()
            except OSError:
                return
            _collect(group, outdirs)


def convert(path: Path) -> bytes:
    """The .docx bytes LibreOffice makes of ``path``. Raises InputError with one line."""
    key = _key(path)
    done = _CONVERTED.get(key)
    if isinstance(done, bytes):
        return done
    if isinstance(done, str):
        raise InputError(done)
    exe = soffice_path()
    if exe is None:
        raise InputError(INSTALL_HINT)
    limit = timeout()
    with tempfile.TemporaryDirectory(prefix="checker-office-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "out").mkdir()
        try:
            _convert(exe, [path], tmp_path / "out", tmp_path / "profile", limit)
        except subprocess.TimeoutExpired:
            msg = f"LibreOffice 转换超时（{limit} 秒），已终止：文件可能已损坏，或请在 Word/WPS 中另存为 .docx"
            _CONVERTED[key] = msg
            raise InputError(msg) from None
        except OSError as exc:
            raise InputError(f"无法启动 LibreOffice（{exc.strerror or exc}）：{INSTALL_HINT}") from None
        out = tmp_path / "out" / (path.stem + ".docx")
        if not out.is_file() or not out.stat().st_size:
            msg = "LibreOffice 无法转换此文件：文件已损坏、已加密或不是 Word/WPS 文档"
            _CONVERTED[key] = msg
            raise InputError(msg)
        data = out.read_bytes()
    _CONVERTED[key] = data
    return data


def is_encrypted_ooxml(head: bytes) -> bool:
    """An OLE file holding an encrypted .docx/.xlsx (Office's 'protect with password')."""
    return "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head
