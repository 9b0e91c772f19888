"""Proposal pages: batches and their minutes, adding items, the TKSK's visit queue and form, the
administrator's decisions, "my proposals", handovers and the report.

Views only parse input and call ``proposals.actions``. Records are fetched through
``get_for_user_or_404``: outside the user's area (or role) it is a 404 and an access-log row.
"""

from ._common import PAGE_SIZE
from .adding import ITEM_KINDS, item_add, item_add_household, item_remove
from .batches import batch_create, batch_detail, batch_list, batch_minutes, batch_pick, batch_submit
from .handovers import handover_detail, handover_list
from .item import (
    item_apply,
    item_decide,
    item_detail,
    item_photo,
    item_plan,
    item_resolve,
    item_verify,
)
from .printing import batch_decisions_pdf
from .queues import decide_list, my_items, verify_queue
from .report import report, report_xlsx_view

__all__ = [
    "ITEM_KINDS",
    "PAGE_SIZE",
    "batch_create",
    "batch_decisions_pdf",
    "batch_detail",
    "batch_list",
    "batch_minutes",
    "batch_pick",
    "batch_submit",
    "decide_list",
    "handover_detail",
    "handover_list",
    "item_add",
    "item_add_household",
    "item_apply",
    "item_decide",
    "item_detail",
    "item_photo",
    "item_plan",
    "item_remove",
    "item_resolve",
    "item_verify",
    "my_items",
    "report",
    "report_xlsx_view",
    "verify_queue",
]
