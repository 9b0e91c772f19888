"""English screens keep the office's dates (05-07-1985) but write numbers the English way:
12.5 and 1,500 (Indonesian screens write 12,5 and 1.500)."""

from pandu.formats.id.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
