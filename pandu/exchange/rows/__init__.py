"""One spreadsheet row → one validated person (with their household's columns), or the reasons
it is rejected, in words an operator can act on.

The checks are the registry's own (``nik.check_nik``/``check_kk``, ``validation.clean_name``,
``clean_birth_date``, ``check_head``, the PPKS age/sex rules); this module only adds what a file
brings: cells as text or Excel numbers, dates in several spellings, words instead of codes,
formula-looking text, and numbers Excel has already damaged. It runs for every row of a
million-row file, so the common path uses dictionaries and caches instead of exceptions.
"""

from .codes import FALSE_WORDS, MARITAL_WORDS, RELATIONSHIP_WORDS, SEX_WORDS, TRUE_WORDS
from .parser import RowParser
from .records import (
    EXCEL_EPOCH,
    FORMULA_START,
    MAX_SHOWN,
    Category,
    Issue,
    RowRecord,
    birth_date_text,
    column_letter,
    masked_number,
    pack_chunk,
    shown,
    unpack_chunk,
)

__all__ = [
    "Category",
    "EXCEL_EPOCH",
    "FALSE_WORDS",
    "FORMULA_START",
    "Issue",
    "MARITAL_WORDS",
    "MAX_SHOWN",
    "RELATIONSHIP_WORDS",
    "RowParser",
    "RowRecord",
    "SEX_WORDS",
    "TRUE_WORDS",
    "birth_date_text",
    "column_letter",
    "masked_number",
    "pack_chunk",
    "shown",
    "unpack_chunk",
]
