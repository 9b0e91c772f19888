"""Seed 001's Askesos figures as the starting terms of a new scheme.

DOMAIN.md: about Rp10,400 a month with a Rp21,000,000 death benefit around 2012; members are
main breadwinners in informal work, income around Rp300,000 a month, aged 21-60 or married,
with a formal ID. The illness and accident benefits, waiting, grace and lapse periods and the
review rules are not in the seeds: they are this product's starting values, marked
unconfirmed in docs/askesos.md, and every office sets its own.
"""

from __future__ import annotations

DEFAULT_TERMS: dict[str, object] = {
    "monthly_premium": 10_400,
    "benefit_illness": 1_000_000,
    "benefit_accident": 5_000_000,
    "benefit_death": 21_000_000,
    "waiting_days_illness": 90,
    "waiting_days_accident": 0,
    "waiting_days_death": 180,
    "illness_claims_per_year": 2,
    "due_day": 10,
    "grace_days": 30,
    "lapse_after_months": 3,
    "reinstate_within_months": 6,
    "reinstate_waiting_days": 30,
    "review_above": 5_000_000,
    "review_share": 10,
    "min_age": 21,
    "max_age": 60,
    "married_waives_min_age": True,
    "max_income": 450_000,
    "informal_only": True,
    "breadwinner_only": True,
    "id_required": True,
}

#: Work statuses that count as informal or self-employed (registry.choices.WorkStatus).
INFORMAL_WORK = (1, 2, 5, 6)

#: How long before an accreditation ends its provider and the Dinas are reminded.
REACCREDITATION_NOTICE_DAYS = 90
