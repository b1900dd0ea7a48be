"""Hostile inputs, run as a user runs the checker (a new process each time).

Each case ends in one of two ways: exit status 2 with one line on stderr (no traceback),
or a normal audit (0 or 1). Each must end within a time limit — the subprocess timeout is
a guard against a hang, not a speed assertion (speed is in `make bench`). And nothing the
checker read is changed: every file a case gives it is hashed before and after.
"""
from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus" / "sample-county-2023.txt"
HANG_GUARD = 120  # seconds; every case ends far sooner, this only turns a hang into a failure

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def run(*args, cwd=None, timeout=HANG_GUARD, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "checker", *map(os.fspath, args)], cwd=cwd or REPO, capture_output=True,
        timeout=timeout, env={**os.environ, "COLUMNS": "160", **(env or {})},
    )


def digest(paths) -> dict:
    out = {}
    for p in paths:
        p = Path(p)
        try:
            if p.is_symlink():
                out[p] = ("link", os.readlink(p))
            elif p.is_file():
                out[p] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            else:
                out[p] = ("other", p.lstat().st_mode)
        except OSError as exc:
            out[p] = ("error", exc.errno)
    return out


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, (result.returncode, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err[-2000:]
    assert lines[0].startswith("checker: ")
    for w in words:
        assert w in lines[0], lines[0]
    assert "\x1b" not in err
    return lines[0]


def normal_audit(result: subprocess.CompletedProcess) -> None:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode in (0, 1), (result.returncode, err[-2000:])
    assert "Traceback" not in err


def audit_case(args, read, *, cwd=None, expect="error", words=()):
    """Run one case; check how it ended and that nothing it read changed."""
    before = digest(read)
    result = run("audit", *args, cwd=cwd)
    if expect == "error":
        one_line_error(result, *words)
    elif expect == "audit":
        normal_audit(result)
    else:  # either is acceptable, as long as it is one of the two
        if result.returncode == 2:
            one_line_error(result)
        else:
            normal_audit(result)
    assert digest(read) == before, "an input was changed"
    return result


@pytest.fixture
def report(tmp_path) -> Path:
    p = tmp_path / "report.txt"
    p.write_bytes(SAMPLE.read_bytes())
    return p


# --- reports that are not regular files ----------------------------------------------------


@needs_fifo
def test_a_named_pipe_as_the_report_is_refused_without_waiting_on_it(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    audit_case([fifo, "--no-config"], [fifo], words=["管道"])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_the_report_is_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} missing")
    one_line_error(run("audit", device, "--no-config"), "设备")


def test_a_symlink_loop_as_the_report(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    audit_case([loop, "--no-config"], [loop])


def test_a_symlink_loop_in_a_batch_is_one_row_and_the_others_go_on(tmp_path, report):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    result = audit_case([report, loop, "--no-config", "--format", "json"], [report, loop], expect="either")
    assert result.returncode == 2  # the worst row decides
    assert b"Traceback" not in result.stderr
    import json

    rows = json.loads(result.stdout)
    assert len(rows) == 2 and sum(1 for r in rows if r.get("error")) == 1


def test_a_directory_with_hostile_members_goes_on_past_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bin.txt").write_bytes(bytes(range(256)) * 64)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
    before = digest(folder.iterdir())
    result = run("audit", folder, "--no-config", "--format", "csv")
    assert result.returncode == 2  # the worst row decides
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert all(line.startswith("checker: ") for line in err.splitlines())  # one line per bad file
    assert "good.txt" in result.stdout.decode("utf-8")
    assert digest(folder.iterdir()) == before


# --- output onto what the run reads, or onto something that is not a file -----------------


def test_output_onto_the_waivers_file_is_refused_and_the_decisions_kept(tmp_path, report):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - rule: three-systems\n    report: report.txt\n    reason: 已单独报告\n",
                       encoding="utf-8")
    audit_case([report, "--waivers", waivers, "-o", waivers, "-f", "json", "--no-config"], [report, waivers],
               words=["拒绝"])


def test_output_onto_the_config_file_is_refused(tmp_path, report):
    config = tmp_path / "checker.toml"
    config.write_text('fail-on = "error"\n', encoding="utf-8")
    audit_case([report, "--config", config, "-o", config, "-f", "json"], [report, config], words=["拒绝"])


def test_output_onto_a_config_found_beside_the_report_is_refused(tmp_path, report):
    config = tmp_path / "checker.toml"
    config.write_text('fail-on = "error"\n', encoding="utf-8")
    audit_case([report, "-o", config, "-f", "json"], [report, config], words=["拒绝"])


def test_output_onto_a_waivers_file_named_in_the_config_is_refused(tmp_path, report):
    (tmp_path / "checker.toml").write_text('waivers = "w.yaml"\n', encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    audit_case([report, "-o", waivers, "-f", "json"], [report, waivers, tmp_path / "checker.toml"], words=["拒绝"])


def test_output_onto_a_rule_file_is_refused(tmp_path, report):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    target = rules / "named.yaml"
    audit_case([report, "--rules", rules, "-o", target, "-f", "json", "--no-config"],
               [report, *rules.rglob("*.yaml")], words=["拒绝"])


def test_output_onto_the_report_itself_is_refused(report):
    audit_case([report, "-o", report, "-f", "json", "--no-config"], [report], words=["拒绝"])


def test_output_onto_a_symlink_is_refused_and_the_link_kept(tmp_path, report):
    target = tmp_path / "elsewhere.json"
    target.write_text("{}", encoding="utf-8")
    link = tmp_path / "out.json"
    link.symlink_to(target)
    audit_case([report, "-o", link, "-f", "json", "--no-config"], [report, link, target], words=["符号链接"])


def test_output_onto_a_symlink_loop_is_refused(tmp_path, report):
    link = tmp_path / "out.json"
    link.symlink_to(link)
    audit_case([report, "-o", link, "-f", "json", "--no-config"], [report, link])


@needs_fifo
def test_output_onto_a_fifo_is_refused_without_opening_it(tmp_path, report):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    audit_case([report, "-o", fifo, "-f", "json", "--no-config"], [report, fifo], words=["管道"])
    assert Path(fifo).is_fifo()


def test_output_onto_a_device_is_refused(report):
    audit_case([report, "-o", "/dev/null", "-f", "json", "--no-config"], [report], words=["设备"])


# --- settings files of every malformed shape ---------------------------------------------

BAD_WAIVERS = {
    "a day that does not exist": "waivers:\n  - rule: three-systems\n    report: r.txt\n    reason: x\n    until: 2025-02-30\n",
    "month 13": "waivers:\n  - rule: three-systems\n    report: r.txt\n    reason: x\n    until: 2025-13-01\n",
    "a quoted month 13": "waivers:\n  - rule: three-systems\n    report: r.txt\n    reason: x\n    until: '2025-13-01'\n",
    "a NUL in the report path": 'waivers:\n  - rule: three-systems\n    report: "a\\0b.txt"\n    reason: x\n',
    "nesting 20,000 deep": "waivers: " + "[" * 20000 + "]" * 20000 + "\n",
    "block nesting 3,000 deep": "waivers:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)),
    "a huge integer": "waivers:\n  - rule: three-systems\n    report: r.txt\n    reason: x\n    by: " + "9" * 6000 + "\n",
    "a huge integer report": "waivers:\n  - rule: three-systems\n    report: " + "1" * 6000 + "\n    reason: x\n",
    "not a mapping": "- just\n- a list\n",
    "waivers is a number": "waivers: 5\n",
    "an anchor bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi")),
    "a python tag": "waivers: !!python/object/apply:os.system ['echo pwned']\n",
}


