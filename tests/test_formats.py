"""Readers for each format, on documents made here: .docx tracked changes and comments,
LibreOffice's <pre> HTML, .mhtml, .rtf, zip names from Chinese Windows, the PDF layout
(running headers, page numbers, wrapped lines), and what a folder audit says it skipped."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from checker import batch, ingest
from checker.formats import layout
from conftest import CORPUS

GOOD = CORPUS / "sample-county-2023.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_with(body_xml: str, path: Path) -> Path:
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("placeholder")
    body = d.element.body
    p = parse_xml(f'<w:p xmlns:w="{W}">{body_xml}</w:p>')
    body.insert(0, p)
    d.save(path)
    return path


def test_tracked_insertions_count_deletions_do_not_and_a_note_says_so(tmp_path):
    path = _docx_with(
        '<w:r><w:t>全面落实行政执法</w:t></w:r>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t>公示制度、执法全过程记录制度、重大执法决定法制审核制度</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>三项制度</w:delText></w:r></w:del>'
        '<w:r><w:t>。</w:t></w:r>'
        '<w:commentRangeStart w:id="3"/><w:r><w:t>法律顾问</w:t></w:r><w:commentRangeEnd w:id="3"/>'
        '<w:r><w:commentReference w:id="3"/></w:r>',
        tmp_path / "tracked.docx",
    )
    src = ingest.read(path)
    first = src.text.splitlines()[0]
    assert first == "全面落实行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。法律顾问"
    assert any("未接受的修订" in n and "1 处插入" in n and "1 处删除" in n for n in src.notes)


def test_a_docx_without_changes_has_no_revision_note(tmp_path):
    path = _docx_with("<w:r><w:t>正文</w:t></w:r>", tmp_path / "plain.docx")
    assert not any("修订" in n for n in ingest.read(path).notes)


def test_libreoffice_html_keeps_the_lines_of_its_pre(tmp_path):
    body = "一、主要工作\n（一）落实第一责任人职责。\n二、存在的不足和原因\n".replace("\n", "\r\n")
    page = ('<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"/>'
            f'<title></title></head><body><pre><span>{body}</span></pre><p>特此报告。<br/>某县人民政府</p>'
            '<table><tr><td>项目</td><td>数量</td></tr></table></body></html>')
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert ingest.read(path).text.splitlines() == [
        "一、主要工作", "（一）落实第一责任人职责。", "二、存在的不足和原因", "特此报告。", "某县人民政府", "项目\t数量",
    ]


def test_mhtml_saved_by_a_browser(tmp_path):
    import quopri

    html = "<html><body><p>一、主要工作</p><p>二、存在的不足</p></body></html>".encode("gb18030")
    raw = (b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
           b"\ttype=\"text/html\";\r\n\tboundary=\"----B\"\r\n\r\n------B\r\n"
           b"Content-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
           + quopri.encodestring(html) + b"\r\n------B--\r\n")
    path = tmp_path / "page.mhtml"
    path.write_bytes(raw)
    src = ingest.read(path)
    assert src.text.splitlines() == ["一、主要工作", "二、存在的不足"]
    assert src.encoding == "mhtml"


def test_rtf_is_never_read_as_raw_text(tmp_path, monkeypatch):
    monkeypatch.setenv("CHECKER_SOFFICE", str(tmp_path / "no-soffice"))
    path = tmp_path / "report.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg936 {\fonttbl}\f0 \'b9\'a4\'d7\'f7}")
    from checker.errors import InputError

    with pytest.raises(InputError, match="LibreOffice"):
        ingest.read(path)


def test_zip_members_named_by_chinese_windows_are_decoded(tmp_path):
    from checker.formats import archive

    path = tmp_path / "from-windows.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("placeholder.txt")
        zf.writestr(info, GOOD.read_bytes())
    raw = path.read_bytes().replace(b"placeholder.txt", "县报告12.txt".encode("gbk").ljust(15, b"_")[:15])
    path.write_bytes(raw)
    members = archive.expand_zip(path, "a.zip")
    assert [label for _, label, _ in members] == ["a.zip/" + "县报告12.txt".encode("gbk").ljust(15, b"_")[:15].decode("gbk")]


def test_folder_audit_names_every_file_it_did_not_open(tmp_path, auditor):
    from checker.config import Resolver

    (tmp_path / "report.txt").write_bytes(GOOD.read_bytes())
    (tmp_path / "表.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "空.docx").write_bytes(b"")
    (tmp_path / "archive.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
    rows = batch.run([str(tmp_path)], auditor, Resolver(use_config=False), jobs=1)
    reasons = {Path(r.path).name: r.report.error for r in rows}
    assert reasons["report.txt"] is None
    assert reasons["表.xls"] == "未检查：不支持的格式 .xls：Excel 表格"
    assert reasons["空.docx"] == "未检查：空文件"
    assert reasons["archive.7z"].startswith("未检查：不支持的格式 .7z")
    assert batch.exit_status(rows) == 2  # the .7z may hold a report; the empty .docx was one
    from checker.render.matrix import totals

    assert "未检查 3" in totals([r.report for r in rows]).plain


def test_a_table_or_a_note_in_a_folder_is_listed_but_does_not_fail_the_batch(tmp_path, auditor):
    from checker.config import Resolver
    from checker.render.matrix import verdict

    (tmp_path / "report.txt").write_bytes(GOOD.read_bytes())
    (tmp_path / "报送名单.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README.md").write_text("说明", encoding="utf-8")
    rows = batch.run([str(tmp_path)], auditor, Resolver(use_config=False), jobs=1)
    by_name = {Path(r.path).name: r.report for r in rows}
    assert by_name["报送名单.xlsx"].error.startswith("未检查：不支持的格式 .xlsx")
    assert by_name["README.md"].error == "未检查：不支持的格式 .md"
    assert {by_name[n].summary.exit_status for n in ("报送名单.xlsx", "README.md")} == {0}
    assert verdict(by_name["README.md"])[0] == "– 未检查"
    assert batch.exit_status(rows) == by_name["report.txt"].summary.exit_status
    named = batch.run([str(tmp_path / "README.md")], auditor, Resolver(use_config=False), jobs=1)
    assert named[0].report.error is None and not named[0].report.is_report  # named, it is read


def _line(text, left=50.0, right=None, h=10.0):
    return [text, left, right if right is not None else left + 10 * len(text), h]


def test_pdf_layout_drops_running_headers_and_page_numbers_and_joins_wrapped_lines():
    full = 500.0
    words = "甲乙丙丁"
    pages = []
    for n in range(1, 5):
        w = words[n - 1]
        pages.append([
            _line("某县人民政府2024年度法治政府建设情况报告"),
            _line("一、主要工作") if n == 1 else _line(f"{w}接续上页的正文内容写到本行的末尾", right=full),
            _line(f"{w}党政主要负责人切实履行推进法治建设第一", right=full),
            _line(f"{w}责任人职责。"),
            _line(f"{w}严格落实行政执法三项制度，全面推行", right=full),
            _line(f"{w}法律顾问制度。"),
            _line(f"- {n} -", left=240),
        ])
    text, dropped = layout.pages_to_text(pages)
    lines = text.splitlines()
    assert dropped == 8  # 4 running headers + 4 page numbers
    assert lines[0] == "一、主要工作"
    assert lines[1] == "甲党政主要负责人切实履行推进法治建设第一甲责任人职责。"
    assert "乙接续上页的正文内容写到本行的末尾乙党政主要负责人切实履行推进法治建设第一乙责任人职责。" in lines
    assert "某县人民政府" not in text and "- 2 -" not in text


def test_an_indented_line_starts_a_paragraph():
    pages = [[_line("上一段的最后一行也写满了整行的宽度而没有句号", right=500), _line("新的一段从缩进开始。", left=75)]]
    text, _ = layout.pages_to_text(pages)
    assert text.splitlines() == ["上一段的最后一行也写满了整行的宽度而没有句号", "新的一段从缩进开始。"]
