"""Work kept across runs: the validated rule registry (with its prefilter table) and the
verified form checks, pickled in the user's cache folder under the registry's checksum.

- Where: ``CHECKER_CACHE_DIR`` if set, else the platform's user cache folder
  (``%LOCALAPPDATA%\\checker\\Cache`` on Windows, ``~/Library/Caches/checker`` on macOS,
  ``$XDG_CACHE_HOME/checker`` or ``~/.cache/checker`` elsewhere) — never beside a report.
- Key: a digest of every rule, profile and check file, the checker's own code, the rules
  folder's path and the Python, pydantic and pyahocorasick versions; any change to a rule
  file is a new key (old entries are removed when a new one is written).
- Safe: an unwritable or missing folder, or an unreadable or stale entry, only means the
  registry is loaded and checked again; entries are written atomically (temp + rename).
- Off: ``CHECKER_CACHE=0`` (used by the test that compares verdicts with and without it).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

FORMAT = 1  # bump when what is stored changes shape
KEEP = 8  # entries of each kind kept


def enabled() -> bool:
    return os.environ.get("CHECKER_CACHE", "1") != "0"


def cache_dir() -> Path:
    env = os.environ.get("CHECKER_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "checker" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "checker"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "checker"


_DIGESTS: dict[str, str] = {}  # files' sizes and times -> their contents' digest, this process


def checksum(root: Path) -> str:
    """What the cached work depends on: the rule files, the code, the versions (looked at
    each time: a long-lived process sees a rule file edited under it). The digest is of the
    files' contents; it is remembered under their sizes and modification times (in this
    process and in the cache folder), so a run whose files are as before reads no file."""
    head = f"{FORMAT}|{sys.version}|{_file_version('pydantic')}|{_aho_version()}|{root.resolve()}"
    code = Path(__file__).resolve().parent
    names = _files(str(root), ".yaml") + _files(str(code), ".py")
    sig = hashlib.sha256(head.encode())
    for name in names:
        try:
            st = os.stat(name)
            sig.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            sig.update(b"?\0")
    key = sig.hexdigest()[:32]
    got = _DIGESTS.get(key)
    if got is not None:
        return got
    name = f"digest-{key}.pickle"
    got = _load(name) if enabled() else None
    if isinstance(got, str) and len(got) == 32:
        _DIGESTS[key] = got
        return got
    h = hashlib.sha256()
    h.update(head.encode())
    for path in map(Path, names):
        try:
            h.update(str(path.relative_to(root if root in path.parents else code)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
        except (OSError, ValueError):
            h.update(b"?\0")
    digest = h.hexdigest()[:32]
    _DIGESTS[key] = digest
    if enabled():
        _store(name, digest, "digest-")
    return digest


def _files(top: str, suffix: str) -> list[str]:
    """The files (and links to files) under ``top`` whose names end with ``suffix``, in the
    order of ``sorted(Path(top).rglob("*" + suffix))`` (by path parts, directory links not
    followed; a directory so named, which rglob also yields, is left out), as strings: os.walk
    and str sorting instead of Path objects, a few ms less of each cold run."""
    found = [os.path.join(folder, name) for folder, _, files in os.walk(top)
             for name in files if os.path.normcase(name).endswith(suffix)]  # Windows: any case, as glob
    return sorted(found, key=lambda name: os.path.normcase(name).split(os.sep))


def _file_version(package: str) -> str:
    """An installed package's version as its version file's size and time, found without
    importing it (a registry from the cache needs no pydantic)."""
    try:
        import importlib.util

        spec = importlib.util.find_spec(package)
        return _stamp(Path(spec.origin).parent / "version.py")
    except Exception:
        return "?"


def _aho_version() -> str:
    """The installed pyahocorasick (its automaton is pickled): its library file's size and
    time (importlib.metadata would cost more than the whole cache saves)."""
    try:
        import ahocorasick

        return _stamp(ahocorasick.__file__)
    except Exception:
        return "?"


def _stamp(path) -> str:
    """A file's size and modification time: what an installed version changes."""
    st = os.stat(path)
    return f"{st.st_size}-{st.st_mtime_ns}"


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _load(name: str):
    try:
        with open(cache_dir() / name, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, unreadable, written by another version: load afresh
        return None


def data_entry(path: Path, kind: str, version: int) -> tuple[str, str] | None:
    """(key, entry name) under which a value made from the data file ``path`` is kept: the
    file's resolved path, size and time (an edit changes them), and the shape ``version`` of
    what is kept. None when the cache is off or the file cannot be looked at."""
    if not enabled():
        return None
    try:
        st = path.stat()
        key = f"{kind}|{version}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        return None
    return key, f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:24]}.pickle"


