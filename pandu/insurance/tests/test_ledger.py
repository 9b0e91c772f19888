"""The premium ledger: dues each month at the premium in force, oldest dues settled first,
arrears, the lapse on its exact boundary day, credit for a payment larger than the arrears,
reinstatement, and the set-based run agreeing with a member-by-member count."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pandu.insurance import actions, ledger
from pandu.insurance.choices import MemberStatus
from pandu.insurance.models import CoverPeriod, Member, PremiumDue

PREMIUM = 10_400


def fresh(m: Member) -> Member:
    return Member.objects.get(pk=m.pk)


def test_enrolment_writes_the_dues_up_to_today(enrol):
    member = enrol(on=date(2026, 4, 20))  # today is 15 June 2026
    months = list(member.dues.values_list("month", flat=True))
    assert months == [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
    assert member.total_due == 3 * PREMIUM
    assert member.unpaid_from == date(2026, 4, 1)
    # April's due day (10 April) came before enrolment: April, May and June are all due.
    assert member.months_unpaid == 3


def test_payments_settle_the_oldest_months_first(enrol, personas):
    member = enrol(on=date(2026, 4, 20))
    actions.record_payment(
        personas["partner"], member, amount=2 * PREMIUM, paid_on=date(2026, 6, 12), method="tunai"
    )
    member = fresh(member)
    assert member.paid_through == date(2026, 5, 1)
    assert member.unpaid_from == date(2026, 6, 1)
    assert member.months_unpaid == 1
    assert member.arrears == PREMIUM


def test_three_months_paid_clear_the_arrears(enrol, personas):
    member = enrol(on=date(2026, 4, 20))
    for n in range(3):
        actions.record_payment(
            personas["partner"],
            member,
            amount=PREMIUM,
            paid_on=date(2026, 6, 1 + n),
            method="tunai",
        )
    member = fresh(member)
    assert (member.arrears, member.months_unpaid, member.unpaid_from) == (0, 0, None)
    assert member.paid_through == date(2026, 6, 1)
    assert member.payments.count() == 3
    assert len(set(member.payments.values_list("receipt_number", flat=True))) == 3


def test_a_payment_larger_than_the_arrears_is_kept_as_credit(enrol, personas):
    member = enrol(on=date(2026, 6, 1))
    actions.record_payment(
        personas["partner"],
        member,
        amount=4 * PREMIUM,
        paid_on=date(2026, 6, 5),
        method="transfer",
        reference="TRF-1",
    )
    member = fresh(member)
    assert member.arrears == 0
    assert member.credit == 3 * PREMIUM
    # Next month's due is paid from the credit when the ledger writes it.
    ledger.run(date(2026, 7, 15))
    member = fresh(member)
    assert member.paid_through == date(2026, 7, 1)
    assert member.credit == 2 * PREMIUM
    assert member.months_unpaid == 0


def test_a_payment_beyond_a_year_ahead_is_refused_as_a_typing_error(enrol, personas):
    member = enrol(on=date(2026, 6, 1))
    with pytest.raises(ValidationError) as err:
        actions.record_payment(
            personas["partner"], member, amount=10_400_000, paid_on=date(2026, 6, 5), method="tunai"
        )
    assert "amount" in err.value.message_dict
    assert not member.payments.exists()


def test_lapse_on_the_exact_boundary_day(enrol):
    # Enrolled in June, nothing paid: June, July, August unpaid; August's due day (10th) plus
    # 30 days of grace is 9 September, the last day of cover.
    member = enrol(on=date(2026, 6, 1))
    ledger.run(date(2026, 9, 9))
    member = fresh(member)
    assert member.lapse_on == date(2026, 9, 9)
    assert member.status == MemberStatus.ACTIVE
    ledger.run(date(2026, 9, 10))
    member = fresh(member)
    assert member.status == MemberStatus.LAPSED
    assert member.status_on == date(2026, 9, 10)
    period = CoverPeriod.objects.get(membership=member)
    assert period.end == date(2026, 9, 9)
    assert member.history.first().history_change_reason.startswith("Gugur")
    # September fell due while still covered (the grace runs to the 9th); a lapsed member
    # owes nothing new after that.
    ledger.run(date(2026, 11, 20))
    assert fresh(member).dues.count() == 4


def test_paying_the_arrears_inside_the_window_reinstates_with_a_new_waiting_period(
    enrol, personas, today, monkeypatch
):
    from pandu.insurance import clock

    member = enrol(on=date(2026, 6, 1))
    ledger.run(date(2026, 9, 10))
    assert fresh(member).status == MemberStatus.LAPSED
    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 2))
    actions.record_payment(
        personas["partner"], member, amount=4 * PREMIUM, paid_on=date(2026, 10, 2), method="tunai"
    )
    member = fresh(member)
    assert member.status == MemberStatus.ACTIVE
    assert member.status_on == date(2026, 10, 2)
    periods = list(member.periods.order_by("start"))
    assert [p.reinstated for p in periods] == [False, True]
    assert periods[1].waiting_from == date(2026, 10, 2)
    # Dues run again from the month of reinstatement: October is owed, nothing in between.
    assert list(member.dues.values_list("month", flat=True))[-2:] == [
        date(2026, 9, 1),
        date(2026, 10, 1),
    ]
    assert member.arrears == PREMIUM


def test_after_the_window_a_lapsed_member_must_enrol_again(enrol, personas, monkeypatch):
    from pandu.insurance import clock

    member = enrol(on=date(2026, 6, 1))
    ledger.run(date(2026, 9, 10))
    monkeypatch.setattr(clock, "today", lambda: date(2027, 4, 1))
    with pytest.raises(ValidationError) as err:
        actions.reinstate_member(personas["partner"], member, on=date(2026, 12, 1))
    assert "Tunggakan" in " ".join(err.value.messages)
    problem = actions.members.reinstatement_problem(fresh(member), date(2027, 3, 11))
    assert "mendaftar ulang" in problem


def test_a_new_premium_applies_from_its_start_date(enrol, personas, scheme, monkeypatch):
    from pandu.insurance import clock

    member = enrol(on=date(2026, 6, 1))
    monkeypatch.setattr(clock, "today", lambda: date(2026, 6, 20))
    actions.add_terms(
        personas["admin_maros"], scheme, valid_from=date(2026, 8, 1), monthly_premium=12_000
    )
    ledger.run(date(2026, 8, 15))
    amounts = dict(fresh(member).dues.values_list("month", "amount"))
    assert amounts[date(2026, 7, 1)] == PREMIUM
    assert amounts[date(2026, 8, 1)] == 12_000
    assert scheme.terms.count() == 2  # the old version is kept


def test_the_set_based_run_agrees_with_counting_member_by_member(
    enrol, personas, breadwinner_factory
):
    members = [enrol(breadwinner_factory(), on=date(2026, 2 + n % 4, 3)) for n in range(8)]
    for n, m in enumerate(members):
        if n % 3:
            actions.record_payment(
                personas["partner"],
                m,
                amount=PREMIUM * (n % 4 + 1),
                paid_on=date(2026, 6, 10),
                method="tunai",
            )
    ledger.run(date(2026, 6, 15))
    for m in members:
        m = fresh(m)
        dues = list(PremiumDue.objects.filter(membership=m).order_by("month"))
        paid = int(m.total_paid)
        covered = []
        for d in dues:
            if paid >= d.amount:
                paid -= int(d.amount)
                covered.append(d.month)
            else:
                break
        unpaid = [d for d in dues if d.month not in covered]
        assert m.total_due == sum(d.amount for d in dues)
        assert m.paid_through == (covered[-1] if covered else None)
        assert m.unpaid_from == (unpaid[0].month if unpaid else None)
        assert m.months_unpaid == len([d for d in unpaid if d.due_on <= date(2026, 6, 15)])


def test_the_worked_example_of_docs_askesos(enrol, personas, monkeypatch):
    """docs/askesos.md, "A worked example", step by step."""
    from pandu.insurance import clock

    def on(day: date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    on(date(2026, 6, 1))
    baso = enrol(on=date(2026, 6, 1))
    on(date(2026, 6, 5))
    actions.record_payment(
        personas["partner"], baso, amount=PREMIUM, paid_on=date(2026, 6, 5), method="tunai"
    )
    ledger.run(date(2026, 9, 1))
    baso = fresh(baso)
    assert (baso.paid_through, baso.unpaid_from) == (date(2026, 6, 1), date(2026, 7, 1))
    assert baso.lapse_on == date(2026, 10, 10)
    on(date(2026, 8, 25))
    illness = actions.file_claim(
        personas["partner"], baso, event_type="sakit", event_date=date(2026, 8, 20)
    )
    assert illness.status == "ditolak" and "sampai 29-08-2026" in illness.decision_reason
    accident = actions.file_claim(
        personas["partner"], baso, event_type="kecelakaan", event_date=date(2026, 8, 20)
    )
    assert accident.status in ("disetujui", "ditinjau")
    assert not any("di atas" in r for r in accident.review_reasons)
    ledger.run(date(2026, 10, 10))
    assert fresh(baso).status == MemberStatus.ACTIVE
    assert fresh(baso).months_unpaid == 4  # July to October, October's due day passed
    ledger.run(date(2026, 10, 11))
    baso = fresh(baso)
    assert (baso.status, baso.status_on) == (MemberStatus.LAPSED, date(2026, 10, 11))
    assert baso.periods.get().end == date(2026, 10, 10)
    on(date(2026, 11, 2))
    actions.record_payment(
        personas["partner"], baso, amount=41_600, paid_on=date(2026, 11, 2), method="tunai"
    )
    baso = fresh(baso)
    assert (baso.status, baso.status_on) == (MemberStatus.ACTIVE, date(2026, 11, 2))
    assert baso.dues.filter(month=date(2026, 11, 1)).exists()
    assert baso.arrears == PREMIUM


def test_a_member_who_lapsed_this_month_pays_and_is_reinstated_without_paying_twice(
    enrol, personas
):
    member = enrol(on=date(2026, 3, 2))  # today 15 June: March to June unpaid, lapsed 10 June
    member = fresh(member)
    assert member.status == MemberStatus.LAPSED
    assert member.dues.count() == 4
    actions.record_payment(
        personas["partner"], member, amount=100_000, paid_on=date(2026, 6, 15), method="tunai"
    )
    member = fresh(member)
    assert member.status == MemberStatus.ACTIVE
    assert member.dues.count() == 4  # June's due, written before the lapse, is not written again
    assert member.credit == 100_000 - 4 * PREMIUM
