"""checker.limits, the bounds every reader and writer uses (the format readers too)."""
from __future__ import annotations

import io
import os
import zipfile

import pytest

from checker import limits
from checker.errors import InputError


def test_read_bounded_reads_a_regular_file_and_refuses_one_too_big(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"x" * 100)
    assert limits.read_bounded(p, 100) == b"x" * 100
    with pytest.raises(InputError, match="过大"):
        limits.read_bounded(p, 99)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="管道"):
        limits.read_bounded(fifo)  # would block for ever if it were opened


def test_missing_loop_and_nul_are_one_line(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for path, word in ((tmp_path / "none", "不存在"), (loop, "符号链接"), ("a\0b", "空字符")):
        with pytest.raises(InputError, match=word) as exc:
            limits.check_regular_file(path)
        assert "\n" not in str(exc.value)


def test_read_text_bounded_wants_utf8(tmp_path):
    p = tmp_path / "s.toml"
    p.write_bytes("a = 'é'\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        limits.read_text_bounded(p)
    p.write_bytes("\ufeffa = 'é'\n".encode("utf-8"))
    assert limits.read_text_bounded(p) == "a = 'é'\n"


def _zip(members: dict[str, bytes]) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_check_zip_refuses_bombs_from_the_directory():
    limits.check_zip(_zip({"word/document.xml": "法治政府建设。".encode() * 2000}))  # an ordinary member
    with pytest.raises(InputError, match="压缩比"):
        limits.check_zip(_zip({"word/document.xml": b"\0" * (8 << 20)}))
    with pytest.raises(InputError, match="过大"):
        limits.check_zip(_zip({"a": os.urandom(1 << 16), "b": os.urandom(1 << 16)}), max_total=1 << 16)
    with pytest.raises(InputError, match="过多"):
        limits.check_zip(_zip({f"m{i}": b"" for i in range(11)}), max_members=10)


def test_check_output_refuses_links_fifos_devices_and_what_was_read(tmp_path):
    limits.check_output(tmp_path / "new.json")  # a new file is fine
    existing = tmp_path / "old.json"
    existing.write_text("{}")
    limits.check_output(existing, protected=[tmp_path / "other.txt"])  # nobody reads it
    with pytest.raises(InputError, match="拒绝覆盖"):
        limits.check_output(existing, protected=[existing])
    hard = tmp_path / "hard.json"
    os.link(existing, hard)
    with pytest.raises(InputError, match="拒绝覆盖"):
        limits.check_output(hard, protected=[existing])  # the same file by another name
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    with pytest.raises(InputError, match="符号链接"):
        limits.check_output(link)
    if os.path.exists("/dev/null"):
        with pytest.raises(InputError, match="设备"):
            limits.check_output("/dev/null")


def test_inert_shows_controls_bidi_and_undecodable_bytes():
    assert limits.inert("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert limits.inert("x\u202ey") == "x\\u202ey"
    assert limits.inert(os.fsdecode(b"bad\xff")) == "bad\\xff"
    assert limits.inert("行一\n\t行二") == "行一\n\t行二"
    assert limits.inert("行一\n行二", keep_newlines=False) == "行一\\n行二"


def test_time_limit_stops_a_backtracking_regex():
    import re

    with pytest.raises(limits.TimeLimit):
        with limits.time_limit(0.5, "超时"):
            re.search(r"(a+)+$", "a" * 40 + "!")
