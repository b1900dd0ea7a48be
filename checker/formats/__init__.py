"""Readers for the file formats reviewers receive, one module per format family.

``checker.ingest.read`` asks :func:`sniff` what a file is (by its first bytes, then its
name) and hands the binary formats to the reader made for them:

- :mod:`.office`  .doc .wps .odt .rtf through LibreOffice headless (converted to .docx);
- :mod:`.pdf`     PDFs with a text layer (pypdfium2), scanned ones through :mod:`.ocr`;
- :mod:`.ocr`     scanned pages and images (.png .jpg .tif) through Tesseract chi_sim;
- :mod:`.html`    web pages saved by a browser or LibreOffice (``<pre>``), and .mhtml;
- :mod:`.archive` .zip archives, opened as folders within archive-bomb limits.

Every reader treats the file as hostile: sizes, page counts, pixels and time are bounded
(:mod:`.guard`), and each failure is one ``InputError`` line.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["sniff", "AUDITED_SUFFIXES", "unsupported_reason"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

OFFICE_SUFFIXES = (".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot")
PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MHTML_SUFFIXES = (".mhtml", ".mht")
ARCHIVE_SUFFIXES = (".zip",)
TEXT_SUFFIXES = (".txt",)
DOCX_SUFFIXES = (".docx",)

# what a folder audit opens; everything else is listed as not audited, with the reason
AUDITED_SUFFIXES = (
    TEXT_SUFFIXES + DOCX_SUFFIXES + OFFICE_SUFFIXES + PDF_SUFFIXES + IMAGE_SUFFIXES
    + HTML_SUFFIXES + MHTML_SUFFIXES + ARCHIVE_SUFFIXES
)

_KNOWN_OTHER = {
    ".xls": "Excel 表格", ".xlsx": "Excel 表格", ".et": "WPS 表格", ".csv": "表格",
    ".ppt": "演示文稿", ".pptx": "演示文稿", ".dps": "WPS 演示",
    ".7z": "7z 压缩包（请解压后再检查）", ".rar": "RAR 压缩包（请解压后再检查）",
    ".gz": "gzip 压缩包", ".tar": "tar 压缩包", ".ofd": "OFD 版式文件（请另存为 PDF）",
    ".exe": "可执行文件", ".mp4": "视频", ".mp3": "音频", ".gif": "GIF 图片",
}


# files that are never a report (tables, slides, media, programs, data and notes): a folder
# lists them as not audited without failing the batch; an archive or a layout format the
# checker cannot open (.7z, .rar, .ofd, …) may hold a report, so it still makes the exit status 2
NOT_REPORT_SUFFIXES = frozenset({
    ".xls", ".xlsx", ".et", ".csv", ".ppt", ".pptx", ".dps",
    ".mp4", ".mp3", ".avi", ".wav", ".mov", ".gif", ".svg", ".ico",
    ".exe", ".dll", ".msi", ".bat", ".cmd", ".ps1", ".sh", ".py", ".js", ".css",
    ".md", ".yaml", ".yml", ".json", ".toml", ".ini", ".cfg", ".log", ".db", ".lnk",
})


def never_a_report(path: Path) -> bool:
    """A file a folder audit skips without counting it as unreadable (see NOT_REPORT_SUFFIXES)."""
    return path.suffix.lower() in NOT_REPORT_SUFFIXES or path.name.lower() in ("thumbs.db", "desktop.ini")


def unsupported_reason(path: Path) -> str:
    """The line a folder audit prints for a file it does not open."""
    suffix = path.suffix.lower()
    what = _KNOWN_OTHER.get(suffix)
    shown = suffix or "（无扩展名）"
    return f"不支持的格式 {shown}" + (f"：{what}" if what else "")


def sniff(path: Path, head: bytes) -> str:
    """What the file is: 'text' and 'docx' stay with ingest; 'office', 'pdf', 'image',
    'html', 'mhtml', 'zip' go to a reader here. Content decides before the name."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF-") or (suffix in PDF_SUFFIXES and b"%PDF-" in head[:1024]):
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        if not head.startswith(b"BM") or suffix == ".bmp":
            return "image"
    if head.startswith(_OLE):
        return "office"  # .doc, .wps (and encrypted OOXML: the office reader says so)
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        return "office"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"mimetypeapplication/vnd.oasis.opendocument" in head[:200]:
            return "office"  # .odt (and the other OpenDocument files)
        if suffix in ARCHIVE_SUFFIXES:
            return "zip"
        return "docx"  # ingest's docx reader tells a docx from any other zip
    if suffix in MHTML_SUFFIXES or (b"MIME-Version:" in head[:2048] and b"multipart/related" in head[:4096]):
        return "mhtml"
    return "text"  # plain text and HTML: ingest decodes, then looks for markup
