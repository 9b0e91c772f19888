"""The row parser (a package: ``row`` holds the class and its two passes, ``fields`` the
checks of one field each, ``messages`` what they say)."""

from .row import RowParser

__all__ = ["RowParser"]
