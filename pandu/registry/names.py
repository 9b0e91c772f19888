"""Name keys: Indonesian personal names reduced to one comparison form for search and linkage.

The same person is written "Moh. Rachman", "Muhammad Rahman" or "H. M. Rachman, S.Pd." depending on
who typed it and which document they copied from. :func:`normalise_name` maps all of those to one
key (``"muhamad rakhman"``), so typing "moh rahman" finds "Muhammad Rahman" and two registrations
can be compared. The key is for comparison only: never show it or store it instead of the name.

Rules, applied in this order (each one is covered by a test):

1. Empty or ``None`` gives ``""``. HTML tags are removed and HTML entities decoded.
2. Unicode NFKD, accents stripped, anything that is not ASCII dropped; lowercase.
3. Everything after the first comma is titles and is dropped: ``"Rahman, S.Pd., M.Si"``.
4. Titles are dropped as whole tokens. Dotted forms are recognised before punctuation is removed,
   written together or spaced (``S.Pd.``, ``S.Pd``, ``SPd``, ``S. Pd``); a bare initial like
   ``M.`` or ``S.`` is not a title on its own.

   * Before the name, dropped anywhere: h, hj, drs, dra, dr, drg, ir, prof, alm, almh,
     almarhum, almarhumah.
   * haji, hajjah, kh: dropped only as a leading title followed by another token ("Haji" can
     be a given name).
   * Academic degrees after the name (s.pd, s.ag, s.e, s.h, s.kom, s.sos, s.ip, s.kep, s.km,
     s.t, m.pd, m.si, m.m, a.md, amd.keb, ama.pd, s.psi, s.farm, bsc, ba, ...): never the first
     token. Written with dots ("S.E.", "S. Pd") they are dropped after any name token; written
     without ("SE", "SPd") only in the trailing run of titles, as "Se" in "Tan Se Hok" is a name.
   * st: dropped only in the trailing run of titles (S.T.); as the first token it is "Siti".
   * "bin" and "binti" are part of the name and kept.
   If nothing but titles is left, the titles are kept as the name.
5. Apostrophes (``'``, backtick, curly quotes) are deleted, because they mark a glottal stop
   inside one word: "Ma'ruf" = "Maruf". The rest of the punctuation (``.``, ``-`` ...) becomes a
   space: "Nur-Hayati" gives two tokens.
6. Old (pre-1972) spelling per token: oe→u, dj→j, tj→c, sj→sy, ch→kh. A token that shows old
   spelling (contains oe, dj, tj or sj, or starts with nj) also gets nj→ny and its remaining
   "j" → "y": "Soekardjo"→"sukarjo", "Tjahjono"→"cahyono", "Djojo"→"joyo". Modern "nj"
   (Sanjaya, Panji) and modern "j" are left alone.
7. A word-final "y" becomes "i" ("Rahmy"→"rahmi", "Rizky"→"rizki"), then doubled letters are
   collapsed ("Muhammad"→"muhamad", "Anna"→"ana", "Sitti"→"siti").
8. Common variants become one canonical token: muhammad, mohammad, mochammad, mohammed, moch,
   moh, mhd, muh, md (and a single "m" as the first token) → "muhamad"; abd/abdoel → "abdul";
   sitti → "siti"; noor/nour → "nur"; achmad/akhmad/ahmat → "ahmad"; "st" as the first token →
   "siti".
9. Tokens are joined by single spaces.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = ["name_tokens", "normalise_name", "search_key"]

# --- Titles ---------------------------------------------------------------------------------
# Written without dots; a raw token matches after its dots are removed.

_PREFIX_TITLES = frozenset(
    {"h", "hj", "drs", "dra", "dr", "drg", "ir", "prof", "alm", "almh", "almarhum", "almarhumah"}
)
_LEADING_TITLES = frozenset({"haji", "hajjah", "kh"})
_DEGREES = frozenset(
    {
        # Bachelor (Sarjana, S1)
        "spd", "spdi", "sag", "se", "sei", "sh", "shi", "skom", "ssos", "sip", "skep", "skm",
        "spsi", "sfarm", "ssi", "skes", "skeb", "sked", "sgz", "shum", "ssn", "sds", "ssy",
        "sp", "spt", "sstp", "sst", "stp", "sthi", "sthu", "sak", "sth", "skg",
        # Master (Magister, S2) and doctorate
        "mpd", "mpdi", "msi", "mm", "mag", "mkes", "mkom", "mh", "mhum", "mt", "msc", "mba",
        "mkm", "mkep", "map", "phd",
        # Diploma (Ahli Madya, Ahli Muda)
        "amd", "amdkeb", "amdkep", "amdkom", "amdak", "amdgz", "amapd", "amakeb", "amk",
        # Foreign and professional
        "bsc", "ba", "lc", "apt", "ners",
    }
)  # fmt: skip
_TRAILING_ONLY_DEGREES = frozenset({"st"})

_KIND_PREFIX = 1
_KIND_LEADING = 2
_KIND_DEGREE = 3
_KIND_TRAILING = 4
_TITLE_KINDS: dict[str, int] = (
    dict.fromkeys(_PREFIX_TITLES, _KIND_PREFIX)
    | dict.fromkeys(_LEADING_TITLES, _KIND_LEADING)
    | dict.fromkeys(_DEGREES, _KIND_DEGREE)
    | dict.fromkeys(_TRAILING_ONLY_DEGREES, _KIND_TRAILING)
)

# --- Canonical tokens -----------------------------------------------------------------------
# Keys are already respelled and collapsed (rule 6 and 7), e.g. "mochammad" → "mokhamad".
_CANONICAL = {
    **dict.fromkeys(
        ["muhamad", "mohamad", "mohamed", "muhamed", "mokhamad", "mukhamad", "mokh", "mukh",
         "moh", "mhd", "muh", "md", "mohd", "muhamat", "mohamat"],
        "muhamad",
    ),
    **dict.fromkeys(["abdul", "abd", "abdl"], "abdul"),
    "sitti": "siti",
    **dict.fromkeys(["nur", "nor", "nour"], "nur"),
    **dict.fromkeys(["ahmad", "akhmad", "ahmat", "akhmat", "ahmed"], "ahmad"),
}  # fmt: skip
_CANONICAL_FIRST = {"m": "muhamad", "st": "siti"}

# --- Character handling ---------------------------------------------------------------------
_TAG_RE = re.compile(r"<[^>]*>")
_DOUBLE_RE = re.compile(r"([a-z])\1+")
_APOSTROPHES = "'`\u00b4\u2018\u2019\u02bc\u02bb"
# Applied after lowercasing ASCII text: apostrophes vanish, other non-alphanumerics → space.
_PUNCT_TO_SPACE = {
    c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) in _APOSTROPHES or c == 32)
} | dict.fromkeys(map(ord, _APOSTROPHES), None)
_APOSTROPHES_TO_ASCII = dict.fromkeys(map(ord, _APOSTROPHES), "'")


def normalise_name(name: str | None) -> str:
    """Return the comparison key of ``name``: lowercase ASCII tokens joined by single spaces."""
    return " ".join(name_tokens(name))


def search_key(name: str | None) -> str:
    """Return the value stored in a name's search column (the same as :func:`normalise_name`)."""
    return " ".join(name_tokens(name))


