"""Copying: --previous, both years of one body in a batch, paragraphs shared by bodies."""
from __future__ import annotations

import json
import re
import shutil

from typer.testing import CliRunner

from checker.cli import app
from checker.lint import copies
from conftest import CORPUS

runner = CliRunner()
LINT = CORPUS / "lint"


def invoke(*args):
    return runner.invoke(app, [*map(str, args), "--no-config"])


def test_a_report_carried_over_from_last_year_with_new_figures(tmp_path):
    this = (LINT / "county-2023-form-clean.txt").read_text(encoding="utf-8")
    last = re.sub(r"\d+", "7", this)  # last year's report: same paragraphs, other figures
    pairs, share = copies.carried_over(this, last)
    assert pairs and share > 0.9
    other = (CORPUS / "sample-county-2023.txt").read_text(encoding="utf-8")
    pairs, share = copies.carried_over(this, other)
    assert not pairs and share == 0


def test_a_carried_paragraph_cites_last_years_closest_paragraph_and_of_equals_the_first():
    """Last year's report holds a paragraph twice with another ending and once as it stands
    this year: the finding cites the one it repeats word for word; of two equal ones, the
    first."""
    this = (LINT / "county-2023-form-clean.txt").read_text(encoding="utf-8").splitlines()
    para = max(this, key=len)  # one long paragraph of this year's report
    near = para[:-12] + "另有若干处不同的文字。"  # the same paragraph, its end rewritten
    for last, want in (([near, "（过渡段落。）", para, "（另一段。）", near], 2),
                       ([para, "（过渡段落。）", near, "（另一段。）", para], 0)):
        pairs, _share = copies.carried_over(para, "\n".join(last))
        assert len(pairs) == 1
        assert pairs[0][1].key[1] == want, (want, pairs[0][1].key)


def test_previous_option_lists_carried_paragraphs(tmp_path):
    prev = tmp_path / "last.txt"
    prev.write_text(re.sub(r"2023", "2022", (LINT / "county-2023-form-clean.txt").read_text(encoding="utf-8")),
                    encoding="utf-8")
    out = invoke("audit", LINT / "county-2023-form-clean.txt", "--previous", prev, "--format", "json")
    found = [f for f in json.loads(out.stdout)["findings"] if f["check"] == "copy-previous"]
    assert found and found[0]["related"][0]["share"] > 0.5
    assert invoke("audit", LINT / "county-2023-form-clean.txt", "--previous", tmp_path / "none.txt").exit_code == 2


