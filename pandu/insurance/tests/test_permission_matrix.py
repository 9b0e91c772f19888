"""Who may open each Askesos page: every ``insurance:`` URL has a rule here (core's matrix counts
them).

LKS Harapan Maros (LKS01) is seated in Kabupaten Maros and accredited; ``partner`` is its staff.
Its member lives in Moncongloe Lappara. Yayasan Sejahtera (YS02) is another provider of Maros
with staff of its own. The Dinas's roles read what lies in their area; Makassar's administrator
holds the same role as Maros's but outside the area and sees nothing of Maros. A page a role
may not use, or a record outside its reach, answers 404 and is logged; POST-only pages answer
405 to a GET from the roles that may use them at all, and 404 to the others. A refused POST
changes nothing. The card check is public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from pandu.conftest import PERSONAS
from pandu.core.models import AccessLog
from pandu.insurance import actions, printing
from pandu.insurance.choices import ClaimStatus
from pandu.insurance.models import (
    Accreditation,
    AccreditationItem,
    Claim,
    ClaimDocument,
    Member,
    PremiumImport,
    PremiumPayment,
    Provider,
    ProviderStaff,
    Scheme,
    SchemeTerms,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PERSONAS)
# Who opens the Askesos pages at all (the Dinas's readers, a provider's staff), and who of them
# reaches records of Maros's provider.
READERS = frozenset(
    {"admin_maros", "admin_makassar", "head", "auditor", "social_worker", "tksk_moncongloe"}
    | {"partner"}
)
SEE = READERS - {"admin_makassar"}
# A provider's daily work: the Dinas's administrator or the provider's own staff.
WORKERS = frozenset({"admin_maros", "admin_makassar", "partner"})
WORK = WORKERS - {"admin_makassar"}
MANAGERS = frozenset({"admin_maros", "admin_makassar"})
MANAGE = frozenset({"admin_maros"})
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Records:
    provider: Provider
    application: Accreditation
    item: AccreditationItem
    scheme: Scheme
    future: SchemeTerms
    member: Member
    payment: PremiumPayment
    claim: Claim
    document: ClaimDocument
    batch: PremiumImport
    other_member: Member


@pytest.fixture
def records(
    personas, provider, scheme, other_provider, enrol, breadwinner_factory, monkeypatch, tmp_path
):
    from pandu.insurance import clock

    admin, partner = personas["admin_maros"], personas["partner"]
    monkeypatch.setattr(clock, "today", lambda: date(2025, 6, 2))
    member = enrol(on=date(2025, 6, 2))
    actions.record_payment(
        partner, member, amount=12 * 10_400, paid_on=date(2025, 6, 2), method="tunai"
    )
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    payment = actions.record_payment(partner, member, amount=10_400, paid_on=TODAY, method="tunai")
    claim = actions.file_claim(
        partner,
        member,
        event_type="kecelakaan",
        event_date=date(2026, 6, 1),
        amount_claimed=500_000,
        documents=[("laporan_polisi", SimpleUploadedFile("polisi.pdf", PDF))],
    )
    if claim.status == ClaimStatus.REVIEW:
        actions.decide_claim(admin, claim, approve=True)
        claim.refresh_from_db()
    actions.pay_claim(admin, claim, paid_on=TODAY, method="tunai")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID

    application = actions.open_accreditation(admin, provider, applied_on=date(2026, 6, 1))
    item = application.items.order_by("id").first()
    actions.record_evidence(
        partner, item, evidence="Akta", evidence_file=SimpleUploadedFile("akta.pdf", PDF)
    )
    future = actions.add_terms(admin, scheme, valid_from=date(2026, 8, 1), monthly_premium=12_000)

    path = Path(tmp_path) / "iuran.csv"
    path.write_text(
        "nomor_peserta,jumlah,tanggal_bayar,cara_bayar,referensi\n"
        "ASK-TIDAK-ADA,10400,14-06-2026,transfer,TRF-1\n",
        encoding="utf-8",
    )
    batch = actions.import_premiums(partner, path, provider=provider)
    assert batch.report

    other_scheme = actions.create_scheme(
        admin, other_provider, name="Askesos Yayasan", terms={"valid_from": date(2025, 1, 1)}
    )
    other_member = actions.enrol_member(
        other_provider.staff_user,
        other_scheme,
        nik=breadwinner_factory().nik,
        enrolled_on=TODAY,
        occupation="Petani",
        monthly_income=300_000,
        work_status=1,
        breadwinner=True,
    )
    return Records(
        provider=provider,
        application=application,
        item=item,
        scheme=scheme,
        future=future,
        member=member,
        payment=payment,
        claim=claim,
        document=claim.documents.get(),
        batch=batch,
        other_member=other_member,
    )


@dataclass(frozen=True)
class Rule:
    url: Callable[[Records], str]
    see: frozenset = frozenset()
    post_only: frozenset = frozenset()
    public: bool = False


def R(url, see=(), post_only=(), public=False) -> Rule:  # noqa: N802
    return Rule(url, frozenset(see), frozenset(post_only), public)


def u(name, attr=None):
    return lambda r: reverse(name, args=[getattr(r, attr).uid] if attr else [])


def item_url(name):
    return lambda r: reverse(name, args=[r.application.uid, r.item.criterion])


RULES: dict[str, Rule] = {
    "insurance:provider_list": R(u("insurance:provider_list"), see=READERS),
    "insurance:provider_create": R(u("insurance:provider_create"), see=MANAGERS),
    "insurance:provider_detail": R(u("insurance:provider_detail", "provider"), see=SEE),
    "insurance:provider_edit": R(u("insurance:provider_edit", "provider"), see=MANAGE),
    "insurance:staff_link": R(u("insurance:staff_link", "provider"), see=MANAGE),
    "insurance:staff_unlink": R(
        lambda r: reverse(
            "insurance:staff_unlink", args=[r.provider.uid, r.provider.staff.get().user.uid]
        ),
        post_only=MANAGERS,
    ),
    "insurance:accreditation_open": R(u("insurance:accreditation_open", "provider"), see=MANAGE),
    "insurance:scheme_create": R(u("insurance:scheme_create", "provider"), see=MANAGE),
    "insurance:accreditation_detail": R(
        u("insurance:accreditation_detail", "application"), see=SEE
    ),
    "insurance:accreditation_decide": R(
        u("insurance:accreditation_decide", "application"), see=MANAGE
    ),
    "insurance:accreditation_revoke": R(
        u("insurance:accreditation_revoke", "application"), see=MANAGE
    ),
    "insurance:item_evidence": R(item_url("insurance:item_evidence"), see=WORK),
    "insurance:item_file": R(item_url("insurance:item_file"), see=SEE),
    "insurance:item_review": R(item_url("insurance:item_review"), see=MANAGE),
    "insurance:scheme_detail": R(u("insurance:scheme_detail", "scheme"), see=SEE),
    "insurance:terms_add": R(u("insurance:terms_add", "scheme"), see=MANAGE),
    "insurance:terms_withdraw": R(
        lambda r: reverse("insurance:terms_withdraw", args=[r.scheme.uid, "2026-08-01"]),
        post_only=MANAGERS,
    ),
    "insurance:scheme_active": R(u("insurance:scheme_active", "scheme"), post_only=MANAGERS),
    "insurance:member_list": R(u("insurance:member_list"), see=READERS),
    "insurance:member_enrol": R(u("insurance:member_enrol"), see=WORKERS),
    "insurance:member_detail": R(u("insurance:member_detail", "member"), see=SEE),
    "insurance:member_end": R(u("insurance:member_end", "member"), see=WORK),
    "insurance:member_reinstate": R(u("insurance:member_reinstate", "member"), see=WORK),
    "insurance:member_card": R(u("insurance:member_card", "member"), see=SEE),
    "insurance:payment_record": R(u("insurance:payment_record", "member"), see=WORK),
    "insurance:claim_file": R(u("insurance:claim_file", "member"), see=WORK),
    "insurance:card_check": R(
        lambda r: reverse("insurance:card_check", args=[printing.card_token(r.member)]),
        see=EVERYONE,
        public=True,
    ),
    "insurance:payment_list": R(u("insurance:payment_list"), see=READERS),
    "insurance:payment_receipt": R(u("insurance:payment_receipt", "payment"), see=SEE),
    "insurance:reminders": R(u("insurance:reminders"), see=READERS),
    "insurance:reminders_xlsx": R(u("insurance:reminders_xlsx"), see=READERS),
    "insurance:import_list": R(u("insurance:import_list"), see=WORKERS),
    "insurance:import_detail": R(u("insurance:import_detail", "batch"), see=WORK),
    "insurance:import_report": R(u("insurance:import_report", "batch"), see=WORK),
    "insurance:claim_list": R(u("insurance:claim_list"), see=READERS),
    "insurance:claim_detail": R(u("insurance:claim_detail", "claim"), see=SEE),
    "insurance:claim_document_add": R(u("insurance:claim_document_add", "claim"), see=WORK),
    "insurance:claim_decide": R(u("insurance:claim_decide", "claim"), see=WORK),
    "insurance:claim_pay": R(u("insurance:claim_pay", "claim"), see=WORK),
    "insurance:claim_receipt": R(u("insurance:claim_receipt", "claim"), see=SEE),
    # The family's one-stop case is opened by those who take intakes (the provider's staff
    # do not).
    "insurance:claim_family_case": R(u("insurance:claim_family_case", "claim"), see=MANAGE),
    "insurance:claim_document": R(u("insurance:claim_document", "document"), see=SEE),
    "insurance:books": R(u("insurance:books"), see=READERS),
    "insurance:books_xlsx": R(u("insurance:books_xlsx"), see=READERS),
    "insurance:books_pdf": R(u("insurance:books_pdf"), see=READERS),
    "insurance:book_detail": R(u("insurance:book_detail", "provider"), see=SEE),
}

# The API (``/api/v1/insurance/``): lists are the caller's ``visible_to`` rows (empty for a role
# without the pages), a record outside them is a 404; the claim's steps are POST only.
API: dict[str, Rule] = {
    "api:insurance-provider-list": R(u("api:insurance-provider-list"), see=READERS),
    "api:insurance-provider-detail": R(u("api:insurance-provider-detail", "provider"), see=SEE),
    "api:insurance-scheme-list": R(u("api:insurance-scheme-list"), see=READERS),
    "api:insurance-scheme-detail": R(u("api:insurance-scheme-detail", "scheme"), see=SEE),
    "api:insurance-member-list": R(u("api:insurance-member-list"), see=READERS),
    "api:insurance-member-detail": R(u("api:insurance-member-detail", "member"), see=SEE),
    "api:insurance-payment-list": R(u("api:insurance-payment-list"), see=READERS),
    "api:insurance-claim-list": R(u("api:insurance-claim-list"), see=READERS),
    "api:insurance-claim-detail": R(u("api:insurance-claim-detail", "claim"), see=SEE),
    "api:insurance-claim-decision": R(
        u("api:insurance-claim-decision", "claim"), post_only=EVERYONE
    ),
    "api:insurance-claim-documents": R(
        u("api:insurance-claim-documents", "claim"), post_only=EVERYONE
    ),
    "api:insurance-claim-payment": R(u("api:insurance-claim-payment", "claim"), post_only=EVERYONE),
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and (
                namespace == "insurance:"
                or (namespace == "api:" and p.name.startswith("insurance-"))
            ):
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_insurance_page_and_endpoint_has_a_rule():
    assert url_names() == set(RULES) | set(API)


def _close(response) -> None:
    """Read a download to its end and close it without Django's connection clean-up, which
    would close the test's own database connection inside its transaction."""
    from pandu.conftest import close_quietly

    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    close_quietly(response)


