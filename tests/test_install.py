"""The checker installs the way Python tools install, and runs on a reviewer's Windows
desktop: rules in the wheel, `checker setup` for the model, no POSIX-only call on the
output path, a GBK console that degrades instead of crashing (simulated here: CI is Linux).

The fresh-venv test downloads the dependencies from PyPI (a minute or two): it runs when
CHECKER_INSTALL_TEST=1 (.ci/run sets it)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import CORPUS, REPO

GOOD = CORPUS / "sample-county-2023.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)],
        check=True, capture_output=True, timeout=600,
    )
    (found,) = out.glob("checker-*.whl")
    return found


def test_the_wheel_ships_the_rules_and_every_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = sorted(p.relative_to(REPO / "rules").as_posix() for p in (REPO / "rules").rglob("*.yaml"))
    assert rules and all(f"checker/rules_data/{r}" in names for r in rules)
    packages = [p.parent.relative_to(REPO).as_posix() for p in (REPO / "checker").rglob("__init__.py")]
    missing = [p for p in packages if f"{p}/__init__.py" not in names]
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_rules_are_found_inside_an_installed_package(tmp_path, monkeypatch):
    """As in site-packages: checker/ with rules_data/ in it and no rules/ beside it."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "checker", site / "checker", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", site / "checker" / "rules_data")
    code = "from checker.rules import default_root, load_registry; r = default_root(); load_registry(r); print(r)"
    env = {k: v for k, v in os.environ.items() if k != "CHECKER_RULES"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**env, "PYTHONPATH": str(site)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == site / "checker" / "rules_data"


def test_a_missing_model_says_to_run_checker_setup(tmp_path):
    from checker import nlp
    from checker.errors import ModelMissing

    with pytest.raises(ModelMissing, match="checker setup"):
        nlp.check_model(tmp_path / "none")


def test_output_is_written_where_os_fchmod_does_not_exist(tmp_path, monkeypatch):
    """Windows has os.fchmod only from Python 3.13."""
    from checker import io

    monkeypatch.delattr(os, "fchmod")
    target = tmp_path / "输出 结果" / "报告 检查.json"
    io.atomic_write(target, "{\"ok\": 1}")
    assert json.loads(target.read_text(encoding="utf-8")) == {"ok": 1}
    assert [p.name for p in target.parent.iterdir()] == ["报告 检查.json"]  # no temp file left


def test_inputs_are_opened_in_binary_mode_where_the_platform_has_one(tmp_path, monkeypatch):
    """Windows' os.open reads in text mode unless O_BINARY is given: a CRLF report and a
    .docx would be mangled. Simulated: O_BINARY defined (as 0x8000, harmless here)."""
    from checker import limits

    seen = []
    real_open = os.open
    monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)
    monkeypatch.setattr(os, "open", lambda path, flags, *a: seen.append(flags) or real_open(path, flags, *a))
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"a\r\nb\x1a")
    assert limits.read_bounded(path, 1000) == b"a\r\nb\x1a"
    assert seen and all(flags & 0x8000 for flags in seen)


@pytest.mark.parametrize("args", [[], ["--details"]])
def test_a_gbk_console_degrades_instead_of_crashing(tmp_path, args):
    """Output redirected under code page 936: ✔ ◐ ░ › have no GBK form."""
    folder = tmp_path / "收到的 报告"
    folder.mkdir()
    shutil.copy(GOOD, folder / "县 报告.txt")
    shutil.copy(CORPUS / "street-2021-plan-only.txt", folder / "街道 报告.txt")
    for target in ([str(folder / "县 报告.txt")], [str(folder)]):
        done = subprocess.run([sys.executable, "-m", "checker", "audit", *target, *args], capture_output=True,
                              env={**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": "120"}, timeout=300)
        assert done.returncode in (0, 1), done.stderr.decode("gbk", "replace")
        out = done.stdout.decode("gbk")  # all of it is valid GBK
        assert "√" in out and "Traceback" not in done.stderr.decode("gbk", "replace")


def test_chinese_paths_with_spaces_in_and_out(tmp_path):
    src = tmp_path / "各县 报告" / "青岚 县 报告.txt"
    src.parent.mkdir()
    shutil.copy(GOOD, src)
    out = tmp_path / "审核 结果" / "汇总 表.json"
    done = subprocess.run([sys.executable, "-m", "checker", "audit", str(src), "-f", "json", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["file"] == str(src) and data["results"]


@pytest.mark.skipif(os.environ.get("CHECKER_INSTALL_TEST") != "1", reason="set CHECKER_INSTALL_TEST=1 (downloads from PyPI)")
def test_fresh_venv_pip_install_wheel_then_setup_then_audit(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHECKER_", "VIRTUAL_ENV", "PYTHONPATH"))}
    run = dict(cwd=tmp_path, env=env, capture_output=True, text=True)
    done = subprocess.run([str(py), "-m", "pip", "install", "-q", "-c", str(REPO / "constraints.txt"), str(wheel)],
                          timeout=1800, **run)
    assert done.returncode == 0, done.stderr[-2000:]
    done = subprocess.run([str(bindir / "checker"), "setup"], timeout=1200, **run)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "分词模型已就绪" in done.stdout and "LibreOffice" in done.stdout and "OCR" in done.stdout
    mapped = venv / "share" / "checker" / "pkuseg" / "default" / "mapped"
    assert (mapped / "manifest.json").is_file()  # converted for memory-mapping at setup
    report = tmp_path / "报告.txt"
    shutil.copy(GOOD, report)
    done = subprocess.run([str(bindir / "checker"), "audit", str(report), "-f", "json"], timeout=600, **run)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    assert {r["id"]: r["status"] for r in data["results"]}["three-systems"] == "covered"
