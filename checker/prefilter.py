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


MAX_WINDOW = 120  # longest match a windowed search is used for (longer: the paragraph is searched)
_UNSAFE = {_c.AT, _c.ASSERT, _c.ASSERT_NOT, _c.GROUPREF, _c.GROUPREF_EXISTS}


def _plain(items) -> bool:
    """No anchor, lookaround or backreference anywhere: whether the pattern matches at a
    position depends only on the characters the match consumes."""
    for op, av in items:
        if op in _UNSAFE:
            return False
        if op is _c.SUBPATTERN:
            if av[1] & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_LOCALE) or not _plain(av[3]):
                return False
        elif op is _c.BRANCH:
            if not all(_plain(alt) for alt in av[1]):
                return False
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", object()):
            if not _plain(av[2]):
                return False
        elif op is getattr(_c, "ATOMIC_GROUP", object()):
            if not _plain(av):
                return False
    return True


def width_of(any_phrases, regexes) -> int | None:
    """The longest match the alternation of phrases and patterns can make, when that is
    short (≤ MAX_WINDOW), no match is empty and no pattern looks beyond what it consumes
    (anchors, lookarounds, backreferences); else None. Such a match holding a literal that
    occurs at [s, e) lies inside [e - width, s + width): a search there finds what a search
    of the whole paragraph finds (see windows)."""
    from checker.rules import expand

    if any(not p for p in any_phrases):
        return None
    widest = max((len(p) for p in any_phrases), default=0)
    for pat in regexes:
        try:
            parsed = _p.parse(expand(pat))
        except Exception:
            return None
        if parsed.state.flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_LOCALE) or not _plain(list(parsed)):
            return None
        lo, hi = parsed.getwidth()
        if lo == 0 or hi > MAX_WINDOW:
            return None
        widest = max(widest, hi)
    return widest if 0 < widest <= MAX_WINDOW else None


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
        self.widths: list[int | None] = []  # per pair: width_of (None: search whole paragraphs)
        ids: dict[str, int] = {}
        for obj in objects:
            lits = literals_of(obj.any, obj.regex)
            if lits is None:
                self.pairs.append((obj, None))
                self.widths.append(None)
                continue
            self.pairs.append((obj, tuple(ids.setdefault(s, len(ids)) for s in sorted(lits))))
            self.widths.append(width_of(obj.any, obj.regex))
        self.literals = sorted(ids, key=ids.__getitem__)
        self.automaton = _automaton(self.literals)
        self._index()

    def _index(self) -> None:
        self.sets = {id(obj): (obj, lits) for obj, lits in self.pairs}
        self.lengths = [len(s) for s in self.literals]  # by literal id (searches)
        widths = getattr(self, "widths", None) or [None] * len(self.pairs)
        self.width = {id(obj): w for (obj, _lits), w in zip(self.pairs, widths)}

    def __getstate__(self):
        return {"literals": self.literals, "pairs": self.pairs, "automaton": self.automaton, "widths": self.widths}

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
        # paragraph index -> literal id -> offset of the last character of each occurrence
        self.found: dict[int, dict[int, list[int]]] = {}
        if table.literals:
            scan = table.automaton.iter
            for k, para in enumerate(paragraphs):
                # a match lies inside [start, end): a pattern searched in this paragraph alone
                found: dict[int, list[int]] = {}
                for last, lit in scan(text, para.start, para.end):
                    got = found.get(lit)
                    if got is None:
                        found[lit] = [last]
                    else:
                        got.append(last)
                if found:
                    self.found[para.index] = found
                for lit in found:
                    where.setdefault(lit, []).append(k)
        self.where = where
        self.on = enabled()  # read once a document (os.environ lookups add up over ~90 concepts)


def _lookup(obj, index) -> tuple[Scan | None, tuple[int, ...] | None]:
    """The document's scan for the table holding ``obj``, and the object's literal ids
    (None: no table knows it, or it must always be searched); looked up once a document
    for each object (a concept is asked about for its paragraphs, its windows, and a
    context once for every hit it must be near)."""
    memo = index.__dict__.get("_prefilter_lookups")
    if memo is None:
        memo = index.__dict__["_prefilter_lookups"] = {}
    got = memo.get(id(obj))
    if got is not None and got[0] is obj:
        return got[1], got[2]
    scan, lits = _find(obj, index)
    memo[id(obj)] = (obj, scan, lits)
    return scan, lits


def _find(obj, index) -> tuple[Scan | None, tuple[int, ...] | None]:
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


def searches(concept, index, paragraphs) -> list[tuple[object, list[tuple[int, int, int]] | None]]:
    """Where the concept's pattern can match: (paragraph, windows) for each paragraph of
    ``paragraphs`` (in order) holding one of its literals, windows None when the whole
    paragraph is searched (the prefilter off, a pattern with no literals or no width), and
    every paragraph when the concept is not filtered.

    Windows are (first start, last start, end of search) offsets in order. A match holds one
    of the concept's literals; with ``width`` its longest length (see width_of), a match
    holding an occurrence at [s, e) starts in [e - width, s] and ends by s + width, and
    whether it matches there depends on those characters only. Windows that overlap are
    joined: searching each one from where the last match ended finds the matches a search of
    the whole paragraph finds (match.find_hits). Made in one pass over the occurrences of the
    concept's own literals (Scan.where, Scan.found), not over every literal of every
    paragraph."""
    scan, lits = _lookup(concept, index)
    if scan is None or lits is None or not scan.on:
        return [(p, None) for p in paragraphs]
    where, found, paras = scan.where, scan.found, scan.paragraphs
    width = scan.table.width.get(id(concept))
    spans: dict[int, list[tuple[int, int, int]]] = {}  # position in scan.paragraphs -> spans
    if width is None:
        for lit in lits:
            for k in where.get(lit, ()):
                spans[k] = []
    else:
        lengths = scan.table.lengths
        for lit in lits:
            ks = where.get(lit)
            if ks is None:
                continue
            size = lengths[lit]
            for k in ks:
                para = paras[k]
                got = spans.get(k)
                if got is None:
                    got = spans[k] = []
                lo_bound, hi_bound = para.start, para.end
                for last in found[para.index][lit]:
                    s = last + 1 - size
                    got.append((max(lo_bound, last + 1 - width), s, min(hi_bound, s + width)))
    if not spans:
        return []
    if paragraphs is index.paragraphs:
        chosen = [(paras[k], spans[k]) for k in sorted(spans)]
    else:
        keep = {id(paras[k]): k for k in spans}
        chosen = [(p, spans[keep[id(p)]]) for p in paragraphs if id(p) in keep]
    if width is None:
        return [(p, None) for p, _ in chosen]
    return [(p, _joined(got)) for p, got in chosen]


def _joined(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    spans.sort()
    out: list[tuple[int, int, int]] = []
    for lo, hi, end in spans:
        if out and lo <= out[-1][1] + 1:
            plo, phi, pend = out[-1]
            out[-1] = (plo, max(phi, hi), max(pend, end))
        else:
            out.append((lo, hi, end))
    return out


def may_match(ctx, index) -> bool:
    """False when none of a context's literals occurs anywhere in the document."""
    if not enabled():
        return True
    scan, lits = _lookup(ctx, index)
    if scan is None or lits is None:
        return True
    return any(lit in scan.where for lit in lits)
