"""Registry pages: search, lists, records with their history, and the forms that change them."""

from .businesses import business_add, business_edit, business_remove
from .households import (
    household_create,
    household_detail,
    household_edit,
    household_list,
    member_add,
)
from .nik import nik_field_check, nik_tool
from .people import (
    flagged,
    person_detail,
    person_edit,
    person_list,
    person_nik_reveal,
    person_status,
)
from .ppks import ppks_add, ppks_end
from .printing import household_pdf, person_pdf
from .psks import psks_list, psks_org_create, psks_org_detail, psks_person_create
from .search import PAGE_SIZE, search

__all__ = [
    "PAGE_SIZE",
    "business_add",
    "business_edit",
    "business_remove",
    "flagged",
    "household_create",
    "household_detail",
    "household_edit",
    "household_list",
    "household_pdf",
    "member_add",
    "nik_field_check",
    "nik_tool",
    "person_detail",
    "person_edit",
    "person_list",
    "person_nik_reveal",
    "person_pdf",
    "person_status",
    "ppks_add",
    "ppks_end",
    "psks_list",
    "psks_org_create",
    "psks_org_detail",
    "psks_person_create",
    "search",
]