def load_data(entry: tuple[str, str] | None):
    """The value kept under ``entry`` (data_entry), or None when there is none for that key."""
    if entry is None:
        return None
    got = _load(entry[1])
    return got[1] if isinstance(got, tuple) and len(got) == 2 and got[0] == entry[0] else None


def store_data(entry: tuple[str, str] | None, value) -> None:
    """Keep ``value`` under ``entry`` (data_entry); older entries of the same kind are pruned."""
    if entry is not None:
        _store(entry[1], (entry[0], value), entry[1].split("-", 1)[0] + "-")


def _dispatch() -> dict:
    """Pickling as usual, except that a compiled pattern is rebuilt by checker.recache when it
    is loaded (from its kept program) instead of being compiled again by re."""
    import copyreg
    import re

    from checker import recache

    return {**copyreg.dispatch_table, re.Pattern: recache.reduce}


def write_file(path: Path, write) -> None:
    """A cache file whole or not at all: ``write(fh)`` fills a private temp file in the same
    folder, renamed over ``path``; the temp file is removed on any failure (which is raised)."""
    import tempfile  # here: a run that finds its cache writes none (tempfile is ~4 ms of a cold start)

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _store(name: str, value, prefix: str) -> None:
    folder = cache_dir()
    try:
        def dump(fh) -> None:
            pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = _dispatch()  # patterns load through checker.recache
            pickler.dump(value)

        write_file(folder / name, dump)
        # entries for rule files that changed: the newest few are kept (several checkouts,
        # several rules folders), the others removed
        entries = sorted(folder.glob(prefix + "*.pickle"), key=_mtime, reverse=True)
        for old in entries[KEEP:]:
            if old.name != name:
                try:
                    old.unlink()
                except OSError:
                    pass
    except Exception:  # read-only home, full disk, a value that cannot be pickled: no cache
        pass


def registry(root: str | Path | None, verify: bool):
    """The validated registry (examples run when ``verify``), from the cache when it holds
    one for these files, with the prefilter's table installed for it."""
    from checker import prefilter
    from checker.rules import default_root, load_registry, verify_examples

    path = Path(root) if root else default_root()
    if not enabled():
        reg = load_registry(path)
        if verify:
            verify_examples(reg)
        prefilter.table_for(reg)
        return reg
    digest = checksum(path)
    name = f"registry-{digest}-{'v' if verify else 'n'}.pickle"
    got = _load(name)
    if isinstance(got, tuple) and len(got) == 2:
        reg, table = got
        prefilter.install(reg, table)
        return reg
    reg = load_registry(path)
    if verify:
        verify_examples(reg)  # raises on a failing example: nothing is stored
    table = prefilter.table_for(reg)
    _store(name, (reg, table), "registry-")
    return reg


def checks(root: str | Path, load):
    """The form checks of a rules folder, examples verified by ``load(root)``, cached."""
    path = Path(root)
    if not enabled() or not (path / "profiles").is_dir():
        return load(root)
    name = f"checks-{checksum(path)}.pickle"
    got = _load(name)
    if got is not None:
        return got
    value = load(root)
    _store(name, value, "checks-")
    return value

