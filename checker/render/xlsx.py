"""Excel workbook (.xlsx) for a reviewer's office: 汇总 (one row per report), 明细 (report ×
rule) and 说明 (the legend). Headers and values in Chinese, header row frozen, filters on,
status cells coloured by conditional formatting (so colours follow a sort or an edit),
column widths measured in display cells (a Chinese character is two), A4 landscape print
set-up with the header row repeated on every page.

Written with openpyxl. No cell is ever a formula: every value from a report is written as
a string cell (with Excel's "quote prefix" so an edit keeps it text), whatever it starts
with — a file named ``=HYPERLINK(…)`` stays text. ``render`` returns the file's bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from checker.render import SEVERITY_ZH, STATUS_ZH, level_zh
from checker.render.matrix import verdict, why

# fills like a spreadsheet's own "good / neutral / bad" styles
FILLS = {
    "已覆盖": ("C6EFCE", "006100"),
    "部分": ("FFEB9C", "9C5700"),
    "缺失": ("FFC7CE", "9C0006"),
    "已豁免": ("DDEBF7", "1F4E79"),
    "不适用": ("EDEDED", "595959"),
}
HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
HEAD_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in the XML of a cell
MAX_WIDTH = 60


def _put(ws, row: int, col: int, value):
    """A cell that holds exactly ``value``: numbers as numbers, text always as text."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        value = ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        text = ILLEGAL.sub("", str(value))
        cell.value = text
        cell.data_type = "s"  # never "f": openpyxl would otherwise take "=…" for a formula
        if text[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True
    cell.alignment = WRAP
    cell.border = GRID
    return cell


def _sheet(ws, headers: list[str], rows: list[list], widths: dict[int, int] | None = None,
           freeze: str = "A2") -> None:
    for c, h in enumerate(headers, start=1):
        cell = _put(ws, 1, c, h)
        cell.fill, cell.font = HEAD_FILL, HEAD_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            _put(ws, r, c, v)
    for c, h in enumerate(headers, start=1):
        longest = max([cell_len(str(h))] + [cell_len(str(row[c - 1])) for row in rows if row[c - 1] is not None])
        cap = (widths or {}).get(c, MAX_WIDTH)
        ws.column_dimensions[get_column_letter(c)].width = max(6, min(cap, longest + 2))
    # rows as tall as their wrapped text (spreadsheet programs do not measure it on opening)
    widths_now = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(headers) + 1)]
    for r, values in enumerate([headers] + rows, start=1):
        lines = max(sum(-(-max(cell_len(part), 1) // max(int(w) - 1, 1)) for part in str(v or "").split("\n"))
                    for v, w in zip(values, widths_now))
        ws.row_dimensions[r].height = 15 * min(max(lines, 1), 12) + 3
    ws.freeze_panes = freeze
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _colour(ws, ref: str) -> None:
    """Conditional fills on ``ref`` by the status word in each cell."""
    for word, (fill, font) in FILLS.items():
        style = dict(fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=font))
        ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{word}"'], **style))


def _findings(report) -> list:
    return list(getattr(report, "findings", None) or [])


def summary_rows(reports, columns):
    with_lint = any(_findings(r) for r in reports)
    headers = ["序号", "文件", "报告主体", "层级", "报告年度", "检查依据", "覆盖率（%）", "纲要任务已覆盖",
               "结果", "原因（未通过的必备项）", *(title for _rid, title in columns)]
    if with_lint:
        headers.append("形式审查问题")
    rows = []
    for n, report in enumerate(reports, start=1):
        label, _ = verdict(report)
        label = label.lstrip("✔✘ ")
        if report.error:
            rows.append([n, report.file, "", "", "", "", "", "", label, report.error, *[""] * len(columns)]
                        + ([""] if with_lint else []))
            continue
        by_id = {r.id: r for r in report.results}
        marks = [STATUS_ZH.get(by_id[rid].status, "") if rid in by_id else "" for rid, _ in columns]
        t = report.summary.tasks
        tasks = f"{t['covered']}/{t['applicable']}（部分 {t['partial']}）" if t else ""
        reason = why(report) if report.summary.exit_status else ""
        row = [n, report.file, report.body or "未识别", level_zh(report.level), report.year or "未识别",
               report.profile_title, report.summary.coverage, tasks, label, reason, *marks]
        if with_lint:
            row.append(len(_findings(report)))
        rows.append(row)
    return headers, rows


def detail_rows(reports):
    headers = ["序号", "文件", "报告主体", "规则编号", "要素", "级别", "状态", "得分", "位置", "证据", "需要补充（提示）",
               "豁免"]
    rows = []
    for n, report in enumerate(reports, start=1):
        if report.error:
            rows.append([n, report.file, "", "", "", "", "出错" if report.summary.exit_status else "未检查", "", "",
                         report.error, "", ""])
            continue
        for r in report.results:
            ev = r.evidence[0] if r.evidence else None
            w = r.waiver or {}
            waiver = "，".join(x for x in (w.get("reason"), w.get("by"), w.get("until") and f"至 {w['until']}") if x)
            rows.append([
                n, report.file, report.body or "未识别", r.id, r.title, SEVERITY_ZH.get(r.severity, r.severity),
                STATUS_ZH.get(r.status, r.status), r.score if r.status != "not_applicable" else "",
                ev.section if ev else "", ev.text if ev else "",
                r.hint if r.status in ("missing", "partial") else "", waiver,
            ])
    return headers, rows


def _summary_colours(ws, last: int, named: int) -> None:
    """The 汇总 sheet's colours down to row ``last``: the ``named`` rule columns (from K) by
    verdict, and the result column I (通过 green, anything else red)."""
    if named:
        _colour(ws, f"{get_column_letter(11)}2:{get_column_letter(10 + named)}{last}")
    ws.conditional_formatting.add(f"I2:I{last}", CellIsRule(
        operator="equal", formula=['"通过"'], fill=PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE"),
        font=Font(color="006100", bold=True)))
    ws.conditional_formatting.add(f"I2:I{last}", FormulaRule(
        formula=['AND(I2<>"",I2<>"通过")'], fill=PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"),
        font=Font(color="9C0006", bold=True)))


def render(reports, columns=(), config: str | None = None, **_opts) -> bytes:
    from checker import __version__

    reports, columns = list(reports), list(columns)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    headers, rows = summary_rows(reports, columns)
    _sheet(ws, headers, rows, widths={2: 28, 6: 20, 10: 44, **{11 + i: 12 for i in range(len(columns))}},
           freeze="D2")
    last = len(rows) + 1
    if rows:
        _summary_colours(ws, last, len(columns))
        for r in range(2, last + 1):
            ws.cell(row=r, column=7).number_format = "0.0"

    ds = wb.create_sheet("明细")
    headers, rows = detail_rows(reports)
    _sheet(ds, headers, rows, widths={2: 30, 5: 30, 9: 30, 10: 60, 11: 50, 12: 30}, freeze="E2")
    if rows:
        _colour(ds, f"G2:G{len(rows) + 1}")

    ns = wb.create_sheet("说明")
    notes = [
        ["法治政府建设年度报告检查", ""],
        ["生成", f"checker {__version__}，{dt.date.today().isoformat()}"],
        ["报告数", len(reports)],
        ["配置文件", config or "无"],
        ["依据", "《法治政府建设实施纲要》和《法治政府建设与责任落实督察工作规定》第二十五条"],
        ["覆盖率", "适用的必备和建议内容中，已覆盖计 1、部分计 0.5；提示级内容不计分"],
        ["结果", "必备要素缺失或不完整即为“未通过”；“原因”列出未通过的必备项"],
        *[[STATUS_ZH.get(k, k), v] for k, v in (
            ("covered", "报告写到了该内容，并有证据句"), ("partial", "写到了一部分，需要补充"),
            ("missing", "没有写到"), ("not_applicable", "不适用于本级"), ("waived", "审核人员已豁免"))],
        *[[title, f"规则 {rid}"] for rid, title in columns],
    ]
    _sheet(ns, ["项目", "说明"], notes[1:], widths={1: 16, 2: 80}, freeze="A2")
    ns.auto_filter.ref = None
    _colour(ns, f"A2:A{len(notes)}")

    buf = io.BytesIO()
    wb.properties.title = "法治政府建设年度报告检查"
    wb.properties.creator = f"checker {__version__}"
    wb.save(buf)
    return buf.getvalue()


# --- streaming (--stream -o 结果.xlsx): a national year, row by row ----------------------

SHEET_ROWS = 1_048_576  # Excel's rows per sheet; 明细 goes on in 明细（续2）… past it


class StreamWriter:
    """The workbook of ``render`` written one report at a time with openpyxl's write-only
    mode: each sheet's rows go to a temporary file as they come (cell text inline, no
    shared-string table), so memory does not grow with the batch; ``close`` writes the
    .xlsx to ``fh`` (a binary file). 汇总 has one row per report; 明细 one per rule and
    goes on in a new sheet when it reaches Excel's row limit. The streamed workbook always
    has the 形式审查问题 column (whether any report has findings is known only at the end)
    and leaves row heights to the spreadsheet program; colours, filters, frozen headers,
    widths and print set-up are those of ``render``."""

    def __init__(self, fh, columns=(), config: str | None = None):
        self._fh = fh
        self._columns = list(columns)
        self._config = config
        self._wb = Workbook(write_only=True)
        self._n = 0
        headers, _ = summary_rows([], self._columns)
        self._summary_headers = headers + ["形式审查问题"]
        self._summary = self._new_sheet("汇总", self._summary_headers,
                                        {2: 28, 6: 20, 10: 44, **{11 + i: 12 for i in range(len(self._columns))}},
                                        "D2")
        self._summary_rows = 0
        self._detail_headers, _ = detail_rows([])
        self._details: list[tuple] = []  # (sheet, rows written)
        self._next_detail_sheet()

    def _new_sheet(self, title: str, headers: list[str], widths: dict[int, int], freeze: str):
        from openpyxl.cell import WriteOnlyCell

        ws = self._wb.create_sheet(title)
        for c, h in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(c)].width = max(6, min(widths.get(c, MAX_WIDTH),
                                                                          max(cell_len(h) + 2, 12)))
        ws.freeze_panes = freeze
        ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        head = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.fill, cell.font = HEAD_FILL, HEAD_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            head.append(cell)
        ws.append(head)
        return ws

    def _next_detail_sheet(self) -> None:
        title = "明细" if not self._details else f"明细（续{len(self._details) + 1}）"
        ws = self._new_sheet(title, self._detail_headers, {2: 30, 5: 30, 9: 30, 10: 60, 11: 50, 12: 30}, "E2")
        self._details.append([ws, 0])

    def _cells(self, ws, values: list) -> list:
        """Values as ``_put`` writes them: numbers as numbers, every other value as text
        (a text that Excel would take for a formula kept text, with the quote prefix)."""
        from openpyxl.cell import WriteOnlyCell

        out = []
        for v in values:
            if v is None:
                out.append("")
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(v)
            else:
                text = ILLEGAL.sub("", str(v))
                if text[:1] in ("=", "+", "-", "@"):
                    cell = WriteOnlyCell(ws, value=None)
                    cell.value = text
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    out.append(cell)
                else:
                    out.append(text)
        return out

    def rows_for(self, report) -> tuple[list, list[list]]:
        """The report's 汇总 row and 明细 rows as plain values (numbered by ``add_rows``):
        made where the report is (a pool's worker), written by the parent."""
        _, rows = summary_rows([report], self._columns)
        row = rows[0]
        if len(row) < len(self._summary_headers):
            row.append(len(_findings(report)) if not report.error else "")
        return row, detail_rows([report])[1]

    def add_rows(self, row: list, details: list[list]) -> None:
        self._n += 1
        row[0] = self._n
        self._summary.append(self._cells(self._summary, row))
        self._summary_rows += 1
        for row in details:
            ws, written = self._details[-1]
            if written + 1 >= SHEET_ROWS:
                self._next_detail_sheet()
                ws, written = self._details[-1]
            row[0] = self._n
            ws.append(self._cells(ws, row))
            self._details[-1][1] = written + 1

    def add(self, report) -> None:
        self.add_rows(*self.rows_for(report))

    def discard(self) -> None:
        """An interrupted batch: end the sheets' temporary files without writing a workbook."""
        for ws in self._wb.worksheets:
            try:
                if not ws.closed:
                    ws.close()
                writer = getattr(ws, "_writer", None)
                if writer is not None:
                    writer.cleanup()
            except Exception:  # pragma: no cover - best effort; openpyxl removes them at exit
                pass

    def close(self, config: str | None = None) -> None:
        """Finish the sheets and write the workbook; ``config``: the configuration files
        applied, as known only once every report is done."""
        from checker import __version__

        self._config = config or self._config
        ws, last = self._summary, self._summary_rows + 1
        if self._summary_rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(self._summary_headers))}{last}"
            _summary_colours(ws, last, len(self._columns))
        for ds, written in self._details:
            if written:
                ds.auto_filter.ref = f"A1:{get_column_letter(len(self._detail_headers))}{written + 1}"
                _colour(ds, f"G2:G{written + 1}")
        ns = self._new_sheet("说明", ["项目", "说明"], {1: 16, 2: 80}, "A2")
        notes = [
            ["生成", f"checker {__version__}，{dt.date.today().isoformat()}"],
            ["报告数", self._n],
            ["配置文件", self._config or "无"],
            ["依据", "《法治政府建设实施纲要》和《法治政府建设与责任落实督察工作规定》第二十五条"],
            ["覆盖率", "适用的必备和建议内容中，已覆盖计 1、部分计 0.5；提示级内容不计分"],
            ["结果", "必备要素缺失或不完整即为“未通过”；“原因”列出未通过的必备项"],
            *[[STATUS_ZH.get(k, k), v] for k, v in (
                ("covered", "报告写到了该内容，并有证据句"), ("partial", "写到了一部分，需要补充"),
                ("missing", "没有写到"), ("not_applicable", "不适用于本级"), ("waived", "审核人员已豁免"))],
            *[[title, f"规则 {rid}"] for rid, title in self._columns],
        ]
        for row in notes:
            ns.append(self._cells(ns, row))
        _colour(ns, f"A2:A{len(notes) + 1}")
        self._wb.properties.title = "法治政府建设年度报告检查"
        self._wb.properties.creator = f"checker {__version__}"
        self._wb.save(self._fh)
