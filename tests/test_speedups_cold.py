"""The cold-start speed-ups change nothing a user sees: the option values of checker/fastcli.py
are typer's own, and the cached regular-expression programs of checker/recache.py match what
freshly compiled ones match. (With tests/test_speedups.py, which compares full results.) No
timings here: speed is measured by `make bench`."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, SEEDS

import checker.cli  # noqa: F401  (installs the fast path)
from checker import fastcli

# --- option values (checker/fastcli.py) ------------------------------------------------------

VALUES = ["", "x", "报告.txt", "./a/b.docx", "-", "0", "1", "2", "007", "50", "100", "101", "99.5",
          "1e2", "-3", " 3", "abc", "json", "JSON", "terminal", "coverage", "error", "warning",
          "Error", "xlsx", "inf", "nan", "1_0", "12345678901234567890"]


def _params():
    import typer.main

    def walk(command, path):
        for param in command.params:
            if getattr(param, "type_descriptor", None) is not None:
                yield path, command, param
        for name, sub in (getattr(command, "commands", None) or {}).items():
            yield from walk(sub, path + [name])

    return list(walk(typer.main.get_command(checker.cli.app), ["checker"]))


def _outcome(runtime, value, param, ctx):
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
        return ("ok", type(got), got)
    except Exception as exc:  # the error a user sees is built from these
        return ("error", type(exc), str(getattr(exc, "message", exc)), str(exc.__cause__))


def test_the_fast_path_is_installed_and_gives_typers_values_and_errors():
    import typer._click as click_mod
    from typer import core

    fast = core.build_runtime_param
    assert getattr(fast, "_checker_fast", False), "fastcli.install() did not take effect"
    original = fast.original
    checked = fast_used = 0
    for _path, command, param in _params():
        ctx = click_mod.Context(command)
        mine, theirs = fast(param.type_descriptor), original(param.type_descriptor)
        fast_used += type(mine) is not type(theirs)
        multi = param.multiple or param.nargs == -1
        samples = [param.default, None] + ([[v] for v in VALUES] + [tuple(VALUES[:4]), []] if multi else VALUES)
        if param.type_descriptor.annotation is bool:
            samples += [True, False]
        for value in samples:
            assert _outcome(mine, value, param, ctx) == _outcome(theirs, value, param, ctx), (param.name, value)
            checked += 1
    assert fast_used >= 20 and checked > 500


def test_usage_errors_read_the_same_with_and_without_the_fast_path(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("某县2023年法治政府建设年度报告\n一、主要工作\n我县聘请法律顾问。\n", encoding="utf-8")
    audit = ["audit", str(report), "--no-config"]
    cases = [[*audit, "--fail-under", "150"], [*audit, "--jobs", "0"], [*audit, "-f", "pdf"],
             [*audit, "--sort", "x"], [*audit, "--jobs", "abc"], [*audit, "-f", "json", "--fail-under", "99.5", "-q"],
             [*audit, "--waivers", str(tmp_path / "none.yaml")], ["rules", "list", "--severity", "fatal"], ["audit"]]
    for argv in cases:
        runs = []
        for flag in ("1", "0"):
            env = {**os.environ, "CHECKER_FASTCLI": flag}
            proc = subprocess.run([sys.executable, "-m", "checker", *argv], capture_output=True, text=True,
                                  env=env, cwd=tmp_path, timeout=120)
            runs.append((proc.returncode, proc.stdout, proc.stderr))
        assert runs[0] == runs[1], argv
        assert runs[0][0] in (0, 1, 2)


# --- compiled patterns kept across runs (checker/recache.py) --------------------------------


def _rule_patterns() -> list[str]:
    """Every alternation the matcher compiles for the registry, and the structure tables'."""
    from checker import match
    from checker.rules import load_registry
    from checker.structure import headings, lexicon, parts, year

    reg = load_registry()
    found = []
    for rule in reg.all_rules().values():
        for concept in rule.check.concepts.values():
            for obj in (concept, concept.near, concept.not_near):
                pattern = match._alternation(obj.any, obj.regex) if obj is not None else None
                if pattern is not None:
                    found.append(pattern.pattern)
    for module in (lexicon, headings, parts, year):
        stack = list(vars(module).values())
        while stack:
            value = stack.pop()
            if isinstance(value, re.Pattern):
                found.append(value.pattern)
            elif isinstance(value, (list, tuple, dict)):
                stack.extend(value.values() if isinstance(value, dict) else value)
    return sorted(set(found))