def test_a_batch_finds_paragraphs_shared_by_two_bodies(tmp_path):
    a = (LINT / "county-2023-form-clean.txt").read_text(encoding="utf-8")
    shared = a.splitlines()[5]  # one long body paragraph
    b = (CORPUS / "sample-county-2023.txt").read_text(encoding="utf-8").splitlines()
    b.insert(len(b) // 2, shared)
    (tmp_path / "a.txt").write_text(a, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(b) + "\n", encoding="utf-8")
    out = invoke("audit", tmp_path, "--format", "jsonl")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len({r["body"] for r in rows}) == 2
    for row in rows:
        found = [f for f in row["findings"] if f["check"] == "copy-batch"]
        assert len(found) == 1 and found[0]["text"] == shared.strip()
        assert found[0]["related"][0]["file"] != row["file"]
    quiet = invoke("audit", tmp_path, "--format", "jsonl", "--ignore", "copy-batch")
    assert all(not [f for f in json.loads(line)["findings"] if f["check"] == "copy-batch"]
               for line in quiet.stdout.splitlines())


def test_both_years_of_one_body_in_a_batch(tmp_path):
    this = (LINT / "county-2023-form-clean.txt").read_text(encoding="utf-8")
    last = this.replace("2024", "2099").replace("2023", "2022").replace("2099", "2023")
    (tmp_path / "2023.txt").write_text(this, encoding="utf-8")
    (tmp_path / "2022.txt").write_text(last, encoding="utf-8")
    rows = {json.loads(line)["year"]: json.loads(line)
            for line in invoke("audit", tmp_path, "--format", "jsonl").stdout.splitlines()}
    assert rows[2023]["body"] == rows[2022]["body"]
    carried = [f for f in rows[2023]["findings"] if f["check"] == "copy-previous"]
    assert carried and carried[0]["related"][0]["file"].endswith("2022.txt")
    assert not [f for f in rows[2022]["findings"] if f["check"] == "copy-previous"]  # no report on 2021
    assert not [f for r in rows.values() for f in r["findings"] if f["check"] == "copy-batch"]  # one body


def test_the_lsh_uses_the_bands_and_rows_datasketch_would_choose():
    """LSH_PARAMS stand for datasketch's own choice for THRESHOLD and NUM_PERM, so the
    index finds the same candidates as one that works them out each time."""
    from datasketch.lsh import _optimal_param

    assert copies.LSH_PARAMS == _optimal_param(copies.THRESHOLD, copies.NUM_PERM, 0.5, 0.5)


def test_copy_detection_loads_without_scipy_integrate():
    import subprocess
    import sys

    code = ("import sys; from checker.lint import copies; "
            "p = copies.paragraphs('甲' * 80 + '\\n' + '乙' * 80); copies.Index(p); "
            "print('scipy.integrate' in sys.modules or 'datasketch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_signatures_equal_datasketch_minhashes_and_the_bands_find_what_its_lsh_finds():
    """copies._values permutes every 5-gram of a report in one numpy operation, without
    datasketch; its values must be datasketch's MinHash.bulk values (and a worker's sketch
    their bands), and the band tables of copies.Batch must return the candidates
    datasketch's MinHashLSH returns."""
    import random

    import numpy as np

    import zlib

    import datasketch as ds
    rng = random.Random(7)
    words = ["依法行政", "法治政府", "行政执法", "公平竞争审查", "法律顾问", "复议", "2023年", "规范性文件"]
    lines = ["，".join(rng.choice(words) for _ in range(rng.randint(12, 30))) + "。" for _ in range(40)]
    lines += [lines[3][:-3] + "有所调整。", lines[5].replace("复议", "诉讼")]  # near copies
    text = "\n".join(lines)
    paras = copies.paragraphs(text)
    mine = copies._values(paras)
    assert copies.sketch(text) == ([(p.key[1], p.start, p.end) for p in paras], copies.bands(mine))
    theirs = ds.MinHash.bulk([{p.norm[i:i + 5].encode("utf-8") for i in range(len(p.norm) - 4)} for p in paras],
                             num_perm=copies.NUM_PERM, hashfunc=zlib.crc32)
    assert np.array_equal(mine, np.stack([m.hashvalues for m in theirs]))

    lsh = ds.MinHashLSH(threshold=copies.THRESHOLD, num_perm=copies.NUM_PERM, params=copies.LSH_PARAMS)
    for p, m in zip(paras, theirs):
        lsh.insert(p.key, m)
    index = copies.Index(paras)  # the band tables copies.Batch uses too
    for p, m in zip(paras, theirs):
        assert index.lsh.query(index.keys[p.key]) == set(lsh.query(m))
    assert any(len(index.lsh.query(keys)) > 1 for keys in index.keys.values())


def test_a_lone_surrogate_in_a_shared_paragraph_does_not_stop_the_copy_check():
    """Text that cannot be encoded as UTF-8 (a lone surrogate) is still compared: the
    paragraph two bodies share is found, from the texts and from workers' sketches."""
    from checker.lint import copies

    para = "我县深入推进法治政府建设，全面落实行政执法三项制度，\ud800严格规范公正文明执法，执法质量持续提升，群众满意度明显提高。"
    a = "甲县人民政府2023年法治政府建设情况报告\n" + para + "\n"
    b = "乙县人民政府2023年法治政府建设情况报告\n" + para + "\n"
    for made in (False, True):
        batch = copies.Batch()
        for key, (text, owner) in enumerate([(a, "甲县"), (b, "乙县")]):
            batch.add(key, text, owner, copies.sketch(text) if made else None)
        shared = batch.shared()
        assert set(shared) == {0, 1} and shared[0][0][0].text == para
