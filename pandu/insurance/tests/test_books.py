"""A provider's monthly book: members at the month's start and end, premiums due and
collected, claims paid and the reserve carried forward; the reminder list; re-accreditation
reminders."""

from __future__ import annotations

from datetime import date

from pandu.insurance import actions, reports
from pandu.insurance.models import Member

PREMIUM = 10_400


def test_the_month_book_adds_up(enrol, personas, breadwinner_factory, provider):
    a = enrol(breadwinner_factory(), on=date(2026, 5, 4))
    b = enrol(breadwinner_factory(), on=date(2026, 6, 2))
    actions.record_payment(
        personas["partner"], a, amount=2 * PREMIUM, paid_on=date(2026, 6, 3), method="tunai"
    )
    actions.record_payment(
        personas["partner"], b, amount=PREMIUM, paid_on=date(2026, 6, 4), method="tunai"
    )
    provider = actions.update_provider(personas["admin_maros"], provider, opening_reserve=1_000_000)
    book = reports.provider_month(provider, date(2026, 6, 1))
    assert (book.members_start, book.enrolled, book.members_end) == (1, 1, 2)
    assert book.due == 2 * PREMIUM
    assert book.collected == 3 * PREMIUM
    assert book.collection_rate == 150.0
    assert book.reserve_start == 1_000_000
    assert book.reserve_end == 1_000_000 + 3 * PREMIUM
    assert book.claims_ratio == 0.0
    may = reports.provider_month(provider, date(2026, 5, 1))
    assert (may.members_start, may.members_end, may.collected) == (0, 1, 0)


def test_the_side_by_side_view_and_files(enrol, provider, other_provider, personas):
    from pandu.insurance.models import Provider

    enrol(on=date(2026, 6, 1))
    books = reports.books_side_by_side(
        Provider.objects.visible_to(personas["admin_maros"]), date(2026, 6, 1)
    )
    assert [b.provider.code for b in books] == ["LKS01", "YS02"]
    assert reports.books_workbook(books, date(2026, 6, 1))[:2] == b"PK"
    assert (
        reports.books_pdf(books, date(2026, 6, 1), area_code="73.09", printed_by="Admin")[:5]
        == b"%PDF-"
    )


def test_reminders_list_members_in_arrears_nearest_lapse_first(
    enrol, breadwinner_factory, personas
):
    late = enrol(breadwinner_factory(), on=date(2026, 4, 6))
    newer = enrol(breadwinner_factory(), on=date(2026, 6, 1))
    paid = enrol(breadwinner_factory(), on=date(2026, 6, 1))
    actions.record_payment(
        personas["partner"], paid, amount=PREMIUM, paid_on=date(2026, 6, 2), method="tunai"
    )
    listed = list(reports.reminders(Member.objects.visible_to(personas["partner"])))
    assert [m.pk for m in listed] == [late.pk, newer.pk]


def test_accreditations_ending_soon_remind_the_dinas_and_the_provider(provider, personas, today):
    from pandu.insurance.actions.reminders import send_reaccreditation_reminders
    from pandu.notifications.models import Notification

    accreditation = provider.accreditations.get()
    accreditation.valid_until = date(2026, 8, 1)
    accreditation.save()
    sent = send_reaccreditation_reminders()
    assert sent["accreditations"] == 1
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"admin_maros", "partner"} <= told
    assert send_reaccreditation_reminders()["notifications"] == 0  # once per accreditation


def test_documents_print(enrol, personas):
    from pandu.insurance import printing

    member = enrol(on=date(2026, 6, 1))
    payment = actions.record_payment(
        personas["partner"], member, amount=PREMIUM, paid_on=date(2026, 6, 2), method="tunai"
    )
    token = printing.card_token(member)
    assert printing.member_from_token(token) == member
    assert printing.member_from_token(token[:-2] + "xx") is None
    assert printing.card_pdf(member, "https://pandu.example/askesos/kartu/" + token)[:5] == b"%PDF-"
    assert printing.receipt_pdf(payment)[:5] == b"%PDF-"
    assert printing.masked_name("Baso Daeng") == "Ba** Da***"