def _fresh(monkeypatch, folder: Path):
    from checker import recache

    monkeypatch.setenv("CHECKER_CACHE_DIR", str(folder))
    monkeypatch.setenv("CHECKER_CACHE", "1")
    recache.reset()
    return recache


def test_kept_programs_match_what_fresh_patterns_match_on_real_text(tmp_path, monkeypatch):
    recache = _fresh(monkeypatch, tmp_path)
    patterns = _rule_patterns()
    assert len(patterns) > 150
    first = [recache.compile(p) for p in patterns]  # compiled, then written
    recache.save()
    assert list(tmp_path.glob("re-*.marshal"))
    recache.reset()
    kept = [recache.compile(p) for p in patterns]
    assert not recache._new, "every program was read back"  # nothing compiled again
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in sorted(CORPUS.glob("*.txt"))]
    if SEEDS.is_dir():
        texts += [f.read_text(encoding="utf-8", errors="replace") for f in sorted(SEEDS.glob("*.txt"))]
    matched = with_set = 0
    for pattern, a, b in zip(patterns, first, kept):
        fresh = re.compile(pattern)
        assert a == b  # read back, the same program (Pattern equality compares it)
        # re's own program, or the same with the first-character set in its info block
        parsed = re._parser.parse(pattern)
        ours, theirs = recache._program(parsed, 0), re._compiler._code(parsed, 0)
        assert (a == fresh) == (ours == theirs)
        if ours != theirs:
            with_set += 1
            assert ours[ours[1] + 1:] == theirs[theirs[1] + 1:] and ours[2] == re._constants.SRE_INFO_CHARSET
        assert (b.flags, b.groups, b.groupindex) == (fresh.flags, fresh.groups, fresh.groupindex)
        for text in texts:
            spans = [(m.span(), m.groups()) for m in b.finditer(text)]
            assert spans == [(m.span(), m.groups()) for m in fresh.finditer(text)], pattern
            matched += len(spans)
            assert [m.span() for m in b.finditer(text, 7, len(text) - 7)] == \
                [m.span() for m in fresh.finditer(text, 7, len(text) - 7)], pattern
    assert matched > 1000
    assert with_set > 50  # the rules' patterns do open with optional words, repeats, assertions


# --- the first-character set (recache._program) -------------------------------------------


