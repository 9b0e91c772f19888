"""NIKs as a reader may see them: in full for the roles that register, verify and decide on people
(``Cap.VIEW_NIK``), else masked as 7309********0001 (the regency of birth registration and the
serial stay, the birth date is hidden). A masked reader reveals one person's NIK on its page, and
each reveal is an access-log entry (``nik_reveal``) that names the person, never the number.
"""

from __future__ import annotations

from typing import Any

from pandu.accounts.roles import Cap, user_can


def may_see_nik(user: Any) -> bool:
    """Whether ``user`` reads NIKs in full on lists, pages, the API and exports."""
    return user_can(user, Cap.VIEW_NIK)


def mask_nik(nik: str | None) -> str:
    """``7309********0001``; anything that is not 16 characters long is shown as ``****``."""
    nik = str(nik or "")
    if not nik:
        return ""
    return f"{nik[:4]}{'*' * 8}{nik[12:]}" if len(nik) == 16 else "****"


def nik_for(user: Any, nik: str | None) -> str:
    """``nik`` as ``user`` may read it."""
    return str(nik or "") if may_see_nik(user) else mask_nik(nik)
