"""A literal prefilter: which concepts a text can trigger, found in one pass.

Every concept (and ``near``/``not_near`` context) of a rule is an alternation of exact
phrases and regular expressions. From each regular expression we take the literals one of
which every match must contain (``(开展|组织)了?法治培训`` needs 法治培训; a pattern
with an alternation needs one literal per branch). One Aho–Corasick automaton over all of
them (pyahocorasick) scans a document once; a concept is then searched for only in the
paragraphs where one of its literals occurs, and its regular expression is compiled only
when some paragraph does. A pattern we cannot reduce to literals (a negated class, a
backreference, a case-insensitive flag) is always searched: the prefilter may only ever
skip work, never a hit — verdicts are the same with it off (``CHECKER_PREFILTER=0``).
"""
from __future__ import annotations

import os
import re
from itertools import product

try:
    from re import _constants as _c, _parser as _p  # Python 3.11+
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

LIMIT = 48  # largest set of exact strings a node keeps (cross products beyond are dropped)


def enabled() -> bool:
    return os.environ.get("CHECKER_PREFILTER", "1") != "0"


# --- what a pattern needs ----------------------------------------------------------------


def _minimal(lits: set[str]) -> frozenset[str] | None:
    """Literals without those that contain another one (a match holding 开展了 holds 开展)."""
    if not lits or "" in lits:
        return None
    keep = {s for s in lits if not any(o != s and o in s for o in lits)}
    return frozenset(keep)


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two literal sets (longer shortest literal, then fewer)."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _cross(a: set[str], b: set[str]) -> set[str] | None:
    if len(a) * len(b) > LIMIT:
        return None
    return {x + y for x, y in product(a, b)}


_ASSERTS = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


def _class_chars(items) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < 8:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, a wide range
            return None
    return chars if len(chars) <= 8 else None


def _node(op, av) -> tuple[set[str] | None, frozenset[str] | None]:
    """(exact strings the node matches, or None; literals one of which any match contains, or None)."""
    if op is _c.LITERAL:
        return {chr(av)}, frozenset({chr(av)})
    if op in _ASSERTS:
        return {""}, None  # zero-width: adds nothing to the match
    if op is _c.IN:
        chars = _class_chars(av)
        return chars, _minimal(chars) if chars else None
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_LOCALE):
            return None, None
        return _seq(sub)
    if op is getattr(_c, "ATOMIC_GROUP", object()):
        return _seq(av)
    if op is _c.BRANCH:
        exact: set[str] | None = set()
        need: set[str] | None = set()
        for alt in av[1]:
            e, n = _seq(alt)
            if exact is not None:
                exact = exact | e if e is not None and len(exact) + len(e) <= LIMIT else None
            n = _better(n, _minimal(e) if e is not None else None)
            need = need | n if need is not None and n is not None else None
        return exact, _minimal(need) if need is not None else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", object()):
        lo, hi, sub = av
        e, n = _seq(sub)
        if lo == 0:
            return ({""} | e if hi == 1 and e is not None and len(e) < LIMIT else None), None
        n = _better(n, _minimal(e) if e is not None else None)
        exact = None
        if e is not None and lo == hi and lo <= 3:
            exact = {""}
            for _ in range(lo):
                exact = _cross(exact, e) if exact is not None else None
        return exact, n
    return None, None  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, GROUPREF_EXISTS …


def _seq(items) -> tuple[set[str] | None, frozenset[str] | None]:
    best: frozenset[str] | None = None
    run: set[str] | None = {""}  # the cross product of the exact nodes since the last inexact one
    whole: set[str] | None = {""}
    for op, av in items:
        e, n = _node(op, av)
        best = _better(best, n)
        if e is None:
            best = _better(best, _minimal(run) if run else None)
            run, whole = {""}, None
            continue
        crossed = _cross(run, e) if run is not None else None
        if crossed is None:  # too many: keep what the run had, start again from this node
            best = _better(best, _minimal(run) if run else None)
            crossed = set(e)
        run = crossed
        whole = _cross(whole, e) if whole is not None else None
    best = _better(best, _minimal(run) if run else None)
    return whole, best


def needs(pattern: str) -> frozenset[str] | None:
    """Literals one of which every match of ``pattern`` contains; None when there are none
    we can be sure of (the pattern is then always searched)."""
    try:
        parsed = _p.parse(pattern)
    except Exception:
        return None
    if parsed.state.flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_LOCALE):
        return None
    exact, need = _seq(list(parsed))
    return _better(need, _minimal(exact) if exact is not None else None)


def literals_of(any_phrases, regexes) -> frozenset[str] | None:
    """Literals for an alternation of phrases and (rule-language) patterns."""
    from checker.rules import expand

    out: set[str] = {p for p in any_phrases if p}
    for pat in regexes:
        got = needs(expand(pat))
        if got is None:
            return None
        out |= got
    return _minimal(out) if out else None


# --- the registry's table and automaton ---------------------------------------------------