def test_the_first_characters_are_found_through_assertions_options_and_repeats():
    from checker import recache

    def first(pattern):
        got = recache._first_chars(re._parser.parse(pattern).data)
        return None if got is None else (sorted(chr(av) if op is re._constants.LITERAL else str(av)
                                                for op, av in got[0]), got[1])

    assert first(r"(?<!乡)镇党委|我镇") == (sorted("镇我"), False)
    assert first(r"(及时|先后)?(修订|修改)") == (sorted("及先修"), False)
    assert first(r"\b(?=x)[ab]+c") == (["a", "b"], False)
    assert first(r"(?m)^\s*记者") == (["CATEGORY_SPACE", "记"], False)
    assert first(r"(?<=届)[、，]?(?=中全会)") == (["、", "，"], True)  # may match nothing: no set
    assert first(r"[^a]b") is None and first(r".b") is None and first(r"(a)?\1b") is None
    assert first(r"(?i:a)b") is None
    # a group with a class type of its own: the set would be compiled with the pattern's
    # (found by the reviewer: (?u:\w)+x under re.ASCII skipped "éx")
    assert first(r"(?u:\w)+x") is None and first(r"(?a:\d)x") is None
    for pattern, flags, text in [(r"(?u:\w)+x", re.ASCII, "éx"), (r"(?a)(?:(?u:\s)|b)y", 0, "\u3000y"),
                                 (r"(?a)(?<!q)(?u:[\w])z", 0, "éz")]:
        assert recache.compile(pattern, flags).findall(text) == re.compile(pattern, flags).findall(text) != []
    # re's own analysis already has one: the program is re's
    for pattern in [r"法律顾问|公职律师", r"[一二三]是", r"(?<=届)[、，]?(?=中全会)", r"(?i)(?<!x)ab"]:
        parsed = re._parser.parse(pattern)
        assert recache._program(parsed, 0) == re._compiler._code(parsed, 0), pattern
    # the lexicon's self-references open with lookbehinds: their programs get the set
    from checker.structure import lexicon

    parsed = re._parser.parse(lexicon._SELF_REFS["township"].pattern)
    assert recache._program(parsed, 0)[2] == re._constants.SRE_INFO_CHARSET
    assert re._compiler._code(parsed, 0)[2] == 0


def _compiled_with_set(pattern: str):
    import _sre

    from checker import recache

    parsed = re._parser.parse(pattern)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return _sre.compile(pattern, parsed.state.flags, recache._program(parsed, 0), parsed.state.groups - 1,
                        groupindex, tuple(indexgroup))


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ATOMS = ["a", "b", "é", "乡", "镇", "[ab]", "[乡镇]", r"\d", r"\s", r"\w", ".", r"(?a:\w)", r"(?u:\w)", r"(?s:.)"]
_ZERO = ["(?<!a)", "(?<=b)", "(?<![乡a])", "(?!a)", "(?=镇)", r"\b", "^", "$"]


@st.composite
def _patterns(draw, depth=0):
    items = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["atom", "atom", "zero", "repeat", "group", "branch"] if depth < 2 else ["atom", "zero"]))
        if kind == "atom":
            items.append(draw(st.sampled_from(_ATOMS)))
        elif kind == "zero":
            items.append(draw(st.sampled_from(_ZERO)))
        elif kind == "repeat":
            items.append(f"(?:{draw(_patterns(depth + 1))}){draw(st.sampled_from(['?', '*', '+', '{1,3}', '{0,2}', '??', '+?']))}")
        elif kind == "group":
            items.append(f"({draw(_patterns(depth + 1))})")
        else:
            items.append("(?:" + "|".join(draw(st.lists(_patterns(depth + 1), min_size=2, max_size=3))) + ")")
    return "".join(items)


@settings(max_examples=400, deadline=None)
@given(st.lists(_patterns(), min_size=1, max_size=3).map("|".join), st.text(alphabet="abé乡镇 1\n\u3000", max_size=40),
       st.integers(0, 5), st.sampled_from(["", "(?a)", "(?m)", "(?s)"]))
