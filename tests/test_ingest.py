"""Ingest: encodings, normalisation, web leftovers, .docx, bad input, the real seeds."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from checker import ingest
from checker.errors import InputError

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# Short report-like passages written for these tests (same content in both scripts).
SIMPLIFIED = (
    "关于2023年度法治政府建设情况的报告\n"
    "县委、县政府：\n"
    "今年以来，我局认真贯彻落实党中央关于法治政府建设的决策部署，健全依法决策机制，"
    "严格规范公正文明执法，全年办理行政复议案件12件，行政机关负责人出庭应诉率达到100%。\n"
    "一、主要工作及成效\n"
    "（一）加强组织领导。局党组把法治建设纳入年度工作要点，定期听取工作汇报，研究解决重大问题。\n"
    "特此报告。\n"
)
TRADITIONAL = (
    "關於2023年度法治政府建設情況的報告\n"
    "縣委、縣政府：\n"
    "今年以來，我局認真貫徹落實黨中央關於法治政府建設的決策部署，健全依法決策機制，"
    "嚴格規範公正文明執法，全年辦理行政復議案件12件，行政機關負責人出庭應訴率達到100%。\n"
    "一、主要工作及成效\n"
    "（一）加強組織領導。局黨組把法治建設納入年度工作要點，定期聽取工作匯報，研究解決重大問題。\n"
    "特此報告。\n"
)
EXPECTED = SIMPLIFIED.rstrip("\n")

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# a CJK character, then 1-7 pinyin letters in parentheses with at least one tone mark or ü
PINYIN_LEFT = re.compile(rf"[\u4e00-\u9fff][(（](?=[a-z{TONED}]*[{TONED}])[a-z{TONED}]{{1,7}}[)）]")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- encodings --------------------------------------------------------------------------

ENCODED = {
    "utf8.txt": (SIMPLIFIED.encode("utf-8"), "utf-8"),
    "utf8-bom-crlf.txt": (b"\xef\xbb\xbf" + SIMPLIFIED.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig"),
    "cr-only.txt": (SIMPLIFIED.replace("\n", "\r").encode("utf-8"), "utf-8"),
    "gb18030.txt": (SIMPLIFIED.encode("gb18030"), "gb18030"),
    "gbk.txt": (SIMPLIFIED.encode("gbk"), "gb18030"),
    "big5.txt": (TRADITIONAL.encode("big5"), "big5"),
    "utf16le-bom.txt": (b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
    "utf16be-bom.txt": (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
    "utf16le-nobom.txt": (SIMPLIFIED.encode("utf-16-le"), "utf-16"),
    "utf16be-nobom.txt": (SIMPLIFIED.encode("utf-16-be"), "utf-16"),
    "traditional-utf8.txt": (TRADITIONAL.encode("utf-8"), "utf-8"),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_every_encoding_reads_to_the_same_text(tmp_path, name):
    raw, encoding = ENCODED[name]
    src = ingest.read(_write(tmp_path, name, raw))
    assert src.encoding == encoding
    assert src.text == EXPECTED
    assert src.sha256 == hashlib.sha256(raw).hexdigest()
    assert src.path.endswith(name)


def test_big5_and_gb18030_are_not_confused():
    # Big5 bytes decode without error as GB18030 (and GB often as Big5): the scorer must
    # pick the script that reads as Chinese.
    big5 = TRADITIONAL.encode("big5")
    gb = SIMPLIFIED.encode("gb18030")
    assert big5.decode("gb18030")  # the trap is real: no error, just mojibake
    assert ingest.decode(big5) == (TRADITIONAL, "big5")
    assert ingest.decode(gb) == (SIMPLIFIED, "gb18030")
    assert ingest.decode("法治政府建設".encode("big5")) == ("法治政府建設", "big5")
    assert ingest.decode("法治政府建设".encode("gbk")) == ("法治政府建设", "gb18030")


def test_decode_reports_notes_free_names():
    assert ingest.decode(SIMPLIFIED.encode())[1] == "utf-8"
    assert ingest.decode(b"\xef\xbb\xbf" + SIMPLIFIED.encode())[0] == SIMPLIFIED  # BOM not in text


def test_truncated_last_character_is_tolerated():
    raw = SIMPLIFIED.encode() + "法".encode()[:2]
    text, enc = ingest.decode(raw)
    assert enc == "utf-8" and text == SIMPLIFIED


def test_utf8_with_a_stray_broken_byte_is_still_utf8():
    raw = SIMPLIFIED.encode() + b"\xff" + SIMPLIFIED.encode()
    text, enc = ingest.decode(raw)
    assert enc == "utf-8"
    assert text == SIMPLIFIED + "\ufffd" + SIMPLIFIED


# --- normalisation ----------------------------------------------------------------------


def test_full_width_forms_become_half_width_but_chinese_punctuation_stays():
    text, notes, _ = ingest.normalise("２０２３年办理案件１２件，占比９８．５％，ＡＰＰ上线；会议于１０：３０召开：“好”（一）、。")
    assert text == "2023年办理案件12件，占比98.5%，APP上线；会议于10:30召开：“好”（一）、。"
    assert any("半角" in n for n in notes)


def test_invisible_characters_spaces_and_blank_lines():
    raw = "第一行\u200b内容\ufeff \t\n\n\n\n\n第二行\u00a0内容\u3000\n\n第三行"
    text, notes, _ = ingest.normalise(raw)
    assert text == "第一行内容\n\n第二行 内容\n\n第三行"
    assert any("零宽" in n for n in notes)


def test_line_endings():
    text, notes, _ = ingest.normalise("甲\r\n乙\r丙\n丁")
    assert text == "甲\n乙\n丙\n丁"
    assert any("换行符" in n for n in notes)


def test_pinyin_removed_and_genuine_parentheses_kept():
    raw = (
        "臨河區(qū)認真落實責(zé)任，發（fā）揮作用，優化營商環(huán)境，重點環(huán)節(jié)親自協(xié)調，"
        "維護穩(wěn)定，培養(yǎng)人才，加強監(jiān)督，嚴格執(zhí)法，普法創(chuàng)新。"
        "共有單位12個(含二級單位)，綱要(2020年—2025年)，政務App(App)，分兩步(一)，"
        "費用(lv)，英文(a)。"
    )
    text, notes, _ = ingest.normalise(raw)
    assert not PINYIN_LEFT.search(text)
    for kept in ("(含二级单位)", "(2020年—2025年)", "(App)", "(一)", "(lv)", "(a)"):
        assert kept in text, kept
    assert "临河区认真落实责任，发挥作用，优化营商环境，重点环节亲自协调" in text
    assert "已删除繁体字后残留的拼音注音 12 处" in notes
    assert notes.index("已删除繁体字后残留的拼音注音 12 处") < notes.index("原文为繁体字，已转换为简体")


def test_pinyin_after_non_cjk_is_left_alone():
    text, notes, _ = ingest.normalise("步骤2(qū)不变，word (fā) 也不变")
    assert text == "步骤2(qū)不变，word (fā) 也不变"
    assert not any("拼音" in n for n in notes)


def test_simplified_text_is_not_converted():
    # a simplified report that quotes a few traditional characters stays as it is
    raw = SIMPLIFIED + "引用台湾地区文件《行政程序法》中的“機關”一词。\n"
    text, notes, _ = ingest.normalise(raw)
    assert "機關" in text
    assert "原文为繁体字，已转换为简体" not in notes


def test_traditional_text_is_converted():
    text, notes, _ = ingest.normalise(TRADITIONAL)
    assert text == EXPECTED
    assert "原文为繁体字，已转换为简体" in notes


# --- web-page leftovers -----------------------------------------------------------------

WEB_PAGE = """示例县人民政府门户网站
当前位置：首页 > 政务公开 > 法治政府建设
索引号：000000000/2024-00012  组配分类：法治政府建设年度报告
发布机构：示例县司法局  主题分类：政务公开
名称：示例县司法局关于2023年度法治政府建设情况的报告  文号：
发文日期：2024-01-15  发布日期：2024-01-16
示例县司法局关于2023年度法治政府建设情况的报告
发布时间：2024-01-16 09:30  信息来源：示例县司法局  浏览次数：  字体：[大 中 小]

