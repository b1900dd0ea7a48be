"""--stream -o 结果.xlsx: the workbook is written row by row (openpyxl write-only) with the
same cells as the gathered batch's workbook; 明细 goes on in a new sheet at Excel's row
limit; an interrupted stream leaves no workbook; the progress bar shows the time left."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from checker.cli import app

from conftest import CORPUS

runner = CliRunner()
CROSS = ("--ignore", "copy-batch,copy-previous")  # cross-report checks cannot run on a stream


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def values(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_streamed_workbook_has_the_cells_of_the_gathered_one(tmp_path):
    gathered = invoke("audit", CORPUS, "--no-config", *CROSS, "--jobs", "1", "-o", tmp_path / "a.xlsx")
    streamed = invoke("audit", CORPUS, "--no-config", *CROSS, "--jobs", "2", "--stream", "-o", tmp_path / "b.xlsx")
    assert streamed.exit_code == gathered.exit_code, streamed.output
    a, b = load_workbook(tmp_path / "a.xlsx"), load_workbook(tmp_path / "b.xlsx")
    assert b.sheetnames == ["汇总", "明细", "说明"]
    sa, sb = values(a["汇总"]), values(b["汇总"])
    assert len(sa) == len(sb) > 10
    width = len(sa[0])  # the streamed 汇总 always has the 形式审查问题 column
    assert [row[:width] for row in sb] == sa
    assert values(a["明细"]) == values(b["明细"])
    assert b["汇总"].freeze_panes == "D2" and b["明细"].auto_filter.ref
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def test_details_past_the_row_limit_go_on_in_a_new_sheet(auditor, monkeypatch):
    from checker.pipeline import Options
    from checker.render import matrix, xlsx

    reports = [auditor.audit_path(f, Options()) for f in sorted(CORPUS.glob("*.txt"))[:4]]
    rows = sum(len(r.results) or 1 for r in reports)
    monkeypatch.setattr(xlsx, "SHEET_ROWS", rows // 3 + 2)
    buf = io.BytesIO()
    book = xlsx.StreamWriter(buf, matrix.named_columns(auditor.registry))
    for r in reports:
        book.add(r)
    book.close()
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    details = [name for name in wb.sheetnames if name.startswith("明细")]
    assert len(details) >= 3
    body = [row for name in details for row in values(wb[name])[1:]]
    whole = values(load_workbook(io.BytesIO(xlsx.render(reports)))["明细"])[1:]
    assert body == whole
    assert all(wb[name].max_row <= xlsx.SHEET_ROWS for name in details)


def test_xlsx_stream_to_standard_output_is_refused():
    result = invoke("audit", CORPUS, "--stream", "-f", "xlsx")
    assert result.exit_code == 2 and "-o" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_bar_shows_time_left_only_on_a_terminal(terminal):
    from rich.console import Console

    from checker.command import _Progress

    class Done:
        file = "某报告.txt"

    out = io.StringIO()
    bar = _Progress(Console(file=out, force_terminal=terminal, width=120))
    bar.start(50)
    for _ in range(50):
        bar.done(Done())
    bar.stop()
    assert ("剩余" in out.getvalue()) is terminal
    if terminal:
        assert "50/50" in out.getvalue()
