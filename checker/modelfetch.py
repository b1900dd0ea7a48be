"""Obtain the pkuseg "default" segmentation model without the internet at run time.

spacy-pkuseg ships no model and its own downloader goes to a host that is closed here.
The pkuseg 0.0.25 source distribution on PyPI carries a trained model in
``pkuseg/models/default`` (features.pkl + weights.npz). This module asks pip for that
sdist (pip reaches PyPI), checks it against a pinned SHA-256, and extracts only the two
model files into a folder outside the repository (by default inside the venv).

The sdist can only be prepared by pip with numpy and Cython installed and
``--no-build-isolation``; the Makefile installs those first.

    python -m checker.modelfetch --dest .venv/share/checker/pkuseg/default
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from checker.pkumap import sha256_of  # one file digest for the sdist and the mapped model

SDIST = "pkuseg==0.0.25"
SDIST_NAME = "pkuseg-0.0.25.tar.gz"
SDIST_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
MEMBERS = {
    "pkuseg-0.0.25/pkuseg/models/default/features.pkl": "features.pkl",
    "pkuseg-0.0.25/pkuseg/models/default/weights.npz": "weights.npz",
}


def download_sdist(cache: Path, capture: bool = False) -> Path:
    """Return the verified sdist, downloading it with pip into ``cache`` if needed."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / SDIST_NAME
    if target.exists() and sha256_of(target) == SDIST_SHA256:
        return target
    cmd = [
        sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
        "--no-deps", "--no-binary", ":all:", "--no-build-isolation", SDIST, "-d", str(cache),
    ]
    subprocess.run(cmd, check=True, capture_output=capture)
    got = sha256_of(target)
    if got != SDIST_SHA256:
        target.unlink(missing_ok=True)
        raise SystemExit(f"modelfetch: {SDIST_NAME} has SHA-256 {got}, expected {SDIST_SHA256}; refusing it")
    return target


def extract(sdist: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist, "r:gz") as tar:
        for member_name, out_name in MEMBERS.items():
            member = tar.getmember(member_name)
            src = tar.extractfile(member)
            if src is None:
                raise SystemExit(f"modelfetch: {member_name} is not a file in {sdist.name}")
            # write to a temp file in dest, then rename: a half-written model is never seen
            fd, tmp = tempfile.mkstemp(dir=dest, prefix=f".{out_name}.")
            with os.fdopen(fd, "wb") as out:
                while block := src.read(1 << 20):
                    out.write(block)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; the model is not a secret
            os.replace(tmp, dest / out_name)


class FetchError(Exception):
    """The model could not be obtained; the message is one line for the user."""


def user_model_dir() -> Path:
    """Where `checker setup` puts the model when the environment's prefix is not writable."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "checker" / "pkuseg" / "default"


def default_dest() -> Path:
    prefix = Path(sys.prefix) / "share" / "checker" / "pkuseg" / "default"
    probe = prefix
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return prefix if os.access(probe, os.W_OK) else user_model_dir()


def _download_with_cython(cache: Path) -> Path:
    """download_sdist, with Cython, wheel and setuptools put on the path for pip's build
    step when this environment lacks them (a plain `pip install checker` has numpy only),
    so the user's environment is left as it was."""
    import importlib.util

    missing = [req for mod, req in (("Cython", "Cython<4"), ("wheel", "wheel"), ("setuptools", "setuptools<81"))
               if importlib.util.find_spec(mod) is None]
    if not missing:
        return download_sdist(cache, capture=True)
    with tempfile.TemporaryDirectory(prefix="checker-build-") as tmp:
        cmd = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--target", tmp, *missing]
        subprocess.run(cmd, check=True, capture_output=True)
        old = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = tmp + (os.pathsep + old if old else "")
        try:
            return download_sdist(cache, capture=True)
        finally:
            if old is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = old


def fetch(dest: Path | None = None, cache: Path | None = None) -> Path:
    """Obtain the model into ``dest`` and its memory-mapped form into dest/mapped
    (checker.pkumap; converted again when its checksums do not match); FetchError with
    one line when it cannot."""
    dest = dest or default_dest()
    if not all((dest / name).is_file() for name in MEMBERS.values()):
        _fetch_originals(dest, cache)
    from checker import pkumap

    if pkumap.ensure(dest, full=True) is None:
        raise FetchError(f"无法把分词模型转换为内存映射格式（{pkumap.mapped_dir(dest)}）：请检查磁盘空间和写权限")
    return dest


def _fetch_originals(dest: Path, cache: Path | None) -> None:
    try:
        with tempfile.TemporaryDirectory(prefix="checker-model-") as tmp:
            sdist = _download_with_cython(cache or Path(tmp))
            extract(sdist, dest)
    except subprocess.CalledProcessError as exc:
        detail = [ln for ln in (exc.stderr or b"").decode("utf-8", "replace").splitlines() if ln.strip()
                  and not ln.startswith("WARNING")]
        if detail:
            print(f"pip: {detail[-1].strip()}", file=sys.stderr)
        raise FetchError(
            f"无法从 PyPI 下载 {SDIST}（pip 失败：请检查网络或 pip 的镜像设置，或设置 CHECKER_PKUSEG_MODEL "
            f"指向含 features.pkl 和 weights.npz 的目录）"
        ) from None
    except SystemExit as exc:  # checksum / archive problems from download_sdist and extract
        raise FetchError(str(exc.code)) from None
    except (OSError, tarfile.TarError, KeyError) as exc:
        raise FetchError(f"无法写入分词模型到 {dest}：{getattr(exc, 'strerror', None) or exc}") from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dest", required=True, help="folder that will hold features.pkl and weights.npz")
    ap.add_argument("--cache", default=".cache/pkuseg", help="where the sdist is kept between runs")
    args = ap.parse_args(argv)
    dest = Path(args.dest)
    try:
        fetch(dest, Path(args.cache))
    except FetchError as exc:
        print(f"modelfetch: {exc}", file=sys.stderr)
        return 2
    print(f"modelfetch: pkuseg default model in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