class Table:
    """Literal sets of every concept and context of a registry, and one automaton over them.

    ``sets`` maps id(obj) → (obj, literal ids or None); the object is kept so its id is
    not reused. Picklable (the cache keeps it beside the registry it was made for)."""

    def __init__(self, objects=()):
        self.literals: list[str] = []
        self.pairs: list[tuple[object, tuple[int, ...] | None]] = []
        ids: dict[str, int] = {}
        for obj in objects:
            lits = literals_of(obj.any, obj.regex)
            if lits is None:
                self.pairs.append((obj, None))
                continue
            self.pairs.append((obj, tuple(ids.setdefault(s, len(ids)) for s in sorted(lits))))
        self.literals = sorted(ids, key=ids.__getitem__)
        self.automaton = _automaton(self.literals)
        self._index()

    def _index(self) -> None:
        self.sets = {id(obj): (obj, lits) for obj, lits in self.pairs}

    def __getstate__(self):
        return {"literals": self.literals, "pairs": self.pairs, "automaton": self.automaton}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._index()

    def lookup(self, obj) -> tuple[int, ...] | None | bool:
        """Literal ids of an object, None (always search), False (not in the table)."""
        entry = self.sets.get(id(obj))
        if entry is None or entry[0] is not obj:
            return False
        return entry[1]


def _automaton(literals: list[str]):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for i, lit in enumerate(literals):
        auto.add_word(lit, i)
    if literals:
        auto.make_automaton()
    return auto


def objects_of(rules) -> list[object]:
    """Every concept and context of the rules, in a stable order."""
    out = []
    for rule in rules:
        for concept in rule.check.concepts.values():
            out.append(concept)
            for ctx in (concept.near, concept.not_near):
                if ctx is not None:
                    out.append(ctx)
    return out


_TABLES: dict[int, tuple[object, Table]] = {}  # id(registry) → (registry, table), newest last
MAX_TABLES = 8  # registries a process keeps tables for (a test session makes many)


def install(registry, table: Table) -> None:
    _TABLES.pop(id(registry), None)
    _TABLES[id(registry)] = (registry, table)
    while len(_TABLES) > MAX_TABLES:  # the oldest: its concepts are then searched unfiltered
        del _TABLES[next(iter(_TABLES))]


def table_for(registry) -> Table:
    entry = _TABLES.get(id(registry))
    if entry is None or entry[0] is not registry:
        install(registry, Table(objects_of(registry.all_rules().values())))
        entry = _TABLES[id(registry)]
    return entry[1]


def _table_holding(obj) -> Table | None:
    for _reg, table in _TABLES.values():
        entry = table.sets.get(id(obj))
        if entry is not None and entry[0] is obj:
            return table
    return None


# --- one document ------------------------------------------------------------------------


class Scan:
    """Where each literal of a table occurs in one document (one automaton pass)."""

    def __init__(self, table: Table, text: str, paragraphs):
        self.table = table
        self.paragraphs = paragraphs
        where: dict[int, list[int]] = {}  # literal id -> positions in self.paragraphs
        if table.literals:
            scan = table.automaton.iter
            for k, para in enumerate(paragraphs):
                # a match lies inside [start, end): a pattern searched in this paragraph alone
                for lit in {value for _end, value in scan(text, para.start, para.end)}:
                    where.setdefault(lit, []).append(k)
        self.where = where

    def paragraphs_for(self, lits: tuple[int, ...]) -> set[int]:
        got: set[int] = set()
        for lit in lits:
            hit = self.where.get(lit)
            if hit:
                got.update(hit)
        return got


def _lookup(obj, index) -> tuple[Scan | None, tuple[int, ...] | None]:
    """The document's scan for the table holding ``obj``, and the object's literal ids
    (None: no table knows it, or it must always be searched)."""
    table = _table_holding(obj)
    if table is None:
        return None, None
    lits = table.lookup(obj)
    if lits is None:
        return None, None
    scans = index.__dict__.setdefault("_prefilter_scans", {})
    scan = scans.get(id(table))
    if scan is None:
        scan = scans[id(table)] = Scan(table, index.doc.text, index.paragraphs)
    return scan, lits  # type: ignore[return-value]


def candidates(concept, index, paragraphs):
    """The paragraphs (of ``paragraphs``, in order) where the concept's pattern can match."""
    if not enabled():
        return paragraphs
    scan, lits = _lookup(concept, index)
    if scan is None or lits is None:
        return paragraphs
    where = scan.paragraphs_for(lits)
    if not where:
        return []
    if paragraphs is index.paragraphs:
        return [index.paragraphs[k] for k in sorted(where)]
    keep = {id(scan.paragraphs[k]) for k in where}
    return [p for p in paragraphs if id(p) in keep]


def may_match(ctx, index) -> bool:
    """False when none of a context's literals occurs anywhere in the document."""
    if not enabled():
        return True
    scan, lits = _lookup(ctx, index)
    if scan is None or lits is None:
        return True
    return bool(scan.paragraphs_for(lits))