示例县司法局关于2023年度法治政府建设情况的报告

县委、县政府：
2023年，我局坚持以法治思想为指导，推动各项工作在法治轨道上运行。现将有关情况报告如下：
一、主要工作及成效
（一）健全依法决策机制。全年审查规范性文件8件，提出修改意见20条。
二、存在的不足
一是执法人员专业能力有待提高。
三、2024年工作打算
一是持续开展执法人员培训。
特此报告。

示例县司法局
2024年1月15日
（联系人：王某，联系电话：0000-1234567）
【打印本页】【关闭窗口】
扫一扫在手机打开当前页
分享到：
相关链接：
国务院部门网站
地方政府网站
区(县)政府网站
网站地图
主办单位：示例县人民政府办公室  网站标识码：0000000000
"""


def test_web_leftovers_removed_content_kept_fields_filled():
    text, notes, fields = ingest.normalise(WEB_PAGE)
    lines = text.split("\n")
    title = "示例县司法局关于2023年度法治政府建设情况的报告"
    assert lines[0] == title
    assert lines.count(title) == 1  # the repeated title is gone, the first one stays
    for must in ("县委、县政府：", "特此报告。", "示例县司法局", "2024年1月15日",
                 "（联系人：王某，联系电话：0000-1234567）", "一是持续开展执法人员培训。"):
        assert must in lines, must
    assert lines[-1] == "（联系人：王某，联系电话：0000-1234567）"
    for gone in ("当前位置", "索引号", "发布机构", "发布时间", "门户网站", "打印", "扫一扫", "分享到",
                 "相关链接", "政府网站", "网站地图"):
        assert gone not in text, gone
    assert fields["发布机构"] == "示例县司法局"
    assert fields["发布日期"] == "2024-01-16"
    assert fields["发文日期"] == "2024-01-15"
    assert fields["名称"] == title
    assert fields["索引号"] == "000000000/2024-00012"
    assert fields["发布时间"] == "2024-01-16 09:30"
    assert "文号" not in fields and "字体" not in fields  # empty / no value
    note = next(n for n in notes if n.startswith("已去除网页残留"))
    assert "导航/元数据 10 行" in note and "链接列表 6 行" in note and "重复标题 1 行" in note


def test_plain_report_with_repeated_issuer_lines_is_untouched():
    # issuer lines open the report and repeat as its signature; both must stay
    raw = (
        "中共示例县某某镇委员会\n示例县某某镇人民政府\n关于2022年法治政府建设工作的报告\n区委、区政府：\n"
        "现将有关情况报告如下：\n时间：全年开展学法活动6次。\n一、工作情况\n开展学习12次。\n特此报告\n"
        "中共示例县某某镇委员会\n示例县某某镇人民政府\n2023年1月20日\n"
    )
    text, notes, fields = ingest.normalise(raw)
    assert text == raw.rstrip("\n")
    assert notes == [] and fields == {}


def test_issuer_lines_above_page_chrome_are_not_taken_for_a_site_banner():
    raw = "中共示例县委员会\n示例县人民政府\n【打印】【关闭】\n关于2023年度法治政府建设情况的报告\n市委、市政府：\n正文。"
    text, notes, _ = ingest.normalise(raw)
    assert text == "中共示例县委员会\n示例县人民政府\n关于2023年度法治政府建设情况的报告\n市委、市政府：\n正文。"
    assert "已去除网页残留：导航/元数据 1 行" in notes


def test_entities_copied_from_page_source():
    text, notes, _ = ingest.normalise("&ldquo;放管服&rdquo;改革&nbsp;持续深化&hellip;R&D 不变")
    assert text == "“放管服”改革 持续深化…R&D 不变"
    assert any("字符实体" in n for n in notes)


def test_report_content_about_websites_survives():
    # only a trailing run of bare link names is dropped, not content that mentions websites
    raw = "三、工作打算\n（三）加强政府网站建设\n进一步加强政府网站建设。\n示例县人民政府\n2024年1月5日"
    text, notes, _ = ingest.normalise(raw)
    assert text == raw and notes == []
    text, notes, _ = ingest.normalise("三、工作打算\n（三）加强政府网站建设")
    assert text == "三、工作打算\n（三）加强政府网站建设"


# --- Word and HTML ----------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_in_order(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("示例县关于2023年度法治政府建设情况的报告")
    d.add_paragraph("县委、县政府：")
    d.add_paragraph("主要工作", style="List Number")
    table = d.add_table(rows=2, cols=3)
    for c, value in enumerate(("项目", "数量", "备注")):
        table.cell(0, c).text = value
    table.cell(1, 0).text = "行政复议案件"
    table.cell(1, 1).text = "１２件"
    table.cell(1, 2).text = "较上年增加"
    d.add_paragraph("特此报告。")
    path = tmp_path / "report.docx"
    d.save(path)

    src = ingest.read(path)
    assert src.encoding == "docx"
    assert src.text == (
        "示例县关于2023年度法治政府建设情况的报告\n县委、县政府：\n1.主要工作\n"
        "项目\t数量\t备注\n行政复议案件\t12件\t较上年增加\n特此报告。"
    )
    assert any("自动编号" in n for n in src.notes)
    assert src.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_docx_content_controls_are_read(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn
    from lxml import etree

    d = docx.Document()
    d.add_paragraph("标题段落")
    wrapped = d.add_paragraph("包在内容控件里的正文")
    d.add_paragraph("结尾段落")
    sdt = etree.Element(qn("w:sdt"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    wrapped._p.addprevious(sdt)
    content.append(wrapped._p)
    path = tmp_path / "sdt.docx"
    d.save(path)
    assert ingest.read(path).text == "标题段落\n包在内容控件里的正文\n结尾段落"


def test_simple_html_is_stripped_to_text(tmp_path):
    html = (
        "<!DOCTYPE html><html><head><title>示例县 报告</title><script>var a = '不要';</script></head>"
        "<body><div>当前位置：首页 &gt; 政务公开</div><h1>示例县关于2023年度法治政府建设情况的报告</h1>"
        "<p>县委、县政府：</p><p>今年以来&nbsp;我县依法行政。</p><p>特此报告。</p></body></html>"
    )
    src = ingest.read(_write(tmp_path, "page.html", html.encode("utf-8")))
    assert src.text == "示例县关于2023年度法治政府建设情况的报告\n县委、县政府：\n今年以来 我县依法行政。\n特此报告。"
    assert src.fields["网页标题"] == "示例县 报告"


# --- bad input --------------------------------------------------------------------------


def _zip_without_docx(tmp_path: Path) -> bytes:
    import zipfile

    p = tmp_path / "a.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return p.read_bytes()


BAD = {
    "empty": (b"", "文件为空"),
    "whitespace": (b" \r\n\t\n  ", "文件为空"),
    "utf16-whitespace": ("  \n ".encode("utf-16"), "文件为空"),
    "nul-binary": (bytes(range(256)) * 8, "看起来是二进制文件"),
    "pdf": (b"%PDF-1.7\n" + b"x" * 40, "PDF 文件已损坏"),
    "undecodable": (bytes(range(128, 256)) * 4, "无法识别文本编码"),
    "bad-bom": (b"\xef\xbb\xbf" + b"\xff\xfe\xfd" * 10, "无法识别文本编码"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gives_one_line(tmp_path, case):
    raw, start = BAD[case]
    path = _write(tmp_path, f"{case}.txt", raw)
    with pytest.raises(InputError) as info:
        ingest.read(path)
    msg = str(info.value)
    assert msg.startswith(start), msg
    assert "\n" not in msg and str(path) in msg


def test_zip_that_is_not_docx(tmp_path):
    path = _write(tmp_path, "archive.docx", _zip_without_docx(tmp_path))
    with pytest.raises(InputError) as info:
        ingest.read(path)
    assert str(info.value).startswith("看起来是二进制文件") and "\n" not in str(info.value)


def test_broken_docx(tmp_path):
    import zipfile

    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<not xml")
    with pytest.raises(InputError) as info:
        ingest.read(path)
    assert str(info.value).startswith("无法读取 .docx 文件") and "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError) as info:
        ingest.read(tmp_path / "nope.txt")
    assert str(info.value) == f"无法读取：文件不存在 ({tmp_path / 'nope.txt'})"
    with pytest.raises(InputError) as info:
        ingest.read(tmp_path)
    assert str(info.value).startswith("无法读取：这是一个目录") and "\n" not in str(info.value)


def test_decode_raises_for_binary_directly():
    with pytest.raises(InputError):
        ingest.decode(b"abc\x00\x01\x02def\x00")
    with pytest.raises(InputError):
        ingest.decode(b"")


def test_input_file_is_not_modified(tmp_path):
    raw = b"\xef\xbb\xbf" + ("　２０２３年\u200b报告 \r\n" * 3).encode("utf-8")
    path = _write(tmp_path, "keep.txt", raw)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    path.chmod(0o444)
    before = path.stat()
    src = ingest.read(path)
    after = path.stat()
    assert src.text == " 2023年报告\n 2023年报告\n 2023年报告"
    assert path.read_bytes() == raw
    assert after.st_mtime_ns == before.st_mtime_ns == 1_600_000_000_000_000_000
    assert after.st_size == before.st_size


# --- the real seeds ---------------------------------------------------------------------


def _seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"no seeds in {SEEDS}")
    return seeds


def test_seeds_are_clean_after_read():
    import opencc

    t2s = opencc.OpenCC("t2s")
    for seed in _seeds():
        src = ingest.read(seed)
        text = src.text
        assert len(text) > 1000, seed.name
        assert not PINYIN_LEFT.search(text), (seed.name, PINYIN_LEFT.search(text))
        assert t2s.convert(text) == text, seed.name  # simplified throughout
        lines = [line.strip() for line in text.split("\n")]
        for line in lines:
            assert not line.startswith(("索引号", "发布机构", "当前位置", "您现在的位置", "组配分类")), (seed.name, line)
            assert "扫一扫" not in line and "浏览次数" not in line, (seed.name, line)
        nonblank = [line for line in lines if line]
        for line in nonblank[-3:]:
            assert not line.endswith(("网站", "链接", "网站地图")), (seed.name, line)
        assert "\r" not in text and "\u00a0" not in text and "\u200b" not in text
        assert not re.search(r"[ \t]+$", text, re.M)
        assert "\n\n\n\n" not in text
        assert re.search(r"[。.]", text)  # still prose


def test_seeds_read_the_same_in_other_encodings(tmp_path):
    for seed in _seeds():
        src = ingest.read(seed)
        original = ingest.decode(seed.read_bytes())[0]
        for codec, name in (("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16")):
            other = ingest.read(_write(tmp_path, f"{seed.stem}.{codec}.txt", original.encode(codec)))
            assert other.encoding == name, (seed.name, codec)
            assert other.text == src.text, (seed.name, codec)


def test_seed_web_metadata_lands_in_fields():
    for seed in _seeds():
        raw_text = ingest.decode(seed.read_bytes())[0]
        src = ingest.read(seed)
        for key in ("发布机构", "发布日期", "索引号"):
            m = re.search(rf"^{key}\s*[:：]\s*(\S+)", raw_text, re.M)
            if m:
                assert src.fields.get(key) == m.group(1), (seed.name, key)
