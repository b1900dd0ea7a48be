"""Hostile files, one set per new reader: each ends in one line and exit status 2, never a
traceback or a hang, and a batch goes on past it."""
from __future__ import annotations

import os
import stat
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from checker import batch, ingest
from checker.config import Resolver
from checker.errors import InputError
from conftest import CORPUS

GOOD = CORPUS / "sample-county-2023.txt"


def _one_line_error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        ingest.read(path)
    msg = str(info.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], capture_output=True, text=True, timeout=300,
        env={**os.environ, **(env or {})},
    )


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered objects with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _blank_pdf(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return _pdf(objs)


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_with_5000_blank_pages(tmp_path):
    path = tmp_path / "blank.pdf"
    path.write_bytes(_blank_pdf(5000))
    assert "页数过多" in _one_line_error(path)


def test_truncated_pdf(tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    whole = tmp_path / "whole.pdf"
    doc.save(str(whole))
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 3])
    msg = _one_line_error(path)
    assert "PDF" in msg or "OCR" in msg or "文件为空" in msg


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    encrypt = b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >> /ID [<%s> <%s>] " % (
        b"11" * 32, b"22" * 32, b"33" * 16, b"33" * 16)
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                           b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"], encrypt))
    assert "已加密" in _one_line_error(path)


def test_pdf_whose_page_stream_never_ends(tmp_path):
    path = tmp_path / "endless.pdf"
    head = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                 b"<< /Length 999999999999 /Filter /FlateDecode >>\nstream\n"])
    path.write_bytes(head + zlib.compress(b"BT /F1 12 Tf (x) Tj ET\n" * 200_000))  # no endstream, no end
    msg = _one_line_error(path)
    assert msg


def test_pdf_reader_is_ended_by_its_timeout(tmp_path, monkeypatch):
    """A PDF that takes too long is ended and said so (a child that never answers stands in
    for a PDF that hangs PDFium)."""
    from checker.formats import guard, pdf

    monkeypatch.setenv("CHECKER_PDF_TIMEOUT", "1")
    monkeypatch.setattr(guard, "python_child", lambda module, *args: [sys.executable, "-c", "import time; time.sleep(60)"])
    path = tmp_path / "slow.pdf"
    path.write_bytes(_blank_pdf(1))
    with pytest.raises(InputError, match="超时"):
        pdf.read_pdf(path)


# --- images ------------------------------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_image_of_30000_by_30000_pixels(tmp_path):
    pytest.importorskip("PIL")
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header(30000, 30000))
    msg = _one_line_error(path)
    assert "图片过大" in msg and "30000×30000" in msg


@pytest.mark.parametrize("name, data", [("bad.png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
                                        ("bad.jpg", b"\xff\xd8\xff\xe0JFIF" + bytes(40))])
def test_broken_images(tmp_path, name, data):
    pytest.importorskip("PIL")
    path = tmp_path / name
    path.write_bytes(data)
    assert "图片文件已损坏" in _one_line_error(path)


# --- docx --------------------------------------------------------------------------------


def test_truncated_docx(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("法治政府建设情况的报告" * 200)
    whole = tmp_path / "whole.docx"
    d.save(whole)
    path = tmp_path / "cut.docx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    msg = _one_line_error(path)
    assert "损坏" in msg


def test_encrypted_docx(tmp_path):
    """Word's 'protect with password' saves an OLE container holding EncryptedPackage."""
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le")
                     + bytes(50) + "EncryptedPackage".encode("utf-16-le") + bytes(4000))
    assert _one_line_error(path).startswith("已加密")


# --- LibreOffice -------------------------------------------------------------------------


@pytest.fixture
def fake_soffice(tmp_path):
    script = tmp_path / "soffice-hangs"
    script.write_text("#!/bin/sh\nsleep 120\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_hanging_libreoffice_is_ended_by_the_timeout_and_the_batch_goes_on(tmp_path, fake_soffice, auditor, monkeypatch):
    from checker.formats import office

    monkeypatch.setenv("CHECKER_SOFFICE", str(fake_soffice))
    monkeypatch.setenv("CHECKER_OFFICE_TIMEOUT", "2")
    monkeypatch.setattr(office, "_CONVERTED", {})
    docs = [tmp_path / "old.doc", tmp_path / "older.wps"]  # two: the batch's one LibreOffice, then one each
    for doc in docs:
        doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    rows = batch.run([*map(str, docs), str(GOOD)], auditor, Resolver(use_config=False), jobs=1)
    for row in rows[:2]:
        assert "LibreOffice 转换超时" in row.report.error and "已终止" in row.report.error
    assert rows[2].report.error is None and rows[2].report.results
    assert batch.exit_status(rows) == 2


def test_missing_libreoffice_says_how_to_install_it(tmp_path):
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    done = _cli("audit", str(doc), env={"CHECKER_SOFFICE": str(tmp_path / "no-such-soffice")})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "未安装 LibreOffice" in lines[0] and "apt install libreoffice-writer" in lines[0]


# --- archives ----------------------------------------------------------------------------


def test_archive_bomb_is_refused_and_the_rest_of_the_archive_is_audited(tmp_path, auditor):
    path = tmp_path / "received.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(GOOD, "报告 一.txt")
        with zf.open("bomb.txt", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(60):
                member.write(block)
        zf.writestr("../escape.txt", "x")
        zf.writestr("表格.xls", "x")
    rows = batch.run([str(path)], auditor, Resolver(use_config=False), jobs=1)
    by_name = {row.path.split("/")[-1]: row.report for row in rows}
    assert by_name["报告 一.txt"].error is None and by_name["报告 一.txt"].results
    assert "压缩炸弹" in by_name["bomb.txt"].error
    assert "路径不安全" in by_name["escape.txt"].error
    assert by_name["表格.xls"].error == "未检查：不支持的格式 .xls：Excel 表格"
    assert all(row.path.startswith(str(path) + "/") for row in rows)  # shown inside the archive
    assert batch.exit_status(rows) == 2


def test_archive_nested_too_deep_and_too_many_members(tmp_path, monkeypatch):
    from checker import limits
    from checker.formats import archive

    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.write(GOOD, "r.txt")
    for level in range(3):
        outer = tmp_path / f"level{level}.zip"
        with zipfile.ZipFile(outer, "w") as zf:
            zf.write(inner, f"level{level}.zip")
        inner = outer
    got = archive.expand_zip(inner, "x.zip")
    assert any(err and "嵌套过深" in err for _, _, err in got)
    monkeypatch.setattr(limits, "ARCHIVE_MAX_MEMBERS", 1)
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        zf.writestr("a.txt", "x")
        zf.writestr("b.txt", "y")
    with pytest.raises(archive.ArchiveError, match="文件过多"):
        archive.expand_zip(many, "many.zip")


def test_a_folder_of_hostile_files_gives_one_line_each_and_goes_on(tmp_path):
    (tmp_path / "blank.pdf").write_bytes(_blank_pdf(5000))
    (tmp_path / "huge.png").write_bytes(_png_header(30000, 30000))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + bytes(30))
    (tmp_path / "report.txt").write_bytes(GOOD.read_bytes())
    done = _cli("audit", str(tmp_path), "--format", "jsonl")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("checker: ")]
    assert len(errors) == 3, done.stderr
    assert '"results"' in done.stdout and "report.txt" in done.stdout
