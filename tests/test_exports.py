"""What a reviewer's office passes on: the Excel workbook, the Word review letter, the
Chinese CSV (no cell a spreadsheet reads as a formula), the command line's output habits,
and the verdict line the terminal ends with. Where LibreOffice is installed, the workbook
and the letter are converted to PDF and rendered to PNG in tests/artifacts/ (gitignored)."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from checker import __version__, batch
from checker.cli import app
from checker.config import Resolver
from checker.render import STATUS_ZH
from checker.render import docx as docx_r
from checker.render import matrix
from checker.render import xlsx as xlsx_r

from conftest import CORPUS, REPO

runner = CliRunner()
ARTIFACTS = REPO / "tests" / "artifacts"
SAMPLE = CORPUS / "sample-county-2023.txt"
NO_THREE = CORPUS / "district-2024-no-three-systems.txt"
FORMULA_NAME = '=HYPERLINK("http:__evil.example","点我")'
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or {"COLUMNS": "160"})


@pytest.fixture(scope="module")
def rows(auditor, tmp_path_factory):
    """Two real reports and one whose file name and first line are a spreadsheet formula."""
    folder = tmp_path_factory.mktemp("formula")
    hostile = folder / f"{FORMULA_NAME}.txt"
    hostile.write_text(FORMULA_NAME + "\n" + NO_THREE.read_text(encoding="utf-8"), encoding="utf-8")
    here = os.getcwd()
    os.chdir(folder)  # the report is named as given: a relative name that starts with "="
    try:
        return batch.run([str(SAMPLE), str(NO_THREE), hostile.name], auditor, Resolver(use_config=False))
    finally:
        os.chdir(here)


def failing_titles(report) -> list[str]:
    return [r.title for r in report.results if r.severity == "error" and r.status in ("missing", "partial")]


# --- Excel --------------------------------------------------------------------------------------


def test_the_workbook_has_a_summary_and_a_detail_sheet_in_chinese(auditor, rows, tmp_path):
    reports = [r.report for r in rows]
    columns = matrix.named_columns(auditor.registry)
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_r.render(reports, columns=columns))
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "明细", "说明"]
    summary, detail = wb["汇总"], wb["明细"]
    head = [c.value for c in summary[1]]
    assert head[:10] == ["序号", "文件", "报告主体", "层级", "报告年度", "检查依据", "覆盖率（%）", "纲要任务已覆盖", "结果",
                         "原因（未通过的必备项）"]
    assert head[10:] == [title for _rid, title in columns]
    assert summary.freeze_panes == "D2" and detail.freeze_panes == "E2"
    assert summary.auto_filter.ref == f"A1:{summary.cell(1, len(head)).column_letter}{len(reports) + 1}"
    assert detail.auto_filter.ref and detail.max_row == 1 + sum(len(r.results) for r in reports)
    for n, report in enumerate(reports, start=2):
        row = {h: summary.cell(n, c).value for c, h in enumerate(head, start=1)}
        assert row["文件"] == report.file and row["报告主体"] == report.body
        assert row["覆盖率（%）"] == report.summary.coverage  # a number, not text
        assert row["结果"] == ("通过" if report.summary.exit_status == 0 else "未通过")
        for title in failing_titles(report):
            assert title in row["原因（未通过的必备项）"]
        by_id = {r.id: r for r in report.results}
        assert [row[t] for rid, t in columns] == [STATUS_ZH[by_id[rid].status] for rid, _ in columns]
    # the detail sheet: status words in Chinese, a hint for what is missing
    dhead = [c.value for c in detail[1]]
    statuses = {detail.cell(r, dhead.index("状态") + 1).value for r in range(2, detail.max_row + 1)}
    assert statuses <= set(STATUS_ZH.values()) and "缺失" in statuses
    missing = next(r for r in range(2, detail.max_row + 1) if detail.cell(r, dhead.index("状态") + 1).value == "缺失")
    assert detail.cell(missing, dhead.index("需要补充（提示）") + 1).value
    # colours follow the status words, by conditional formatting on both sheets
    for ws in (summary, detail):
        rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
        words = {f.strip('"') for rule in rules for f in rule.formula if rule.type == "cellIs"}
        assert {"已覆盖", "部分", "缺失"} <= words
        assert all(rule.dxf.fill is not None for rule in rules)
    # columns wide enough for the Chinese they hold (a character is two cells)
    assert summary.column_dimensions["C"].width >= 2 * max(len(r.body or "") for r in reports)


def test_no_cell_of_the_workbook_is_a_formula(auditor, rows, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_r.render([r.report for r in rows], columns=matrix.named_columns(auditor.registry)))
    wb = load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    planted = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK(")]
    assert planted and all(c.data_type == "s" and c.quotePrefix for c in planted)
    assert any(c.value == rows[2].report.file for c in planted)  # the name itself, unchanged


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_is_chinese_and_neutralises_formulas(rows):
    from checker.render import csv as csv_r

    text = csv_r.render([r.report for r in rows])
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0])[:6] == ["文件", "报告主体", "层级", "报告年度", "检查依据", "覆盖率（%）"]
    assert {row["状态"] for row in table} <= set(STATUS_ZH.values())
    assert {row["级别"] for row in table} <= {"必备", "建议", "提示"} and table[0]["层级"].endswith("级")
    for row in table:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    hostile = [row for row in table if FORMULA_NAME in row["文件"]]
    assert hostile and all(row["文件"] == "'" + rows[2].report.file for row in hostile)
    english = list(csv.DictReader(io.StringIO(csv_r.render([rows[1].report], english=True))))
    assert "rule_id" in english[0] and {row["status"] for row in english} <= set(STATUS_ZH)


# --- the Word letter ----------------------------------------------------------------------------


def letter_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_letter_names_what_to_add_with_the_hints(rows):
    report = rows[1].report
    text = letter_text(docx_r.render([report]))
    assert f"关于{report.body}{report.year}年度法治政府建设情况报告的审核意见" in text
    assert report.title in text and f"{report.body}：" in text and "审核人员意见" in text
    for r in report.results:
        if r.status in ("missing", "partial") and r.severity != "info":
            assert r.title in text and (r.hint or "") in text
        if r.status == "covered":
            assert f"{r.title}（" not in text
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
    passing = letter_text(docx_r.render([rows[0].report]))
    assert "审核结果：通过" in passing and "未通过" not in passing


def test_an_office_replaces_the_wording_and_the_letterhead(rows, tmp_path):
    head = Document()
    head.add_paragraph("某某县委全面依法治县委员会办公室")
    head.add_paragraph("致：{报告主体}")
    head.add_paragraph("{正文}")
    head.add_paragraph("（此页无正文）")
    head.save(tmp_path / "红头.docx")
    (tmp_path / "wording.yaml").write_text(
        "信头: 红头.docx\n审核单位: 某某依法治县办\n标题: 对{报告主体}报告的反馈意见\n缺失标题: 请补写\n", encoding="utf-8")
    doc = Document(io.BytesIO(docx_r.render([rows[1].report], template=tmp_path / "wording.yaml")))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "某某县委全面依法治县委员会办公室" and paras[1] == f"致：{rows[1].report.body}"
    assert paras[2] == f"对{rows[1].report.body}报告的反馈意见"  # the letter sits where {正文} was
    assert "一、请补写" in paras and "某某依法治县办" in paras and paras[-1] == "（此页无正文）"
    assert "{正文}" not in paras
    cli = invoke("audit", NO_THREE, "-o", tmp_path / "x.docx", "--template", tmp_path / "wording.yaml", "--no-config")
    assert cli.exit_code == 1 and f"对{rows[1].report.body}报告的反馈意见" in letter_text((tmp_path / "x.docx").read_bytes())
    (tmp_path / "bad.yaml").write_text("标题党: x\n", encoding="utf-8")
    result = invoke("audit", NO_THREE, "-o", tmp_path / "x.docx", "--template", tmp_path / "bad.yaml", "--no-config")
    assert result.exit_code == 2 and "不认识的键：标题党" in result.stderr


def test_a_batch_gives_a_letter_per_report_or_one_on_request(tmp_path):
    result = invoke("audit", SAMPLE, tmp_path / "gone.txt", NO_THREE, "-o", f"{tmp_path}/letters/", "--no-config")
    assert result.exit_code == 2  # an unreadable file gets no letter; the others do
    letters = sorted((tmp_path / "letters").iterdir())
    assert len(letters) == 2 and all(p.suffix == ".docx" for p in letters)
    assert "青岚县" in letter_text(letters[0].read_bytes()) and letters[1].name.startswith("03-")
    assert result.stderr.count("已写入") == 2
    refused = invoke("audit", SAMPLE, NO_THREE, "-o", tmp_path / "all.docx", "--no-config")
    assert refused.exit_code == 2 and "--combine" in refused.stderr and not (tmp_path / "all.docx").exists()
    combined = invoke("audit", SAMPLE, NO_THREE, "-o", tmp_path / "all.docx", "--combine", "--no-config")
    assert combined.exit_code == 1
    assert letter_text((tmp_path / "all.docx").read_bytes()).count("的审核意见") == 2


# --- LibreOffice: what a reviewer sees when they open or print them ------------------------------


def _to_png(path: Path, tmp_path: Path) -> tuple[Path, str]:
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (path.stem + ".pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / path.stem
    subprocess.run([PDFTOPPM, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, timeout=60)
    shutil.copy(pdf, ARTIFACTS / pdf.name)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout \
        if shutil.which("pdftotext") else ""
    return stem.with_suffix(".png"), text


@pytest.mark.skipif(not (SOFFICE and PDFTOPPM), reason="LibreOffice and pdftoppm are not installed")
def test_the_workbook_and_the_letter_convert_to_pdf_in_libreoffice(auditor, rows, tmp_path):
    xlsx = tmp_path / "审核结果.xlsx"
    xlsx.write_bytes(xlsx_r.render([r.report for r in rows], columns=matrix.named_columns(auditor.registry)))
    png, text = _to_png(xlsx, tmp_path)
    assert png.stat().st_size > 5_000
    if text:
        assert "未通过" in text and rows[1].report.body in text
    letter = tmp_path / "审核意见.docx"
    letter.write_bytes(docx_r.render([rows[1].report]))
    png, text = _to_png(letter, tmp_path)
    assert png.stat().st_size > 20_000
    if text:
        assert "审核意见" in text and "需要补充的内容" in text


# --- command line -------------------------------------------------------------------------------


def test_the_format_comes_from_the_file_name_and_a_mismatch_is_refused(tmp_path):
    result = invoke("audit", SAMPLE, NO_THREE, "-o", tmp_path / "r.xlsx", "-o", tmp_path / "r.json",
                    "-o", tmp_path / "r.html", "-o", tmp_path / "r.csv", "--no-config")
    assert result.exit_code == 1 and result.stdout == ""
    assert load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "汇总"
    assert len(json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))) == 2
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("文件,报告主体")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith("checker: 已写入 ") for line in lines)
    assert [line.split(" ", 2)[2].rsplit("（", 1)[0] for line in lines] == [str(tmp_path / f"r.{x}") for x in ("xlsx", "json", "html", "csv")]
    bad = invoke("audit", SAMPLE, "-f", "html", "-o", tmp_path / "x.json", "--no-config")
    assert bad.exit_code == 2 and "不符" in bad.stderr and not (tmp_path / "x.json").exists()
    unknown = invoke("audit", SAMPLE, "-o", tmp_path / "x.dat", "--no-config")
    assert unknown.exit_code == 2 and "无法从文件名判断输出格式" in unknown.stderr
    forced = invoke("audit", SAMPLE, "-f", "json", "-o", tmp_path / "x.dat", "--no-config")
    assert forced.exit_code == 0 and json.loads((tmp_path / "x.dat").read_text(encoding="utf-8"))["file"]
    binary = invoke("audit", SAMPLE, "-f", "xlsx", "--no-config")
    assert binary.exit_code == 2 and "-o" in binary.stderr


def test_version_quiet_and_the_csv_english_option(tmp_path):
    version = invoke("--version")
    assert version.exit_code == 0 and version.stdout.strip() == f"checker {__version__}"
    quiet = invoke("audit", NO_THREE, "-o", tmp_path / "r.csv", "--quiet", "--no-config")
    assert quiet.exit_code == 1 and quiet.stderr == "" and (tmp_path / "r.csv").exists()
    line = invoke("audit", NO_THREE, "-q", "--no-config")
    assert len(line.stdout.strip().splitlines()) == 1 and line.stdout.startswith("✘ 未通过")
    english = invoke("audit", NO_THREE, "-f", "csv", "--csv-english", "--no-config")
    assert english.stdout.startswith("file,body,level,year,")


def test_help_is_chinese_with_readable_metavars():
    for args in (["--help"], ["audit", "--help"], ["rules", "--help"], ["rules", "show", "-h"], ["text", "-h"]):
        out = invoke(*args).stdout
        assert "用法：" in out and "选项：" in out, args
        for english in ("Usage", "Options", "Arguments", "Show this message", "[default", "[required]", "<list",
                        "<str>", "<path>", "<int", "<float", "COMMAND", "[OPTIONS]"):
            assert english not in out, (args, english)


def test_the_configuration_file_applied_is_named_in_the_header(tmp_path):
    shutil.copy(NO_THREE, tmp_path / "r.txt")
    (tmp_path / "checker.toml").write_text('ignore = ["outline-2021-9"]\n', encoding="utf-8")
    out = invoke("audit", tmp_path / "r.txt", env={"COLUMNS": "200"}).stdout
    assert "配置文件" in out and str(tmp_path / "checker.toml") in out
    invoke("audit", tmp_path / "r.txt", "-o", tmp_path / "r.html", "-o", tmp_path / "r.xlsx")
    assert f"配置文件：{tmp_path / 'checker.toml'}" in (tmp_path / "r.html").read_text(encoding="utf-8")
    notes = {row[0]: row[1] for row in load_workbook(tmp_path / "r.xlsx")["说明"].iter_rows(values_only=True)}
    assert notes["配置文件"] == str(tmp_path / "checker.toml")
    none = invoke("audit", tmp_path / "r.txt", "--no-config", env={"COLUMNS": "200"}).stdout
    assert "无（未找到或未使用配置文件）" in none


# --- the verdict where the eye lands ------------------------------------------------------------


def test_the_terminal_view_ends_with_the_verdict_naming_what_fails(auditor):
    for path in (NO_THREE, SAMPLE):
        report = batch.run([str(path)], auditor, Resolver(use_config=False))[0].report
        out = invoke("audit", path, "--no-config", env={"COLUMNS": "120", "LINES": "30"}).stdout
        last = " ".join(out.strip().splitlines()[-2:])
        if report.summary.exit_status:
            assert "✘ 未通过" in last and all(t in last.replace(" ", "") for t in
                                              (x.replace(" ", "") for x in failing_titles(report)))
        else:
            assert "✔ 通过" in out.strip().splitlines()[-1]


def test_a_matrix_row_names_required_items_outside_the_named_columns(auditor):
    """A report that fails only on a required item that has no column of its own (an outline
    task such as 政务公开) says so in its row, not just ✘ 未通过 beside six ✔."""
    named = {rid for rid, _ in matrix.named_columns(auditor.registry)}
    rows = batch.run(sorted(str(p) for p in CORPUS.glob("*.txt")), auditor, Resolver(use_config=False))
    hidden = [r.report for r in rows if failing_titles(r.report)
              and not {x.id for x in r.report.results if x.title in failing_titles(r.report)} & named]
    assert hidden, "the corpus has no report failing only outside the named columns"
    text = matrix.render(hidden, columns=matrix.named_columns(auditor.registry), width=200)
    for n, report in enumerate(hidden, start=1):
        line = next(line for line in text.splitlines() if line.strip().startswith(f"{n} "))
        assert "未通过" in line and failing_titles(report)[0][:6] in line
