"""The Word review letter (审核意见) a reviewer edits and sends back to the drafter.

Per report: a title, the salutation, an opening, the report's particulars (body, title,
year, date, file, profile, coverage, result), then numbered sections — what is missing
and what is partial, each with what to add (the rule's hint), the form findings when
there are any, room for the reviewer's own words — a closing, the office and the date.

The wording is data, not code: ``templates/letter.yaml`` (shipped with the package) holds
every sentence, with placeholders such as ``{报告主体}``; an office passes its own copy with
``--template``. The YAML may name a letterhead .docx (``信头``) — or ``--template`` is the
.docx itself — whose headers, footers, styles, page set-up and opening paragraphs (red
header, document number) are kept; the letter goes after its body, or where a paragraph
reads just ``{正文}``. Placeholders in the letterhead's paragraphs are filled in too.

Written with python-docx. ``render`` returns the bytes of one document (one report, or
several with a page break between them); ``default_name`` names a report's letter in a
folder.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import string
from importlib import resources
from pathlib import Path, PurePath

import yaml
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

from checker.errors import UsageError
from checker.render import SEVERITY_ZH, level_zh
from checker.render.matrix import verdict, why

NUMERALS = "一二三四五六七八九十"
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in a .docx's XML
REQUIRED = ("标题", "开头", "总体", "缺失标题", "部分标题", "审核人意见标题", "结尾")


def default_wording() -> dict:
    return yaml.safe_load(resources.files("checker.render").joinpath("templates/letter.yaml").read_text("utf-8"))


def load_template(path: str | Path | None) -> tuple[dict, Path | None]:
    """(wording, letterhead .docx or None) from ``--template``: a .yaml wording file (which
    may name a letterhead), or a .docx letterhead used with the default wording."""
    wording = default_wording()
    if path is None:
        return wording, None
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"审核意见模板不存在：{path}")
    if path.suffix.lower() == ".docx":
        return wording, path
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"审核意见模板应为 .yaml（措辞）或 .docx（信头）：{path}")
    try:
        own = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"审核意见模板无法读取：{path}：{str(exc).splitlines()[0]}") from None
    if not isinstance(own, dict):
        raise UsageError(f"审核意见模板应是“键: 文字”的 YAML：{path}")
    unknown = sorted(set(own) - set(wording))
    if unknown:
        raise UsageError(f"审核意见模板 {path} 中有不认识的键：{'、'.join(map(str, unknown))}")
    wording.update(own)
    head = wording.get("信头") or ""
    letterhead = (path.parent / head) if head else None
    if letterhead is not None and not letterhead.is_file():
        raise UsageError(f"审核意见模板 {path} 指定的信头文件不存在：{letterhead}")
    for key in REQUIRED:
        if not isinstance(wording.get(key), str):
            raise UsageError(f"审核意见模板 {path} 缺少“{key}”")
    return wording, letterhead


class _Fields(dict):
    def __missing__(self, key):  # an unknown placeholder stays as written
        return "{" + key + "}"


def _fill(text: str, fields: dict) -> str:
    try:
        return string.Formatter().vformat(text or "", (), _Fields(fields))
    except (ValueError, IndexError):
        return text or ""


def fields(report, wording: dict, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    label, _ = verdict(report)
    bad = [r for r in report.results if r.severity != "info"]
    return {
        "报告主体": report.body or "报告单位",
        "报告标题": report.title or PurePath(report.file).name,
        "文件": PurePath(report.file).name,
        "报告年度": report.year or "",
        "成文日期": report.date or "未注明",
        "检查依据": report.profile_title,
        "覆盖率": report.summary.coverage,
        "结果": label.lstrip("✔✘ "),
        "原因": ("未通过的原因：" + why(report) + "。") if report.summary.exit_status else "",
        "审核单位": wording.get("审核单位") or "",
        "审核日期": f"{today.year}年{today.month}月{today.day}日",
        "缺失数": sum(r.status == "missing" for r in bad),
        "部分数": sum(r.status == "partial" for r in bad),
    }


def _clean(text) -> str:
    return ILLEGAL.sub("", "" if text is None else str(text))


def _font(run, name: str | None, size: float | None = None, bold: bool | None = None) -> None:
    if name:
        run.font.name = name
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


class _Writer:
    def __init__(self, doc, wording: dict, anchor=None):
        self.doc = doc
        self.w = wording
        self.anchor = anchor  # the {正文} paragraph of a letterhead, or None to append
        fonts = wording.get("字体") or {}
        self.body_font = fonts.get("正文")
        self.head_font = fonts.get("标题")

    def para(self, text: str = "", size: float = 14, bold: bool | None = None, font: str | None = None,
             align=None, indent: bool = False):
        p = self.anchor.insert_paragraph_before() if self.anchor is not None else self.doc.add_paragraph()
        if text:
            _font(p.add_run(_clean(text)), font or self.body_font, size, bold)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        p.paragraph_format.space_after = Pt(4)
        return p

    def page_break(self) -> None:
        self.para().add_run().add_break(WD_BREAK.PAGE)

    def table(self, rows: list[tuple[str, str]]) -> None:
        t = self.doc.add_table(rows=0, cols=2)
        t.style = "Table Grid" if "Table Grid" in [s.name for s in self.doc.styles] else None
        from docx.shared import Mm

        for k, v in rows:
            cells = t.add_row().cells
            cells[0].width, cells[1].width = Mm(32), Mm(124)
            for cell, text, bold in ((cells[0], k, True), (cells[1], v, False)):
                _font(cell.paragraphs[0].add_run(_clean(text)), self.body_font, 12, bold)
        t.autofit = False
        t.columns[0].width, t.columns[1].width = Mm(32), Mm(124)  # the grid LibreOffice and Word lay out by
        if self.anchor is not None:  # tables are appended at the end: move it into place
            self.anchor._p.addprevious(t._tbl)


def _letter(wr: _Writer, report, wording: dict, today: dt.date | None) -> None:
    f = fields(report, wording, today)
    w = lambda key: _fill(wording.get(key) or "", f)  # noqa: E731
    wr.para(w("标题"), size=18, bold=True, font=wr.head_font, align=WD_ALIGN_PARAGRAPH.CENTER)
    wr.para(w("称呼"))
    wr.para(w("开头"), indent=True)
    if report.error:
        wr.para(f"报告无法读取：{report.error}", indent=True)
    info = [("报告主体", f["报告主体"]), ("报告标题", report.title or "未识别"), ("报告年度", str(f["报告年度"] or "未识别")),
            ("层级", level_zh(report.level)), ("成文日期", f["成文日期"]), ("文件", f["文件"]),
            ("检查依据", f["检查依据"] or "—"), ("覆盖率", f"{f['覆盖率']}%"), ("审核结果", f["结果"])]
    if wording.get("报告信息标题"):
        wr.para(w("报告信息标题"), size=14, bold=True, font=wr.head_font)
    wr.table(info)
    wr.para(w("总体"), indent=True)

    sections: list[tuple[str, str, list[str]]] = []
    rank = {"error": 0, "warning": 1}
    for status, head, intro in (("missing", "缺失标题", "缺失说明"), ("partial", "部分标题", "部分说明")):
        items = sorted((r for r in report.results if r.status == status and r.severity != "info"),
                       key=lambda r: rank.get(r.severity, 2))
        if items:
            lines = [f"{r.title}（{SEVERITY_ZH.get(r.severity, r.severity)}）。{r.hint or ''}"
                     + ("".join(f"（{n}）" for n in r.notes) if r.notes else "") for r in items]
            sections.append((w(head), w(intro), lines))
    found = list(getattr(report, "findings", None) or [])
    if found:
        lines = [_clean(_finding_text(x)) for x in found]
        sections.append((w("形式标题"), w("形式说明"), lines))
    if not sections and not report.error:
        wr.para(w("无问题"), indent=True)
    sections.append((w("审核人意见标题"), "", []))
    for k, (head, intro, lines) in enumerate(sections):
        wr.para(f"{NUMERALS[k] if k < len(NUMERALS) else k + 1}、{head}", size=15, bold=True, font=wr.head_font)
        if intro:
            wr.para(intro, indent=True)
        for i, line in enumerate(lines, start=1):
            wr.para(f"{i}. {line}", indent=True)
    wr.para(w("审核人意见"), indent=True)
    for _ in range(3):  # room for the reviewer's words
        wr.para()
    wr.para(w("结尾"), indent=True)
    for key in ("落款", "日期"):
        if w(key).strip():
            wr.para(w(key), align=WD_ALIGN_PARAGRAPH.RIGHT)


def _finding_text(finding) -> str:
    """A form finding in one line, whatever shape the lint stage gives it."""
    get = finding.get if isinstance(finding, dict) else lambda k, d=None: getattr(finding, k, d)
    text = get("message") or get("title") or str(finding)
    where = get("section") or ""
    quote = get("text") or get("quote") or ""
    return text + (f"（{where}）" if where else "") + (f"：“{quote}”" if quote else "")


def _fill_letterhead(doc, report, wording: dict, today) -> None:
    f = fields(report, wording, today)
    parts = [doc] + [s.header for s in doc.sections] + [s.footer for s in doc.sections]
    for part in parts:
        for p in part.paragraphs:
            for run in p.runs:
                if "{" in run.text and run.text.strip() != "{正文}":
                    run.text = _fill(run.text, f)


def render(reports, template: str | Path | None = None, today: dt.date | None = None, **_opts) -> bytes:
    """One document holding the letter for each report (a page break between them)."""
    wording, letterhead = load_template(template)
    doc = Document(str(letterhead)) if letterhead else Document()
    anchor = next((p for p in doc.paragraphs if p.text.strip() == "{正文}"), None)
    if letterhead is None:
        sec = doc.sections[0]  # A4 with the margins of official documents (GB/T 9704)
        from docx.shared import Mm

        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    reports = list(reports)
    if reports:
        _fill_letterhead(doc, reports[0], wording, today)
    wr = _Writer(doc, wording, anchor)
    for k, report in enumerate(reports):
        if k:
            wr.page_break()
        _letter(wr, report, wording, today)
    if anchor is not None:
        anchor._p.getparent().remove(anchor._p)
    doc.core_properties.title = _fill(wording.get("标题", ""), fields(reports[0], wording, today)) if reports else ""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def default_name(report, n: int) -> str:
    """A letter's file name in a folder: the number, the report's body (or file), 审核意见."""
    stem = report.body or PurePath(report.file).stem
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem).strip(". ") or "报告"
    return f"{n:02d}-{stem}-审核意见.docx"


__all__ = ["render", "load_template", "default_name", "default_wording"]
