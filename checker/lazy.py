"""A module imported on first use of one of its attributes (for imports a cold run may not
need: a name bound to it works as the module does; each attribute is fetched once)."""
from __future__ import annotations

import importlib


class module:  # noqa: N801 - used like the module it stands for
    __slots__ = ("_name", "__dict__")

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr: str):
        value = getattr(importlib.import_module(self._name), attr)
        self.__dict__[attr] = value  # the next lookup is a plain attribute
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
