"""Frozen plain copies of the validated rule models, for the matcher and the cache.

A rule file is validated by pydantic (checker.rulemodels); what the rest of the checker reads
afterwards is only the fields' values. :func:`freeze_registry` copies every model of a loaded
registry into an object of the same name here, with the same fields (the values as pydantic
left them), the same equality and hash, and the same few methods — so a registry pickled in
the user cache (checker/cache.py) is read back without importing pydantic, whose import and
model classes were a third of a cold ``checker audit`` (tests/test_speedups_cold.py checks
that every model's fields and methods are here and that verdicts are the same).
"""
from __future__ import annotations


class _View:
    """A model's fields as attributes; frozen; equal to another of its kind with equal fields."""

    def __init__(self, **fields) -> None:
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other):
        if not isinstance(other, _View):
            return NotImplemented
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:  # as a frozen pydantic model: the values' hash (lists have none)
        return hash(tuple(self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


class Context(_View):
    pass


class Concept(_View):
    pass


class Condition(_View):
    def concepts(self) -> list[str]:
        return [*self.all, *self.any]

    @classmethod
    def of_any(cls, names: list[str]) -> "Condition":
        """``Condition(any=names)`` with the model's defaults (a test keeps them the model's)."""
        return cls(all=[], any=list(names), min=1, within="document", ordered=False)


class Check(_View):
    pass


class Rule(_View):
    pass


class Group(_View):
    pass


class Profile(_View):
    pass


VIEWS = {cls.__name__: cls for cls in (Context, Concept, Condition, Check, Rule, Group, Profile)}


def freeze(value, memo: dict | None = None):
    """``value`` with every pydantic model in it replaced by its view (shared objects stay shared)."""
    memo = {} if memo is None else memo
    key = id(value)
    if key in memo:
        return memo[key][1]
    if hasattr(type(value), "__pydantic_fields__"):
        view_cls = VIEWS.get(type(value).__name__)
        if view_cls is None:
            raise TypeError(f"no view for {type(value).__name__}")
        out = view_cls(**{k: freeze(v, memo) for k, v in value.__dict__.items()})
    elif isinstance(value, list):
        out = [freeze(v, memo) for v in value]
    elif isinstance(value, tuple):
        out = tuple(freeze(v, memo) for v in value)
    elif isinstance(value, dict):
        out = {k: freeze(v, memo) for k, v in value.items()}
    else:
        return value
    memo[key] = (value, out)  # the original kept alive: its id is not reused meanwhile
    return out


def freeze_registry(reg):
    """The registry with its profiles and rules as views (in place; returned)."""
    memo: dict = {}
    reg.profiles = {k: freeze(v, memo) for k, v in reg.profiles.items()}
    reg.rules = {pid: {rid: freeze(r, memo) for rid, r in per.items()} for pid, per in reg.rules.items()}
    return reg
