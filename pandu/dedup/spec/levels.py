"""A comparison and its levels: each level's SQL for Splink and the same test in Python."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Features = dict[str, Any]
Predicate = Callable[[Features, Features], bool]


@dataclass(frozen=True)
class Level:
    key: str
    label: Any  # a lazy translation
    sql: str
    test: Predicate | None = None  # None: the ELSE level
    null: bool = False
    tf: str | None = None  # term-frequency adjusted on this column (rarer values weigh more)


@dataclass(frozen=True)
class Comparison:
    name: str
    label: Any
    columns: tuple[str, ...]
    levels: tuple[Level, ...]

    def level_for(self, left: Features, right: Features) -> Level:
        for level in self.levels:
            if level.test is None or level.test(left, right):
                return level
        raise AssertionError("a comparison must end with an ELSE level")