@pytest.mark.parametrize("case", sorted(BAD_WAIVERS))
def test_malformed_waivers_are_one_line(case, tmp_path, report):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(BAD_WAIVERS[case], encoding="utf-8")
    audit_case([report, "--waivers", waivers, "--no-config", "-f", "json"], [report, waivers], words=["waivers.yaml"])


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary\xff\xfe", "waivers: []\n# caf\xe9\n".encode("latin-1")])
def test_waivers_that_are_binary_or_latin1_are_one_line(content, tmp_path, report):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_bytes(content)
    audit_case([report, "--waivers", waivers, "--no-config"], [report, waivers])


def test_waivers_from_dev_zero_are_refused_before_reading():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    audit_case([SAMPLE, "--waivers", "/dev/zero", "--no-config"], [SAMPLE], words=["设备"])


@needs_fifo
def test_waivers_from_a_named_pipe_do_not_hang(tmp_path, report):
    fifo = tmp_path / "waivers.yaml"
    os.mkfifo(fifo)
    audit_case([report, "--waivers", fifo, "--no-config"], [report], words=["管道"])


def test_waivers_that_are_a_symlink_loop(tmp_path, report):
    loop = tmp_path / "waivers.yaml"
    loop.symlink_to(loop)
    audit_case([report, "--waivers", loop, "--no-config"], [report, loop])