def test_a_program_with_the_first_character_set_finds_what_re_finds(pattern, text, pos, flags):
    """Generated patterns (assertions, optional and repeated groups, alternations, groups with
    flags of their own, under ASCII, MULTILINE or DOTALL) over generated texts: the same
    matches, groups and positions as re.compile's, from any start."""
    pattern = flags + pattern
    fresh = re.compile(pattern)
    ours = _compiled_with_set(pattern)
    assert [(m.span(), m.groups()) for m in ours.finditer(text, pos)] == [(m.span(), m.groups()) for m in fresh.finditer(text, pos)]
    for start in range(len(text) + 1):
        a, b = ours.search(text, start), fresh.search(text, start)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_a_corrupt_or_foreign_file_falls_back_to_compiling(tmp_path, monkeypatch):
    import hashlib
    import marshal

    pattern = r"(?P<n>[一二三四五六七八九十]+)[、．.]|聘请(?:了)?法律顾问"
    recache = _fresh(monkeypatch, tmp_path)
    recache.compile(pattern)
    recache.save()
    (path,) = tmp_path.glob("re-*.marshal")
    good = path.read_bytes()
    header, entries = marshal.loads(good[32:])
    flags, code, *rest = entries[(pattern, 0)]
    bad_code = bytes(len(code))  # zeros: a program _sre rejects
    foreign = marshal.dumps(("another-python", entries))
    wrong = marshal.dumps((header, {(pattern, 0): (flags, bad_code, *rest)}))
    for content in [b"", b"garbage", good[:-7], good[:40] + b"x" + good[41:],
                    hashlib.sha256(foreign).digest() + foreign, hashlib.sha256(wrong).digest() + wrong,
                    hashlib.sha256(b"\x00").digest() + b"\x00"]:
        path.write_bytes(content)
        recache.reset()
        got = recache.compile(pattern)
        assert got == _compiled_with_set(pattern) and got.search("二、我局聘请了法律顾问").group("n") == "二"
    path.unlink()
    path.mkdir()  # the file's place is taken: nothing is written, nothing fails
    recache.reset()
    assert recache.compile(pattern + "|x") == _compiled_with_set(pattern + "|x")
    recache.save()
    # a bad pattern raises re's own error
    with pytest.raises(re.error):
        recache.compile("(unclosed")


def test_checker_cache_0_switches_kept_programs_off(tmp_path, monkeypatch):
    recache = _fresh(monkeypatch, tmp_path)
    monkeypatch.setenv("CHECKER_CACHE", "0")
    assert recache.compile("法律顾问|公职律师") == re.compile("法律顾问|公职律师")
    assert recache.compile(r"(?<!乡)镇党委|我镇") == _compiled_with_set(r"(?<!乡)镇党委|我镇")  # still with its set
    recache.save()
    assert not list(tmp_path.glob("re-*"))


def _audit_json(env: dict, files: list[Path], cwd: Path) -> tuple[int, object]:
    proc = subprocess.run([sys.executable, "-m", "checker", "audit", *map(str, files), "-f", "json", "--no-config",
                           "--jobs", "1"], capture_output=True, text=True, env={**os.environ, **env}, cwd=cwd,
                          timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_verdicts_are_the_same_with_kept_programs_fresh_read_back_and_off(tmp_path):
    files = sorted(CORPUS.glob("*.txt"))
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    folder = tmp_path / "cache"
    off = _audit_json({"CHECKER_CACHE": "0", "CHECKER_FASTCLI": "0"}, files, tmp_path)
    filled = _audit_json({"CHECKER_CACHE_DIR": str(folder)}, files, tmp_path)  # compiles and writes
    assert list(folder.glob("re-*.marshal"))
    read_back = _audit_json({"CHECKER_CACHE_DIR": str(folder)}, files, tmp_path)
    assert off == filled == read_back


# --- the division table kept as columns (checker/structure/gazetteer.py) ---------------------


def _gazetteer_answers(gazetteer, texts: list[str]) -> list:
    from dataclasses import astuple

    out = [[astuple(d) for d in gazetteer.provinces()]]
    for text in texts:
        found = gazetteer.names_in(text[:20000])
        out.append(found)
        out.append(gazetteer.names_in(text[:5000], min_len=3))
        for _, name in found[:40]:
            out.append([gazetteer.known(name), [astuple(d) for d in gazetteer.lookup(name)]])
            d = gazetteer.resolve(name, text)
            out.append(None if d is None else (astuple(d), [astuple(a) for a in gazetteer.ancestors(d)],
                                               gazetteer.place_of(d)))
    return out


def test_the_kept_division_table_answers_as_the_package_table(tmp_path, monkeypatch):
    from checker.structure import gazetteer

    if not gazetteer.available():
        pytest.skip("no division table installed")
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in sorted(CORPUS.glob("*.txt"))]
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(tmp_path))
    answers = []
    try:
        for setting in ("0", "1", "1"):  # the table itself; parsed and kept; read back
            monkeypatch.setenv("CHECKER_CACHE", setting)
            gazetteer._index.cache_clear()
            answers.append(_gazetteer_answers(gazetteer, texts))
        (kept,) = tmp_path.glob("divisions-*.pickle")
        kept.write_bytes(kept.read_bytes()[:1000])  # a damaged copy: the table is read again
        gazetteer._index.cache_clear()
        answers.append(_gazetteer_answers(gazetteer, texts))
    finally:
        gazetteer._index.cache_clear()
    assert answers[0] == answers[1] == answers[2] == answers[3]
    found = [name for part in answers[0][1::1] if isinstance(part, list) for name in part if isinstance(name, tuple)]
    assert len(answers[0][0]) >= 30 and len(found) > 50  # the provinces, and names found in corpus/


