"""Every format a reviewer receives gives the verdicts of the plain text: the seeds
converted by LibreOffice to .doc .odt .rtf .docx .pdf .html, a scan of them (pages
rendered as images, read back by OCR), and a .docx whose headings are numbered by Word.

Needs LibreOffice (and Tesseract chi_sim for the scan); skipped where they are missing,
and where ../shared/seeds is absent."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker import batch
from checker.config import Resolver
from tests.conftest import SEEDS

pytestmark = pytest.mark.seeds

FORMATS = ("doc", "odt", "rtf", "docx", "pdf", "html")


def _seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return sorted(SEEDS.glob("*.txt"))


def _soffice() -> str:
    from checker.formats import office

    exe = office.soffice_path()
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    return exe


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, list[Path]]:
    """The seeds as LibreOffice saves them, one folder per format (copies: ../shared is
    read-only, and nothing of it is kept)."""
    exe = _soffice()
    seeds = _seeds()
    root = tmp_path_factory.mktemp("converted")
    src = root / "txt"
    src.mkdir()
    for seed in seeds:
        shutil.copy(seed, src / seed.name)
    profile = (root / "profile").as_uri()
    out: dict[str, list[Path]] = {"txt": sorted(src.glob("*.txt"))}
    for fmt in FORMATS:
        target = root / fmt
        filt = {"html": "html:HTML (StarWriter)", "pdf": "pdf:writer_pdf_Export"}.get(fmt, fmt)
        subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--infilter=Text (encoded):UTF8,,",
             "--convert-to", filt, "--outdir", str(target), *map(str, out["txt"])],
            check=True, capture_output=True, timeout=600,
        )
        out[fmt] = sorted(target.glob(f"*.{fmt}"))
        assert len(out[fmt]) == len(seeds), fmt
    return out


def _verdicts(rows) -> dict[str, dict[str, str]]:
    got = {}
    for row in rows:
        assert row.report.error is None, row.report.error
        got[Path(row.path).stem] = {r.id: r.status for r in row.report.results}
    return got


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_gives_the_verdicts_of_the_text(auditor, converted, fmt):
    resolver = Resolver(use_config=False)
    want = _verdicts(batch.run([str(p) for p in converted["txt"]], auditor, resolver, jobs=2))
    got = _verdicts(batch.run([str(p) for p in converted[fmt]], auditor, resolver, jobs=2))
    assert got.keys() == want.keys()
    for stem in want:
        diff = {rid: (want[stem][rid], got[stem].get(rid)) for rid in want[stem] if got[stem].get(rid) != want[stem][rid]}
        assert not diff, f"{fmt} {stem}: rule: (txt, {fmt}) {diff}"


def test_a_scan_of_each_seed_gives_its_named_verdicts(auditor, converted, tmp_path):
    from checker.formats import ocr
    from checker.render.matrix import named_columns

    if ocr.available():
        pytest.skip(ocr.available())
    pdfium = pytest.importorskip("pypdfium2")
    scans = []
    for pdf in converted["pdf"]:
        doc = pdfium.PdfDocument(str(pdf))
        pages = [doc[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
        scan = tmp_path / pdf.name
        pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=200)
        doc.close()
        scans.append(scan)
    resolver = Resolver(use_config=False)
    named = [rid for rid, _ in named_columns(auditor.registry)]
    assert len(named) == 6
    want = _verdicts(batch.run([str(p) for p in converted["txt"]], auditor, resolver, jobs=2))
    rows = batch.run([str(p) for p in scans], auditor, resolver, jobs=2)
    got = _verdicts(rows)
    for row in rows:
        assert any("OCR" in note and "置信度" in note for note in row.report.notes), row.report.notes
    for stem in want:
        assert {r: got[stem][r] for r in named} == {r: want[stem][r] for r in named}, stem


# --- Word's automatic numbering ---------------------------------------------------------

_LEVELS = (  # (pattern of the typed number, numFmt, lvlText)
    (re.compile(r"^[一二三四五六七八九十]+、"), "chineseCounting", "%1、"),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), "chineseCounting", "（%2）"),
)


def _numbering_xml() -> str:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (_, fmt, text) in enumerate(_LEVELS)
    )
    return (f'<w:numbering {w}><w:abstractNum w:abstractNumId="7">{levels}</w:abstractNum>'
            f'<w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num></w:numbering>')


def _docx(lines: list[str], path: Path, auto: bool) -> None:
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    d = docx.Document()
    numbering = d.part.numbering_part
    if auto:
        numbering._element = parse_xml(_numbering_xml())
    for line in lines:
        level = next((i for i, (rx, _, _) in enumerate(_LEVELS) if rx.match(line)), None)
        if auto and level is not None:
            p = d.add_paragraph(_LEVELS[level][0].sub("", line, count=1))
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level
            num_pr.get_or_add_numId().val = 7
        else:
            p = d.add_paragraph(line)
    d.save(path)
    assert path.stat().st_size
    _ = qn


# Word writes the number it counts: a seed may type (一) where Word writes （一）, or type
# one number twice; the section a sentence is placed in is compared by its heading's words.
_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def _sections(rows) -> dict[str, list[tuple[str, str, list[str]]]]:
    return {
        Path(row.path).stem.split("-")[0]: [
            (r.id, r.status, [_NUMBER.sub("", part) for part in e.section.split(" › ")])
            for r in row.report.results for e in r.evidence
        ]
        for row in rows
    }


def test_automatic_numbering_gives_the_section_paths_of_typed_numbers(auditor, tmp_path):
    seeds = _seeds()
    files = []
    numbered = 0
    for seed in seeds:
        lines = [ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
        numbered += sum(1 for ln in lines if any(rx.match(ln) for rx, _, _ in _LEVELS))
        for kind in ("typed", "auto"):
            path = tmp_path / f"{seed.stem}-{kind}.docx"
            _docx(lines, path, auto=(kind == "auto"))
            files.append(path)
    assert numbered >= 10  # the seeds do have numbered headings to renumber
    resolver = Resolver(use_config=False)
    rows = batch.run([str(p) for p in files], auditor, resolver, jobs=2)
    typed = _sections([r for r in rows if r.path.endswith("-typed.docx")])
    auto = _sections([r for r in rows if r.path.endswith("-auto.docx")])
    assert typed == auto
    assert any(len(path) > 1 for pairs in auto.values() for _, _, path in pairs)  # nested sections seen
    for row in rows:
        if row.path.endswith("-auto.docx"):
            assert any("自动编号" in n and "已按编号格式还原" in n for n in row.report.notes)
