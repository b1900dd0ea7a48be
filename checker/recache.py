"""Compiled regular expressions kept across runs.

Python compiles a pattern in two steps: its parser and compiler (pure Python, and slow for
the long alternations of Chinese phrases the rules are made of: most of a cold audit's CPU
went there, every run) turn the pattern into a program of integer opcodes, and ``_sre``
turns that program into a pattern object (fast, in C). :func:`compile` keeps the programs
in one file in the user cache folder (checker/cache.py's) and, when a pattern's program is
there, only runs the second step. The program is re's own, with one addition where re's
compiler leaves it out — the set of characters a match can start with (see ``_program``) —
so the same matches as ``re.compile`` (tests/test_speedups_cold.py compares them on corpus/,
the seeds, and generated patterns and texts), found faster.

- Key: the file's name is a digest of FORMAT, the Python version and ``_sre``'s MAGIC and CODESIZE
  (another Python has its own file); inside, each program is stored under its pattern
  text and flags; the file carries a digest of its contents.
- Safe: a missing, unreadable, corrupt or foreign file, or a program ``_sre`` rejects, only
  means the pattern is compiled by ``re.compile``. New programs are written once, when the
  process ends, atomically (temp + rename); an unwritable folder only means no file.
- Off: ``CHECKER_CACHE=0`` (as the registry cache): no program is read or written; patterns
  are still compiled here (with their first-character set, below).

The same file keeps the code of the methods ``@dataclass`` writes for the package's own classes
(:func:`keep_dataclass_code`): dataclasses makes each class's ``__init__``, ``__repr__``,
``__eq__``… as source text and compiles it with ``exec`` — about a hundred small compilations,
~15 ms of a cold audit for the package's two dozen classes, every run. One source text always
compiles to the same code, so the code is kept under ``("<dataclass>", source)`` and ``exec``
runs it without compiling (two classes of the same shape share one code object).
"""
from __future__ import annotations

import builtins
import os
import re
import sys
from array import array
from types import CodeType

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python implementation
    _sre = None

FORMAT = 3  # 2: programs carry the first-character set re leaves out (_program); 3: none for
# a group with a class type of its own (2 gave (?u:\w) in an ASCII pattern an ASCII set)
LIMIT = 1_000  # programs kept in the file; beyond this, only the ones this process used (an edited
# rule leaves its old alternations behind: the file stays small enough to read in a few ms)

_table: dict | None = None  # (pattern, flags) -> (flags, code bytes, groups, groupindex, indexgroup)
_new: dict = {}
_used: set = set()
_made: dict = {}  # (pattern, flags) -> the pattern object made in this process
_state: dict = {"able": None, "registered": False, "path": None}


def _able() -> bool:
    """CPython's _sre, whose programs this module writes."""
    if _state["able"] is None:
        _state["able"] = (_sre is not None and sys.implementation.name == "cpython"
                          and array("I").itemsize == getattr(_sre, "CODESIZE", 0))
    return _state["able"]


def _enabled() -> bool:
    return _able() and os.environ.get("CHECKER_CACHE", "1") != "0"  # as checker.cache.enabled()


def _header() -> str:
    return f"checker-re|{FORMAT}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{sys.maxunicode}"


def _path():
    import hashlib

    from checker import cache

    return cache.cache_dir() / f"re-{hashlib.sha256(_header().encode()).hexdigest()[:16]}.marshal"


def _load() -> dict:
    global _table
    _table = {}
    try:
        import hashlib
        import marshal

        _state["path"] = _path()  # written back where it was read from
        data = _state["path"].read_bytes()
        digest, payload = data[:32], data[32:]
        if hashlib.sha256(payload).digest() != digest:
            return _table
        header, entries = marshal.loads(payload)
        if header == _header() and isinstance(entries, dict):
            _table = entries
    except Exception:  # missing, unreadable, corrupt: compile afresh
        pass
    return _table


def compile(pattern, flags=0) -> re.Pattern:  # noqa: A001 - the same name as re.compile
    """``re.compile(pattern, flags)``, from the stored program when there is one."""
    try:
        return _made[pattern, flags]  # made before in this process (as re's own cache does)
    except (KeyError, TypeError):
        pass
    if isinstance(flags, re.RegexFlag):
        flags = flags.value
    if type(pattern) is not str or type(flags) is not int or flags & (re.DEBUG | re.TEMPLATE) or not _able():
        return re.compile(pattern, flags)
    key = (pattern, flags)
    compiled = _compile(key, pattern, flags, keep=_enabled())
    if len(_made) < 2000:
        _made[key] = compiled
    return compiled