def test_the_law_list_is_the_same_parsed_kept_and_read_back(tmp_path, monkeypatch):
    import yaml

    from checker.lint import compare

    monkeypatch.setenv("CHECKER_CACHE_DIR", str(tmp_path))
    got = []
    for setting in ("0", "1", "1"):  # parsed; parsed and kept; read back
        monkeypatch.setenv("CHECKER_CACHE", setting)
        compare.laws.cache_clear()
        got.append(compare.laws(str(compare.LAWS_FILE)))
    compare.laws.cache_clear()
    assert list(tmp_path.glob("laws-*.pickle"))
    plain = yaml.safe_load(compare.LAWS_FILE.read_text(encoding="utf-8"))  # the pure-Python loader
    assert got[0] == got[1] == got[2]
    assert got[0]["full"] == [e["name"] for e in plain["laws"]] and len(got[0]["full"]) > 10
    assert all(got[0]["by_name"][e["name"]] == e for e in plain["laws"])


# --- the registry's plain views (checker/ruleview.py) ----------------------------------------


def test_every_rule_model_has_a_view_with_its_methods_and_defaults():
    from pydantic import BaseModel

    from checker import rulemodels, ruleview

    for name in ("Context", "Concept", "Condition", "Check", "Rule", "Group", "Profile"):
        model, view = getattr(rulemodels, name), ruleview.VIEWS[name]
        own = {k for k, v in vars(model).items() if callable(v) and not k.startswith("_")} - set(dir(BaseModel))
        missing = {k for k in own if not hasattr(view, k)}
        assert not missing, (name, missing)  # a method added to a model needs its view's copy
    made = rulemodels.Condition(any=["a", "b"])
    assert ruleview.freeze(made) == ruleview.Condition.of_any(["a", "b"])
    assert ruleview.Condition.of_any(["a", "b"]).concepts() == made.concepts()


def test_a_loaded_registry_holds_views_equal_in_every_field_to_the_validated_models():
    from checker import ruleview
    from checker.rules import load_registry, load_rule_file

    reg = load_registry()
    assert not any(hasattr(type(r), "__pydantic_fields__") for r in reg.all_rules().values())
    for rid, rule in reg.all_rules().items():
        source = reg.root.parent / reg.sources[rid]
        (model,) = [r for r in load_rule_file(source) if r.id == rid]
        assert ruleview.freeze(model) == rule
        assert model.model_dump() == _plain(rule)
    # frozen, as the models are
    rule = next(iter(reg.all_rules().values()))
    with pytest.raises(AttributeError):
        rule.title = "x"