def test_a_waiver_whose_report_is_a_symlink_loop(tmp_path, report):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - rule: three-systems\n    report: loop.txt\n    reason: x\n", encoding="utf-8")
    audit_case([report, "--waivers", waivers, "--no-config"], [report, waivers], expect="either")


BAD_TOML = {
    "nesting 20,000 deep": "select = " + "[" * 20000 + "]" * 20000 + "\n",
    "inline tables 20,000 deep": "severity = " + "{a = " * 20000 + "1" + "}" * 20000 + "\n",
    "a huge integer": "fail-under = " + "9" * 6000 + "\n",
    "an infinite number": "fail-under = inf\n",
    "a bad date": "profile = 2025-02-30\n",
    "a NUL in the waivers path": 'waivers = "a\\u0000b.yaml"\n',
    "not TOML": "this is = = not toml [\n",
    "a wrong type": "select = 5\n",
    "an unknown key": "colour = \"red\"\n",
}


@pytest.mark.parametrize("case", sorted(BAD_TOML))
def test_malformed_checker_toml_is_one_line(case, tmp_path, report):
    config = tmp_path / "checker.toml"
    config.write_text(BAD_TOML[case], encoding="utf-8")
    audit_case([report, "-f", "json"], [report, config], words=["checker.toml"])
    audit_case([report, "--config", config, "-f", "json"], [report, config], words=["checker.toml"])


@pytest.mark.parametrize("content", [b"\x00\xff\xfe\x00binary", 'profile = "caf\xe9"\n'.encode("latin-1")])
def test_checker_toml_that_is_binary_or_latin1_is_one_line(content, tmp_path, report):
    config = tmp_path / "checker.toml"
    config.write_bytes(content)
    audit_case([report, "--config", config], [report, config], words=["checker.toml"])


@needs_fifo
def test_config_from_a_named_pipe_does_not_hang(tmp_path, report):
    fifo = tmp_path / "checker.toml"
    os.mkfifo(fifo)
    audit_case([report, "--config", fifo], [report], words=["管道"])


def test_config_from_dev_zero_is_refused():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    audit_case([SAMPLE, "--config", "/dev/zero"], [SAMPLE], words=["设备"])


# --- rule files --------------------------------------------------------------------------


def _rules_copy(tmp_path) -> Path:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    return rules


@pytest.mark.parametrize("content", [bytes(range(256)) * 16, "rules: []\n# caf\xe9\n".encode("latin-1"),
                                     b"rules: " + b"[" * 20000 + b"]" * 20000 + b"\n"])
def test_a_rule_file_that_is_binary_latin1_or_deep_is_one_line(content, tmp_path, report):
    rules = _rules_copy(tmp_path)
    (rules / "named.yaml").write_bytes(content)
    files = list(rules.rglob("*.yaml"))
    audit_case([report, "--rules", rules, "--no-config"], [report, *files], words=["named.yaml"])
    before = digest(files)
    result = run("rules", "check", "--rules", rules, "--no-examples")
    assert result.returncode in (1, 2) and b"Traceback" not in result.stderr
    assert digest(files) == before


def test_rules_check_on_a_backtracking_regex_ends(tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        "rules:\n"
        "  - id: slow-rule\n"
        "    title: 回溯\n"
        "    refs: [inspection-2019:25.3]\n"
        "    severity: info\n"
        "    group: leadership\n"
        "    description: 回溯\n"
        "    hint: 回溯\n"
        "    example: " + "啊" * 40 + "！\n"
        "    check:\n"
        "      concepts:\n"
        "        a:\n"
        "          regex: ['(啊+)+$']\n"
        "      covered: {all: [a]}\n", encoding="utf-8")
    before = digest([draft])
    result = run("rules", "check", draft, timeout=HANG_GUARD)
    assert result.returncode in (1, 2) and b"Traceback" not in result.stderr
    assert digest([draft]) == before