def _compile(key, pattern: str, flags: int, keep: bool = True) -> re.Pattern:
    """The pattern from its kept program, or compiled (``_program``) and kept; with ``keep``
    false (CHECKER_CACHE=0) compiled alone, nothing read or written."""
    table = (_table if _table is not None else _load()) if keep else {}
    entry = table.get(key)
    if entry is not None:
        try:
            all_flags, code, groups, groupindex, indexgroup = entry
            compiled = _sre.compile(pattern, all_flags, array("I", code).tolist(), groups,
                                    dict(groupindex), tuple(indexgroup))
            _used.add(key)
            return compiled
        except Exception:  # a program _sre rejects: compile it again
            table.pop(key, None)
    try:
        parsed = _parser.parse(pattern, flags)
        code = _program(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        args = (flags | parsed.state.flags, [int(op) for op in code], parsed.state.groups - 1,
                groupindex, tuple(indexgroup))
        compiled = _sre.compile(pattern, *args)
    except Exception:  # a bad pattern: re.compile raises its own error
        return re.compile(pattern, flags)
    if not keep:
        return compiled
    try:
        _new[key] = (args[0], array("I", args[1]).tobytes(), *args[2:])
    except Exception:  # pragma: no cover - an opcode that does not fit: not stored
        return compiled
    _register()
    return compiled


# --- where a match can start -----------------------------------------------------------------
# re's search skips quickly to the places a match can start only when its compiler sees the
# first character of every match in the pattern's first item: a literal, a class, or an
# alternation whose branches all open with a literal. A pattern opening with an assertion
# (``(?<!乡)镇党委|…``), an optional group (``(及时|先后)?(修订|…)``) or a repeat
# (``\d+(\.\d+)?个|…``) gets no such set, and each search tries every branch at every
# character of the text: ~12 × slower on a 2,000-character report for the lexicon's
# self-reference alternations. ``_first_chars`` finds the set through zero-width assertions,
# optional items and repeats, and ``_program`` puts it in the program's info block as re's
# compiler would have (the same block, SRE_INFO_CHARSET): a match can only start at a
# character of the set, so the search finds the same matches (tests/test_speedups_cold.py
# compares them with re.compile's on real text, and on generated patterns and texts).


def _first_chars(items):
    """(charset items, may be empty) of a parsed sequence: the characters its first consumed
    character can be, and whether the sequence can match the empty string; None when that is
    not a small known set (a negated class, any character, a backreference, a case-folding
    flag …)."""
    c = _compiler
    first: list = []
    for op, av in items:
        if op is c.LITERAL:
            return [*first, (op, av)], False
        if op is c.IN:
            if any(o not in (c.LITERAL, c.RANGE, c.CATEGORY) for o, _ in av):
                return None  # NEGATE, or what _compile_charset would not take as it is
            return [*first, *av], False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: consumes nothing, the next item opens the match
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_LOCALE | c.SRE_FLAG_ASCII | c.SRE_FLAG_UNICODE):
                # case folding, or a class type of its own ((?u:\w) in an ASCII pattern): the
                # set is compiled with the pattern's flags and would say something else
                return None
            got = _first_chars(sub)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            got = _first_chars(av)
        elif op is c.BRANCH:
            chars, empty = [], False
            for alt in av[1]:
                one = _first_chars(alt)
                if one is None:
                    return None
                chars += one[0]
                empty = empty or one[1]
            got = chars, empty
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
            lo, _hi, sub = av
            one = _first_chars(sub)
            got = None if one is None else (one[0], one[1] or lo == 0)
        else:
            return None  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS, …
        if got is None:
            return None
        first += got[0]
        if not got[1]:
            return first, False
    return first, True