def _plain(value):
    from checker.ruleview import _View

    if isinstance(value, _View):
        return {k: _plain(v) for k, v in value.__dict__.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _imported_by_a_cached_audit(tmp_path, text: str, args: list[str], modules: tuple[str, ...]):
    """(the second of two `checker audit REPORT *args` processes, those of ``modules`` it
    imported): the first run fills the cache (and may write it with tempfile)."""
    report = tmp_path / "r.txt"
    report.write_text(text, encoding="utf-8")
    code = ("import sys, atexit; atexit.register(lambda: sys.stderr.write("
            f"'\\n' + repr(sorted(m for m in {modules!r} if m in sys.modules))));"
            f"sys.argv = ['checker', 'audit', {str(report)!r}] + {args!r};"
            "from checker.command import main; main()")
    done = _second_run(code, tmp_path)
    return done, done.stderr.strip().splitlines()[-1]


def _second_run(code: str, tmp_path, env: dict | None = None, timeout: int = 300):
    """The second of two ``python -c code`` processes sharing a cache folder (the first fills
    it); its status is a verdict's (0 or 1)."""
    env = {**(os.environ if env is None else env), "CHECKER_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout)
            for _ in range(2)]
    assert runs[1].returncode in (0, 1), runs[1].stderr
    return runs[1]


def test_a_json_audit_from_the_cache_imports_neither_pydantic_nor_yaml_nor_rich(tmp_path):
    _, imported = _imported_by_a_cached_audit(
        tmp_path, "某县2023年法治政府建设年度报告\n一、主要工作\n我县聘请法律顾问。\n",
        ["-f", "json", "--no-config", "-o", str(tmp_path / "o.json")], ("pydantic", "yaml", "rich"))
    assert imported == "[]"


def test_a_json_audit_from_the_cache_imports_only_what_its_path_needs(tmp_path):
    """Not the command-line stack (typer), nor what only other paths need: child processes,
    temp files for writing, the calendar module for one date check, the HTML parser and entities."""
    done, imported = _imported_by_a_cached_audit(
        tmp_path, "某县2023年法治政府建设年度报告\n一、主要工作\n2023年3月1日，县政府主要负责人切实履行推进法治建设"
                  "第一责任人职责。\n我县聘请法律顾问。2月30日召开会议。\n",
        ["-f", "json", "--no-config"], ("typer", "click", "subprocess", "tempfile", "calendar", "shutil", "html", "html.parser"))
    assert '"rule"' in done.stdout or '"id"' in done.stdout
    assert imported == "[]"


def test_a_cached_audit_compiles_none_of_the_package_s_patterns(tmp_path):
    """Every pattern the package writes in its code is compiled through checker.recache (a
    re.search(r"…", s) of its own compiles on its first call of every run: ~10 ms of a cold
    audit were 40 such compilations): a second audit of the seeds and corpus/ compiles none
    of them; what re compiles then is the standard library's (json, glob)."""
    files = [str(f) for f in sorted(CORPUS.glob("*.txt"))[:12]]
    if SEEDS.is_dir():
        files += [str(f) for f in sorted(SEEDS.glob("*.txt"))]
    code = ("import sys, atexit, traceback, re._compiler as c; seen = []; real = c.compile\n"
            "def spy(p, flags=0):\n"
            "    caller = [f for f in traceback.extract_stack()[:-1] if '/re/' not in f.filename.replace('\\\\', '/')][-1]\n"
            "    if '/checker/' in caller.filename.replace('\\\\', '/') and not caller.filename.endswith('recache.py'):\n"
            "        seen.append((caller.filename, caller.lineno, repr(p)[:60]))\n"
            "    return real(p, flags)\n"
            "c.compile = spy\n"
            "atexit.register(lambda: sys.stderr.write('\\n' + repr(seen)))\n"
            f"sys.argv = ['checker', 'audit', *{files!r}, '-f', 'jsonl', '--no-config', '--jobs', '1']\n"
            "from checker.command import main; main()")
    done = _second_run(code, tmp_path, timeout=600)
    assert done.stdout.count("\n") == len(files)
    compiled = done.stderr.strip().splitlines()[-1]
    assert compiled == "[]", compiled


def test_the_cache_key_follows_every_edit_and_is_the_contents_digest(tmp_path, monkeypatch):
    import shutil

    from checker import cache

    root = tmp_path / "rules"
    shutil.copytree(REPO / "rules", root)
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(tmp_path / "cache"))
    first = cache.checksum(root)
    assert cache.checksum(root) == first  # remembered
    path = sorted(root.rglob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("a", "b", 1) if "a" in text else text + " ", encoding="utf-8")
    edited = cache.checksum(root)
    assert edited != first
    cache._DIGESTS.clear()
    shutil.rmtree(tmp_path / "cache")
    assert cache.checksum(root) == edited  # computed again from the contents: the same
    path.write_text(text, encoding="utf-8")
    cache._DIGESTS.clear()
    assert cache.checksum(root) == first  # the contents decide, not the file times