# --- .docx: zip bombs, entities, merged cells ---------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _docx(path: Path, body: str, prolog: str = "", extra: dict | None = None) -> Path:
    doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document {_W}><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", doc)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def _report_paragraphs() -> str:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return "".join(_para(line.replace("&", "&amp;").replace("<", "&lt;")) for line in lines if line.strip())


def test_a_docx_zip_bomb_is_refused_from_its_directory(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of spaces, a few hundred KB zipped
                member.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    audit_case([bomb, "--no-config"], [bomb], words=["压缩"])


def test_a_docx_with_an_external_entity_reads_no_other_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT-42", encoding="utf-8")
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    path = _docx(tmp_path / "xxe.docx", _report_paragraphs() + _para("&xxe;"), prolog)
    result = audit_case([path, "--no-config", "-f", "json"], [path, secret], expect="either")
    assert b"SECRET-CONTENT-42" not in result.stdout + result.stderr


def test_a_docx_with_entity_expansion_ends(tmp_path):
    ents = '<!ENTITY a0 "hahahahahahahahahaha">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path = _docx(tmp_path / "laughs.docx", _report_paragraphs() + _para("&a9;"), f"<!DOCTYPE w:document [{ents}]>")
    audit_case([path, "--no-config", "-f", "json"], [path], expect="either")


def test_a_docx_column_merged_down_many_rows_is_read(tmp_path):
    rows = "".join(
        "<w:tr><w:tc><w:tcPr><w:vMerge" + (' w:val="restart"' if i == 0 else "") + "/></w:tcPr>"
        + _para("合并" if i == 0 else "") + "</w:tc><w:tc>" + _para(f"第{i}行") + "</w:tc></w:tr>"
        for i in range(1600))
    path = _docx(tmp_path / "merged.docx", _report_paragraphs() + f"<w:tbl>{rows}</w:tbl>")
    audit_case([path, "--no-config", "-f", "json"], [path], expect="audit")


def test_a_docx_cell_spanning_a_hundred_million_columns(tmp_path):
    table = ('<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>' + _para("跨列")
             + "</w:tc></w:tr></w:tbl>")
    path = _docx(tmp_path / "span.docx", _report_paragraphs() + table)
    audit_case([path, "--no-config", "-f", "json"], [path], expect="either")


# --- names and text that must stay inert --------------------------------------------------


def test_a_file_name_with_invalid_utf8_in_html_and_csv(tmp_path):
    folder = os.fsencode(tmp_path)
    name = os.path.join(folder, b"bad-\xff\xfe-name.txt")
    with open(name, "wb") as fh:
        fh.write(SAMPLE.read_bytes())
    for fmt in ("html", "csv", "json", "markdown"):
        out = tmp_path / f"out.{fmt}"
        before = digest([os.fsdecode(name)])
        result = subprocess.run([sys.executable, "-m", "checker", "audit", name, "-f", fmt, "-o", os.fsencode(out),
                                 "--no-config"], cwd=REPO, capture_output=True, timeout=HANG_GUARD)
        normal_audit(result)
        assert out.is_file() and out.stat().st_size > 0
        out.read_bytes().decode("utf-8")  # the output itself is valid UTF-8
        assert digest([os.fsdecode(name)]) == before


def test_control_characters_in_a_file_name_do_not_reach_the_terminal(tmp_path):
    name = tmp_path / "\x1b[31mred\x1b]0;title\x07.txt"
    name.write_bytes(SAMPLE.read_bytes())
    result = run("audit", name, "--no-config")
    normal_audit(result)
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
    missing = run("audit", tmp_path / "\x1b[2Jgone.txt", "--no-config")
    line = one_line_error(missing)
    assert "\\x1b" in line  # shown, not sent


def test_escape_sequences_in_report_text_do_not_reach_the_terminal(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("。", "。\x1b[2J\x1b]52;c;cHduZWQ=\x07", 5)
    path = tmp_path / "esc.txt"
    path.write_text(text, encoding="utf-8")
    for args in ([], ["-f", "markdown"], ["-f", "csv"]):
        result = run("audit", path, "--no-config", *args)
        normal_audit(result)
        assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout


def test_markdown_does_not_carry_a_report_s_raw_html(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    text = [line + "<script>alert(1)</script><img src=x onerror=alert(2)>" if line.strip() else line for line in text]
    path = tmp_path / "<script>x.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    result = run("audit", path, "--no-config", "-f", "markdown")
    normal_audit(result)
    out = result.stdout.decode("utf-8")
    assert "&lt;script&gt;" in out  # the text is there, shown …
    body = out.replace("`" + str(path) + "`", "")  # … a code span shows its name literally
    assert "<script" not in body.lower() and "<img" not in body.lower()


def test_no_csv_cell_starts_a_formula(tmp_path):
    folder = tmp_path / "=HYPERLINK(1)"
    folder.mkdir()
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    (folder / "r.txt").write_text("\n".join("=" + l if l.strip() else l for l in lines), encoding="utf-8")
    (tmp_path / "@SUM(1)").mkdir()
    (tmp_path / "@SUM(1)" / "r.txt").write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out.csv"
    result = run("audit", "=HYPERLINK(1)/r.txt", "@SUM(1)/r.txt", "-f", "csv", "-o", out, "--no-config", cwd=tmp_path)
    normal_audit(result)
    import csv

    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) > 2
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_bidi_controls_do_not_change_coverage(tmp_path, auditor):
    from checker.pipeline import Options

    plain = auditor.audit_path(SAMPLE, Options())
    marked = tmp_path / "bidi.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    # an override and an isolate inside words a rule looks for
    marked.write_text("".join(ch + ("\u202e" if i % 7 == 0 else "\u2066" if i % 11 == 0 else "")
                              for i, ch in enumerate(text)), encoding="utf-8")
    hostile = auditor.audit_path(marked, Options())
    assert hostile.summary.coverage == plain.summary.coverage
    assert [r.status for r in hostile.results] == [r.status for r in plain.results]
    assert not any(ch in "\u202e\u2066" for r in hostile.results for e in r.evidence for ch in e.text)


# --- usage errors ------------------------------------------------------------------------


@pytest.mark.parametrize("args, words", [
    (["--jobs", "0"], ["--jobs", "整数"]),
    (["--jobs", "-1"], ["--jobs", "整数"]),
    (["--jobs", "abc"], ["--jobs", "整数", "abc"]),
    (["--jobs"], ["--jobs"]),
    (["--format", "pdfx"], ["--format", "json"]),
    (["--fail-under", "200"], ["--fail-under", "100"]),
    (["--bogus"], ["--bogus"]),
])
def test_usage_errors_are_one_chinese_line_naming_the_option(args, words):
    line = one_line_error(run("audit", SAMPLE, *args))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in line)


def test_a_leading_dash_file_name_gets_a_hint(tmp_path):
    (tmp_path / "-report.txt").write_bytes(SAMPLE.read_bytes())
    line = one_line_error(run("audit", "-report.txt", cwd=tmp_path), "-report.txt", "./-report.txt")
    assert line
    normal_audit(run("audit", "--no-config", "--", "-report.txt", cwd=tmp_path))


def test_a_missing_argument_is_one_line():
    one_line_error(run("audit"), "PATHS")


# --- interrupts --------------------------------------------------------------------------


def _folder_of_reports(tmp_path, n: int = 400) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    data = SAMPLE.read_bytes()
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_bytes(data + f"\n第{i}份。\n".encode("utf-8"))
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupting_a_batch_stops_the_workers_and_leaves_no_file(sig, status, tmp_path):
    folder = _folder_of_reports(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "x.html"
    before = digest(folder.iterdir())
    proc = subprocess.Popen([sys.executable, "-m", "checker", "audit", folder, "-o", out, "-f", "html", "--no-config",
                             "--jobs", "2"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    time.sleep(2.5)  # well into the batch (400 reports, ~10 s on two cores)
    if proc.poll() is not None:
        pytest.skip("the batch ended before the signal could be sent")
    if sig == signal.SIGINT:  # Ctrl-C goes to the whole foreground process group
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=HANG_GUARD)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = err.decode("utf-8", "replace")
    assert proc.returncode == status, text
    assert "Traceback" not in text
    assert len([line for line in text.splitlines() if line.strip()]) == 1, text
    assert list(out_dir.iterdir()) == []  # neither the output nor a temp file
    assert digest(folder.iterdir()) == before
    for _ in range(30):  # a worker the kernel kills with its parent needs a moment to go
        time.sleep(0.1)
        leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True)
        if leftover.stdout.strip() == b"":
            break
    states = subprocess.run(["ps", "-o", "pid,stat,etime,args", "-g", str(proc.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == b"", f"a worker outlived the batch:\n{states.stdout}"