def test_who_opens_each_askesos_page(personas, records):
    """One walk over every page for every persona (the records take long to make)."""
    problems = []
    clients = {}
    for who, user in personas.items():
        clients[who] = Client()
        clients[who].force_login(user)
    for name, rule in sorted(RULES.items()):
        url = rule.url(records)
        anonymous = Client().get(url)
        _close(anonymous)
        if rule.public:
            if anonymous.status_code != 200:
                problems.append(f"{name} as anonymous: {anonymous.status_code}")
        elif anonymous.status_code != 302 or "/akun/masuk/" not in anonymous["Location"]:
            problems.append(f"{name} as anonymous: {anonymous.status_code}")
        for who, user in personas.items():
            response = clients[who].get(url)
            _close(response)
            expected = 200 if who in rule.see else 405 if who in rule.post_only else 404
            if response.status_code != expected:
                problems.append(f"{name} as {who}: {response.status_code}, expected {expected}")
            elif (
                expected == 404
                and not AccessLog.objects.filter(user=user, kind="denied", path=url).exists()
            ):
                problems.append(f"{name} as {who}: refused without an access-log entry")
    assert not problems, "\n".join(problems)


def _api_rows(response) -> list:
    payload = response.json()
    return payload.get("results", payload) if isinstance(payload, dict) else payload