def _program(parsed, flags: int) -> list[int]:
    """re's program for a parsed pattern (``_compiler._code``), with the set of characters a
    match can start with in its info block where re's compiler found none."""
    c = _compiler
    code = c._code(parsed, flags)
    all_flags = parsed.state.flags | flags
    if code[0] != c.INFO or code[2] & (c.SRE_INFO_PREFIX | c.SRE_INFO_CHARSET) or code[3] == 0 \
            or all_flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_LOCALE):
        return code  # re found a prefix or a set, or a match may be empty or case-folded
    got = _first_chars(parsed.data)
    if got is None or got[1] or not got[0]:
        return code
    charset, hascased = c._optimize_charset(got[0])
    if hascased:  # pragma: no cover - only with a case-folding flag, excluded above
        return code
    info = [c.INFO, 0, c.SRE_INFO_CHARSET, code[3], code[4]]
    c._compile_charset(charset, all_flags, info)
    info[1] = len(info) - 1
    return info + code[code[1] + 1:]


def _register() -> None:
    """What this process compiled is written when it ends (save)."""
    if not _state["registered"]:
        import atexit

        atexit.register(save)
        _state["registered"] = True


def save() -> None:
    """Write the programs compiled by this process (once, at exit; atomic)."""
    if not _new:
        return
    try:
        import hashlib
        import marshal

        from checker import cache

        entries = dict(_table or {})
        if len(entries) + len(_new) > LIMIT:
            entries = {k: v for k, v in entries.items() if k in _used}
        entries.update(_new)
        payload = marshal.dumps((_header(), entries))
        path = _state["path"] or _path()
        cache.write_file(path, lambda fh: fh.write(hashlib.sha256(payload).digest() + payload))
        _new.clear()
    except Exception:  # read-only home, full disk: no file, nothing else changes
        pass


def reset() -> None:
    """Forget what was read and compiled (the next compile reads the file again)."""
    global _table
    _table = None
    _new.clear()
    _used.clear()
    _made.clear()
    _state["path"] = None


def reduce(pattern: re.Pattern):
    """For a pickler's dispatch table: a pattern is rebuilt through :func:`compile`."""
    flags = pattern.flags
    if isinstance(pattern.pattern, str):
        flags &= ~re.UNICODE  # implied for str patterns: the key compile() was called with
    return compile, (pattern.pattern, flags)


# --- the methods @dataclass writes ------------------------------------------------------------

_CODE = "<dataclass>"  # the first item of a kept code object's key: no pattern's flags are a str


def _exec(source, globals=None, locals=None, /):
    """``exec`` as dataclasses calls it: for a class of this package, the kept code of
    ``source`` when there is some (compile(source) makes the same code every time:
    tests/test_speedups_cold.py checks); anything else is compiled as dataclasses' own exec
    would, so other code's classes neither grow the file nor stay in memory."""
    if globals is None:  # exec's defaults, the caller's namespaces (dataclasses always passes its own)
        frame = sys._getframe(1)
        globals = frame.f_globals
        if locals is None:
            locals = frame.f_locals
    if type(source) is not str:
        return builtins.exec(source, globals, locals)
    if not _enabled() or str(globals.get("__name__", "")).split(".")[0] != "checker":
        # not with this module's __future__ import: dataclasses has none
        return builtins.exec(builtins.compile(source, "<string>", "exec", dont_inherit=True), globals, locals)
    key = (_CODE, source)
    table = _table if _table is not None else _load()
    code = table.get(key)
    if type(code) is CodeType:
        _used.add(key)
    else:
        code = _new.get(key)
        if code is None:
            code = _new[key] = builtins.compile(source, "<string>", "exec", dont_inherit=True)
            _register()
    return builtins.exec(code, globals, locals)


def keep_dataclass_code() -> None:
    """Let ``@dataclass`` run kept code instead of compiling (checker/__init__.py calls this
    before any of the package's classes is made). Its module's own name ``exec`` shadows the
    builtin for dataclasses alone; a Python whose dataclasses does not call ``exec`` by that
    name only never reads the kept code."""
    import dataclasses

    if _sre is not None and getattr(dataclasses, "exec", None) is None:
        dataclasses.exec = _exec


# --- re's module functions, for constant patterns -------------------------------------------
# ``re.search(PATTERN, s)`` compiles PATTERN on its first call in a process (re keeps it in its
# own cache after that). For a pattern written in the code these do the same through
# :func:`compile`, so that the first call of a run finds the program kept. Only for patterns
# that do not vary with the text: a pattern made from a report's words would be a new entry
# of the file every run.


def match(pattern, string, flags=0):
    return compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)
