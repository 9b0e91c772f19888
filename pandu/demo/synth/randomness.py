"""Weighted choices, a faster ``Random`` and uids drawn from a seeded generator."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from random import Random


class Pick:
    """A weighted choice table: ``pick(r)`` maps a uniform r in [0, 1) to a value."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]] | dict) -> None:
        items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
        self.values = [v for v, _w in items]
        self.cum: list[float] = []
        total = 0.0
        for _v, w in items:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, r: float):
        return self.values[bisect.bisect_right(self.cum, r * self.total)]


class FastRandom(Random):
    """``random.Random`` with cheaper integer helpers (one ``random()`` call each).

    The standard ones draw rejection-sampled bits, which is exact but several times slower; a
    float draw is plenty for synthetic data and just as deterministic.
    """

    def randint(self, a: int, b: int) -> int:  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))

    def randrange(self, n: int) -> int:  # type: ignore[override]
        return int(self.random() * n)

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]


def _uid(rng: Random) -> str:
    """A version-4 UUID (as 32 hex digits) from the RNG: UUID(int=..., version=4).hex."""
    n = rng.getrandbits(128)
    n = (n & ~(0xF000 << 64)) | (0x4000 << 64)
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)
    return f"{n:032x}"
