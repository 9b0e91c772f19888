"""String distances that match DuckDB's functions exactly."""

from __future__ import annotations


def levenshtein(a: str, b: str) -> int:
    """Levenshtein distance (DuckDB's ``levenshtein``)."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (DuckDB's ``jaro_winkler_similarity``: prefix weight 0.1 over at
    most four letters, applied above 0.7; 0 when either side is empty)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    bound = max(max(la, lb) // 2 - 1, 0)
    used_a, used_b = [False] * la, [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - bound), min(lb, i + bound + 1)):
            if not used_b[j] and b[j] == ch:
                used_a[i] = used_b[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    half_transpositions, j = 0, 0
    for i in range(la):
        if used_a[i]:
            while not used_b[j]:
                j += 1
            half_transpositions += a[i] != b[j]
            j += 1
    m = matches
    sim = (m / la + m / lb + (m - half_transpositions // 2) / m) / 3
    if sim > 0.7:
        prefix = 0
        for x, y in zip(a[:4], b[:4], strict=False):
            if x != y:
                break
            prefix += 1
        sim += prefix * 0.1 * (1 - sim)
    return sim