def test_who_reads_each_askesos_endpoint(personas, records):
    from pandu.conftest import api_token

    problems = []
    tokens = {who: api_token(user) for who, user in personas.items()}
    for name, rule in sorted(API.items()):
        url = rule.url(records)
        anonymous = Client().get(url)
        if anonymous.status_code not in (401, 403):
            problems.append(f"{name} as anonymous: {anonymous.status_code}")
        for who in personas:
            response = Client().get(url, HTTP_AUTHORIZATION=f"Token {tokens[who]}")
            code = response.status_code
            if who in rule.post_only:
                ok = code == 405
            elif who in rule.see:
                ok = code == 200
            elif name.endswith("-list"):
                ok = code in (403, 404) or (code == 200 and _api_rows(response) == [])
            else:
                ok = code in (403, 404)
            if not ok:
                problems.append(f"{name} as {who}: {code}")
    assert not problems, "\n".join(problems)


def state() -> tuple:
    """Every Askesos row and its history: equal means nothing changed."""
    models = (Provider, Accreditation, AccreditationItem, ProviderStaff, Scheme, SchemeTerms)
    histories = tuple((m.__name__, m.objects.count(), m.history.count()) for m in models)
    rows = (Member, PremiumPayment, Claim, ClaimDocument, PremiumImport)
    return (
        histories,
        tuple((m.__name__, m.objects.count()) for m in rows),
        tuple(Member.objects.order_by("pk").values_list("pk", "status", "total_paid")),
        tuple(Claim.objects.order_by("pk").values_list("pk", "status", "intake")),
        tuple(Scheme.objects.order_by("pk").values_list("pk", "active")),
        tuple(SchemeTerms.objects.order_by("pk").values_list("pk", "withdrawn")),
        tuple(Accreditation.objects.order_by("pk").values_list("pk", "status")),
        tuple(ProviderStaff.objects.order_by("pk").values_list("pk", "active")),
    )