def test_the_files_the_cache_key_covers_are_the_ones_rglob_finds_in_its_order(tmp_path):
    from checker import cache

    for rel in ["a.yaml", "a-b.yaml", "a/b.yaml", "a/c/d.yaml", "a.b/x.yaml", ".hidden.yaml", "Z.yaml",
                "notyaml.txt", "a/yaml", "b/e.py", "b/__pycache__/e.cpython-311.pyc", "dir.yaml/f.yaml"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    try:
        (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed, as rglob
    except OSError:
        pass
    for top, suffix in ((tmp_path, ".yaml"), (tmp_path, ".py"), (REPO / "rules", ".yaml"), (REPO / "checker", ".py")):
        # rglob also yields a directory whose name ends with the suffix (dir.yaml): no file to key on
        assert cache._files(str(top), suffix) == [str(p) for p in sorted(top.rglob("*" + suffix)) if not p.is_dir()]
    assert len(cache._files(str(tmp_path), ".yaml")) == 8


# --- the methods @dataclass writes, kept across runs (checker/recache.py) ---------------------


def test_dataclass_methods_from_kept_code_are_the_code_dataclasses_compiles(tmp_path, monkeypatch):
    import dataclasses

    import checker  # noqa: F401 - installs the kept-code exec
    from checker import model

    recache = _fresh(monkeypatch, tmp_path)
    assert dataclasses.exec is recache._exec

    def make():
        @dataclasses.dataclass(frozen=True)
        class Sample:
            __module__ = "checker.model"  # one of the package's classes (made in its module's namespace)
            a: int
            b: str = "x"
            c: list = dataclasses.field(default_factory=list)
        return Sample

    first = make()  # compiled, then written
    assert any(key[0] == recache._CODE for key in recache._new)
    recache.save()
    recache.reset()
    kept = make()
    assert not recache._new and any(key[0] == recache._CODE for key in recache._used)  # read back
    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)  # dataclasses' own exec
    fresh = make()
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(first, name).__code__ == getattr(kept, name).__code__ == getattr(fresh, name).__code__, name
    assert kept(1) == kept(1, "x", []) and repr(kept(2)).endswith("Sample(a=2, b='x', c=[])")
    with pytest.raises(dataclasses.FrozenInstanceError):
        kept(1).a = 2
    assert kept.__init__.__annotations__ == fresh.__init__.__annotations__  # not made strings by a __future__
    # the package's own classes behave as before: a replace, a default factory, equality
    ev = model.Evidence(paragraph=1, section="一、", start=0, end=3, text="abc")
    assert dataclasses.replace(ev, score=5).score == 5 and ev == model.Evidence(1, "一、", 0, 3, "abc")
    # another module's classes are compiled as dataclasses would and not kept: the file holds
    # the package's code alone, whatever else a process makes
    monkeypatch.setattr(dataclasses, "exec", recache._exec, raising=False)
    recache.reset()
    other = dataclasses.make_dataclass("Other", [("x", int)], namespace={"__module__": __name__})
    assert other(1) == other(1) and not recache._new
    recache._exec(f"assert __name__ == {__name__!r}")  # exec's defaults: the caller's namespaces


def test_a_cached_audit_reads_the_kept_dataclass_code(tmp_path):
    """A second process finds every method of the package's classes in the file it wrote."""
    probe = ("import checker.batch, checker.command, checker.pipeline; from checker import recache; "
             "print(sum(k[0] == recache._CODE for k in recache._new), sum(k[0] == recache._CODE for k in recache._used))")
    env = {**os.environ, "CHECKER_CACHE_DIR": str(tmp_path), "CHECKER_CACHE": "1"}
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=REPO,
                           timeout=120).stdout.split() for _ in range(2)]
    made, _ = map(int, runs[0])
    again, used = map(int, runs[1])
    assert made >= 40 and again == 0 and used == made