def name_tokens(name: str | None) -> list[str]:
    """Return the normalised tokens of ``name`` (see the module docstring for the rules)."""
    if not name:
        return []
    text = str(name)
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _to_ascii(text)
    text = text.lower()

    head, comma, _titles = text.partition(",")
    if comma and any(c.isalnum() for c in head):
        text = head

    parts = _title_parts(text.split())
    tokens = _drop_titles(parts)
    if not tokens:
        tokens = [piece for _joined, _kind, pieces in parts for piece in pieces]
    if not tokens:
        return []

    result = [_normalise_token(token) for token in tokens]
    first = _CANONICAL_FIRST.get(tokens[0])
    if first is not None:
        result[0] = first
    return result


def _to_ascii(text: str) -> str:
    # Apostrophe-like marks become "'" first: NFKD would turn an acute accent into a space.
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES_TO_ASCII))
    return text.encode("ascii", "ignore").decode("ascii")


def _split(raw: str) -> list[str]:
    return raw.translate(_PUNCT_TO_SPACE).split()


def _title_parts(raw_tokens: list[str]) -> list[tuple[str, int, list[str]]]:
    """Group whitespace tokens into (joined form, title kind or 0, name pieces).

    A title spelt with a space after a dot ("S. Pd") is two whitespace tokens; they are joined
    when the first ends in a dot and together they spell a title.
    """
    parts: list[tuple[str, int, list[str]]] = []
    i = 0
    count = len(raw_tokens)
    while i < count:
        raw = raw_tokens[i]
        if raw.isalpha():
            pieces = [raw]
            joined = raw
        else:
            pieces = _split(raw)
            joined = "".join(pieces)
        kind = _TITLE_KINDS.get(joined, 0)
        if i + 1 < count and raw.endswith(".") and kind != _KIND_PREFIX:
            next_pieces = _split(raw_tokens[i + 1])
            pair = joined + "".join(next_pieces)
            pair_kind = _TITLE_KINDS.get(pair, 0)
            if pair_kind in (_KIND_DEGREE, _KIND_TRAILING):
                pieces += next_pieces
                joined, kind = pair, pair_kind
                i += 1
        elif kind == _KIND_DEGREE and "." not in raw:
            # Written without dots ("SE", "MM") it may be part of a name ("Tan Se Hok").
            kind = _KIND_TRAILING
        if pieces:
            if not kind and len(pieces) > 1:
                # "Hj.Siti" or "Aminah.SPd": no space after the dot; judge each piece.
                parts.extend((piece, _TITLE_KINDS.get(piece, 0), [piece]) for piece in pieces)
            else:
                parts.append((joined, kind, pieces))
        i += 1
    return parts


def _drop_titles(parts: list[tuple[str, int, list[str]]]) -> list[str]:
    # Start of the trailing run of degrees.
    trailing = len(parts)
    while trailing and parts[trailing - 1][1] in (_KIND_DEGREE, _KIND_TRAILING):
        trailing -= 1

    tokens: list[str] = []
    last = len(parts) - 1
    for index, (_joined, kind, pieces) in enumerate(parts):
        if kind == _KIND_PREFIX:
            continue
        if kind == _KIND_LEADING and not tokens and index < last:
            continue
        if kind == _KIND_DEGREE and tokens:
            continue
        if kind == _KIND_TRAILING and tokens and index >= trailing:
            continue
        tokens.extend(pieces)
    return tokens


@lru_cache(maxsize=65536)
def _normalise_token(token: str) -> str:
    if not token.isalpha():
        return token
    old = "oe" in token or "dj" in token or "tj" in token or "sj" in token
    if old or token.startswith("nj"):
        token = (
            token.replace("oe", "u")
            .replace("dj", "\0")
            .replace("tj", "c")
            .replace("sj", "s\1")
            .replace("nj", "n\1")
            .replace("j", "y")
            .replace("\0", "j")
            .replace("\1", "y")
        )
    if "ch" in token:
        token = token.replace("ch", "kh")
    if len(token) > 1 and token[-1] == "y":
        token = token[:-1] + "i"
    if _DOUBLE_RE.search(token) is not None:
        token = _DOUBLE_RE.sub(r"\1", token)
    return _CANONICAL.get(token, token)
