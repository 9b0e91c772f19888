"""What the programme forms share: the date input, the number pattern, lines of a list."""

from __future__ import annotations

import re

from django import forms

NUMBER = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _lines(values) -> str:
    return "\n".join(str(v) for v in values or [])