def test_checker_cache_0_compiles_dataclass_methods_as_dataclasses_does(tmp_path, monkeypatch):
    import dataclasses

    recache = _fresh(monkeypatch, tmp_path)
    monkeypatch.setenv("CHECKER_CACHE", "0")

    def make():
        @dataclasses.dataclass
        class Plain:
            a: "list[int]"
        return Plain

    mine = make()
    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)  # dataclasses' own exec
    fresh = make()
    assert mine(1) == mine(1) and mine.__init__.__code__ == fresh.__init__.__code__
    assert mine.__init__.__annotations__ == fresh.__init__.__annotations__
    assert not recache._new
    recache.save()
    assert not list(tmp_path.glob("re-*"))


def test_main_leaves_the_garbage_collector_as_it_found_it(tmp_path, monkeypatch, capsys):
    import gc

    from checker import cli

    report = tmp_path / "r.txt"
    report.write_text("某县2023年法治政府建设年度报告\n一、主要工作\n我县聘请法律顾问。\n", encoding="utf-8")
    monkeypatch.setenv("CHECKER_CACHE_DIR", str(tmp_path / "cache"))
    assert gc.isenabled()
    for argv in (["audit", str(report), "-f", "json", "--no-config"], ["audit", str(tmp_path / "none.txt")],
                 ["rules", "list", "-f", "json"]):
        with pytest.raises(SystemExit) as done:
            cli.main(argv)
        assert done.value.code in (0, 1, 2)
        assert gc.isenabled() and gc.get_freeze_count() == 0, argv
    out = capsys.readouterr().out
    assert '"rule"' in out or '"id"' in out


def test_a_batch_into_a_pipe_learns_it_needs_no_bar_without_importing_rich(tmp_path, monkeypatch):
    """The progress bar needs a terminal: with stderr a pipe (and nothing forcing a terminal)
    rich is not imported only to learn that; whenever the quick look says "no terminal",
    rich's own Console.is_terminal says so too."""
    import io

    from rich.console import Console

    from checker.command import _may_be_terminal

    closed = io.StringIO()
    closed.close()
    for env in ({}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "1"}, {"TTY_COMPATIBLE": "0"}):
        for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
            monkeypatch.delenv(name, raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        for stream in (io.StringIO(), closed, open(tmp_path / "f.txt", "w")):
            if not _may_be_terminal(stream):
                assert not Console(file=stream).is_terminal, (env, stream)
        assert _may_be_terminal(io.StringIO()) == bool(env.get("FORCE_COLOR") is not None or env.get("TTY_COMPATIBLE") == "1")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    reports = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for i, r in enumerate(reports):
        r.write_text(f"某县2023年法治政府建设年度报告\n一、主要工作\n我县聘请法律顾问{i}名。\n", encoding="utf-8")
    code = ("import sys, atexit; atexit.register(lambda: sys.stderr.write('\\n' + repr('rich' in sys.modules)));"
            f"sys.argv = ['checker', 'audit', *{[str(r) for r in reports]!r}, '-f', 'jsonl', '--no-config', '--jobs', '1'];"
            "from checker.command import main; main()")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = _second_run(code, tmp_path, env)
    assert done.stdout.count("\n") == 2 and done.stderr.strip().splitlines()[-1] == "False", done.stderr
    forced = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env={**env, "FORCE_COLOR": "1", "CHECKER_CACHE_DIR": str(tmp_path / "cache")})
    assert forced.stderr.strip().splitlines()[-1] == "True"  # a terminal is forced: rich decides, and draws