def _csv(name="iuran.csv"):
    return SimpleUploadedFile(
        name,
        b"nomor_peserta,jumlah,tanggal_bayar,cara_bayar,referensi\n"
        b"ASK-LKS01-000001,10400,14-06-2026,transfer,TRF-9\n",
        content_type="text/csv",
    )


# What a refused POST would have changed: each form's data, sent by every role that may not.
POSTS: dict[str, tuple[Callable[[Records], str], Callable[[Records], dict], frozenset]] = {
    "provider_edit": (
        u("insurance:provider_edit", "provider"),
        lambda r: {"name": "Diubah", "code": "LKS01", "opening_reserve": "0", "active": "on"},
        MANAGE,
    ),
    "staff_unlink": (RULES["insurance:staff_unlink"].url, lambda r: {}, MANAGE),
    "accreditation_decide": (
        u("insurance:accreditation_decide", "application"),
        lambda r: {
            "accredited": "0",
            "decision_number": "X",
            "decided_on": "2026-06-15",
            "note": "Tidak",
        },  # fmt: skip
        MANAGE,
    ),
    "accreditation_revoke": (
        u("insurance:accreditation_revoke", "application"),
        lambda r: {"reason": "x"},
        MANAGE,
    ),
    "item_evidence": (
        item_url("insurance:item_evidence"),
        lambda r: {f"{r.item.criterion}-evidence": "Diubah"},
        WORK,
    ),
    "item_review": (
        item_url("insurance:item_review"),
        lambda r: {f"{r.item.criterion}-finding": "memenuhi"},
        MANAGE,
    ),
    "terms_withdraw": (RULES["insurance:terms_withdraw"].url, lambda r: {}, MANAGE),
    "scheme_active": (u("insurance:scheme_active", "scheme"), lambda r: {"active": "0"}, MANAGE),
    "member_end": (
        u("insurance:member_end", "member"),
        lambda r: {"reason": "lainnya", "on": "2026-06-15"},
        WORK,
    ),
    "payment_record": (
        u("insurance:payment_record", "member"),
        lambda r: {"amount": "10400", "paid_on": "2026-06-15", "method": "tunai"},
        WORK,
    ),
    "claim_file": (
        u("insurance:claim_file", "member"),
        lambda r: {"event_type": "kecelakaan", "event_date": "2026-06-12"},
        WORK,
    ),
    "claim_document_add": (
        u("insurance:claim_document_add", "claim"),
        lambda r: {"kind": "lainnya", "file": SimpleUploadedFile("x.pdf", PDF)},
        WORK,
    ),
    "claim_family_case": (u("insurance:claim_family_case", "claim"), lambda r: {}, MANAGE),
    "import_list": (
        u("insurance:import_list"),
        lambda r: {"provider": str(r.provider.pk), "file": _csv()},
        WORKERS,
    ),
}


def test_a_refused_post_changes_nothing(personas, records):
    problems = []
    before = state()
    for name, (url_of, data_of, allowed) in sorted(POSTS.items()):
        url = url_of(records)
        for who, user in personas.items():
            if who in allowed:
                continue
            client = Client()
            client.force_login(user)
            response = client.post(url, data_of(records))
            if response.status_code != 404:
                problems.append(f"{name} as {who}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert state() == before


def test_a_provider_is_created_only_inside_the_administrators_area(personas, records):
    client = Client()
    client.force_login(personas["admin_makassar"])
    before = state()
    response = client.post(
        reverse("insurance:provider_create"),
        {"name": "LKS Luar", "code": "LKS77", "area": "73.09", "opening_reserve": "0"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert state() == before


def _rows(client, name) -> list:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return [row.record for row in response.context["table"].page.object_list]


def test_provider_staff_see_only_their_own_providers_members(personas, records):
    own, other = records.member, records.other_member
    staff = Client()
    staff.force_login(personas["partner"])
    assert own in _rows(staff, "insurance:member_list")
    assert other not in _rows(staff, "insurance:member_list")
    assert _rows(staff, "insurance:provider_list") == [records.provider]
    for claim in _rows(staff, "insurance:claim_list"):
        assert claim.provider == records.provider
    for url in (
        reverse("insurance:member_detail", args=[other.uid]),
        reverse("insurance:member_card", args=[other.uid]),
        reverse("insurance:payment_record", args=[other.uid]),
        reverse("insurance:provider_detail", args=[other.provider.uid]),
        reverse("insurance:book_detail", args=[other.provider.uid]),
    ):
        assert staff.get(url).status_code == 404, url
    assert AccessLog.objects.filter(
        user=personas["partner"], kind="denied", object_uid=str(other.uid)
    ).exists()

    rival = Client()
    rival.force_login(other.provider.staff.get().user)
    assert _rows(rival, "insurance:member_list") == [other]
    assert rival.get(reverse("insurance:member_detail", args=[own.uid])).status_code == 404
    assert rival.get(reverse("insurance:claim_detail", args=[records.claim.uid])).status_code == (
        404
    )


def test_makassars_administrator_sees_nothing_of_maros(personas, records):
    client = Client()
    client.force_login(personas["admin_makassar"])
    for name in (
        "insurance:provider_list",
        "insurance:member_list",
        "insurance:payment_list",
        "insurance:reminders",
        "insurance:claim_list",
        "insurance:import_list",
    ):
        assert _rows(client, name) == [], name
    books = client.get(reverse("insurance:books"))
    assert books.context["books"] == []
    assert client.get(reverse("insurance:provider_list")).context["due"] == []


def test_every_view_of_a_claim_is_logged_as_sensitive(personas, records):
    claim = records.claim
    for who in ("head", "auditor", "partner"):
        client = Client()
        client.force_login(personas[who])
        assert client.get(reverse("insurance:claim_detail", args=[claim.uid])).status_code == 200
        assert AccessLog.objects.filter(
            user=personas[who], kind="view_sensitive", object_uid=str(claim.uid)
        ).exists(), who
