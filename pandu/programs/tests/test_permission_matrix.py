"""Who may open each programme page and API endpoint: every ``programs:`` and ``programs-api:``
URL has a rule here (core's matrix counts them).

The records are the Moncongloe programme of seed 000: the partner persona is IPSI's focal point,
the district's TKSK Dinas Sosial's; the social worker's role could be a focal point but is
linked to no implementer; Makassar's administrator is outside the area. A local (APBD)
programme of Maros is changed by Maros's administrator only; IPSI's body sits in Makassar, so
only Makassar's administrator changes it. A page a role may not
use, or a record outside its reach, answers 404 and is logged; POST-only pages answer 405 to a
GET from the roles that may use them at all, and 404 to the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from pandu.conftest import PERSONAS
from pandu.core.models import AccessLog
from pandu.programs import actions
from pandu.programs.models import Activity, FundingLine
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVERYONE = frozenset(PERSONAS)
CATALOGUE = EVERYONE - {"partner"}
READERS = frozenset(
    {
        "admin_maros",
        "admin_makassar",
        "head",
        "auditor",
        "partner",
        "tksk_moncongloe",
        "social_worker",
    }
)
MANAGE = frozenset({"admin_maros", "admin_makassar"})
MAROS_ADMIN = frozenset({"admin_maros"})
SEE_PROGRAMME = frozenset({"admin_maros", "head", "auditor", "partner", "tksk_moncongloe"})
SEE_IPSI = frozenset({"admin_maros", "head", "auditor", "partner"})
WORK_IPSI = frozenset({"admin_maros", "partner"})
# A candidate KPM of Moncongloe Lappara: the roles that read KPM inside that village.
SEE_KPM = frozenset(
    {
        "admin_maros",
        "operator_lappara",
        "tksk_moncongloe",
        "social_worker",
        "front_office",
        "head",
        "auditor",
    }
)


@dataclass
class Records:
    programme: object
    ipsi: object
    activity: object
    line: object
    realisation: object
    report: object
    local: object


@pytest.fixture
def records(personas, moncongloe, ipsi):
    partner = personas["partner"]
    line = FundingLine.objects.get(implementer=ipsi)
    realisation = actions.record_realisation(
        partner,
        line,
        period_start=date(2012, 9, 1),
        period_end=date(2012, 9, 30),
        amount=Decimal(1_000_000),
        evidence=SimpleUploadedFile("kuitansi.pdf", PDF),
    )
    report = actions.submit_monitoring_report(
        partner,
        moncongloe,
        implementer=ipsi,
        kind="bulanan",
        period_start=date(2012, 9, 1),
        period_end=date(2012, 9, 30),
        summary="Pendataan 70 anak selesai.",
        file=SimpleUploadedFile("laporan.pdf", PDF),
    )
    local = actions.save_programme(
        personas["admin_maros"],
        code="APBD-MAROS-RTLH",
        name="Bedah rumah Kabupaten Maros",
        level="kabupaten",
        area=Area.objects.get(code="73.09"),
        benefit_type="barang",
    )
    return Records(
        moncongloe, ipsi, Activity.objects.get(implementer=ipsi), line, realisation, report, local
    )


@pytest.fixture(autouse=True)
def kpm(personas, household_factory):
    """A candidate KPM of Moncongloe Lappara, from a committed targeting run."""
    from pandu.programs.models import Programme
    from pandu.targeting import actions as targeting

    admin = personas["admin_maros"]
    household_factory()
    programme = Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")
    rule = {"field": "household_size", "op": "gte", "value": 1}
    ruleset = targeting.save_ruleset(admin, name="semua", rule=rule)
    run = targeting.start_run(
        admin, ruleset=ruleset, area="73.09.13", programme=programme, background=False
    )
    actions.create_candidates(admin, targeting.commit_run(admin, run))


# The targeting-accuracy report of Moncongloe: the roles that read KPM in the whole district
# (a village operator asking for the district, or Makassar for Maros, gets the logged 404).
SEE_DISTRICT = frozenset(
    {"admin_maros", "tksk_moncongloe", "social_worker", "front_office", "head", "auditor"}
)


def accuracy_url(name, *args):
    return lambda r: reverse(name, args=list(args)) + "?programme=PKH-UJI&area=73.09.13"


def overlap_url(name):
    def url(r):
        from pandu.programs.models import Programme, ProgrammeOverlap

        pkh, test = Programme.objects.get(code="PKH"), Programme.objects.get(code="PKH-UJI")
        first, second = sorted((pkh, test), key=lambda p: p.pk)
        pair, _new = ProgrammeOverlap.objects.get_or_create(
            programme=first, other=second, area=Area.objects.get(code="73.09")
        )
        return reverse(name, args=[pair.uid])

    return url


def kpm_url(name):
    from pandu.programs.models import Enrolment

    return lambda r: reverse(name, args=[Enrolment.objects.get().uid])


@dataclass(frozen=True)
class Rule:
    url: Callable[[Records], str]
    see: frozenset = frozenset()
    post_only: frozenset = frozenset()


def R(url, see=(), post_only=()) -> Rule:  # noqa: N802
    return Rule(url, frozenset(see), frozenset(post_only))


def u(name, attr=None):
    return lambda r: reverse(name, args=[getattr(r, attr).uid] if attr else [])


RULES: dict[str, Rule] = {
    "programs:catalogue": R(u("programs:catalogue"), see=CATALOGUE),
    "programs:programme_detail": R(
        lambda r: reverse("programs:programme_detail", args=["PKH"]), see=CATALOGUE
    ),
    "programs:programme_create": R(u("programs:programme_create"), see=MANAGE),
    "programs:programme_edit": R(
        lambda r: reverse("programs:programme_edit", args=[r.local.code]), see=MAROS_ADMIN
    ),
    "programs:amount_add": R(
        lambda r: reverse("programs:amount_add", args=[r.local.code]), post_only=MANAGE
    ),
    "programs:amount_end": R(
        lambda r: reverse("programs:amount_end", args=[r.local.code]), post_only=MANAGE
    ),
    "programs:organisation_list": R(u("programs:organisation_list"), see=CATALOGUE),
    "programs:organisation_create": R(u("programs:organisation_create"), see=MANAGE),
    "programs:organisation_edit": R(
        lambda r: reverse("programs:organisation_edit", args=[r.ipsi.organisation.uid]),
        see=frozenset({"admin_makassar"}),
    ),
    "programs:funding_add": R(u("programs:funding_add", "programme"), post_only=READERS),
    "programs:plan_add": R(u("programs:plan_add", "programme"), post_only=MANAGE),
    "programs:focal_point_add": R(u("programs:focal_point_add", "ipsi"), post_only=MANAGE),
    "programs:focal_point_end": R(u("programs:focal_point_end", "ipsi"), post_only=MANAGE),
    "programs:integrated_list": R(u("programs:integrated_list"), see=READERS),
    "programs:integrated_create": R(u("programs:integrated_create"), see=MANAGE),
    "programs:integrated_edit": R(u("programs:integrated_edit", "programme"), see=MAROS_ADMIN),
    "programs:integrated_detail": R(
        u("programs:integrated_detail", "programme"), see=SEE_PROGRAMME
    ),
    "programs:implementer_add": R(u("programs:implementer_add", "programme"), post_only=MANAGE),
    "programs:report_add": R(u("programs:report_add", "programme"), post_only=READERS),
    "programs:activity_create": R(u("programs:activity_create", "ipsi"), see=WORK_IPSI),
    "programs:activity_detail": R(u("programs:activity_detail", "activity"), see=SEE_IPSI),
    "programs:activity_progress": R(u("programs:activity_progress", "activity"), post_only=READERS),
    "programs:participant_add": R(u("programs:participant_add", "activity"), post_only=READERS),
    "programs:participant_attendance": R(
        u("programs:participant_attendance", "activity"), post_only=READERS
    ),
    "programs:realisation_add": R(u("programs:realisation_add", "line"), post_only=READERS),
    "programs:evidence_download": R(u("programs:evidence_download", "realisation"), see=SEE_IPSI),
    "programs:report_file": R(u("programs:report_file", "report"), see=SEE_IPSI),
    "programs:enrolment_list": R(u("programs:enrolment_list"), see=CATALOGUE),
    "programs:quota_list": R(u("programs:quota_list"), see=CATALOGUE),
    "programs:enrolment_candidates": R(u("programs:enrolment_candidates"), post_only=MANAGE),
    "programs:enrolment_decree": R(u("programs:enrolment_decree"), see={"head"}),
    "programs:enrolment_print": R(
        lambda r: reverse("programs:enrolment_print", args=["PKH-UJI"]),
        see=MANAGE | {"head"},
    ),
    "programs:enrolment_detail": R(kpm_url("programs:enrolment_detail"), see=SEE_KPM),
    "programs:enrolment_verify": R(kpm_url("programs:enrolment_verify"), see={"tksk_moncongloe"}),
    "programs:enrolment_dinas": R(kpm_url("programs:enrolment_dinas"), post_only=MANAGE),
    "programs:enrolment_status": R(kpm_url("programs:enrolment_status"), post_only=MANAGE),
    "programs:enrolment_reject": R(kpm_url("programs:enrolment_reject"), post_only={"head"}),
    "programs:accuracy_report": R(accuracy_url("programs:accuracy_report"), see=SEE_DISTRICT),
    "programs:accuracy_xlsx": R(accuracy_url("programs:accuracy_xlsx"), see=SEE_DISTRICT),
    "programs:accuracy_figure": R(
        accuracy_url("programs:accuracy_figure", "meninggal"), see=SEE_DISTRICT
    ),
    "programs:accuracy_figure_xlsx": R(
        accuracy_url("programs:accuracy_figure_xlsx", "layak-belum-kpm"), see=SEE_DISTRICT
    ),
    "programs:overlap_list": R(u("programs:overlap_list"), see=CATALOGUE),
    "programs:overlap_end": R(overlap_url("programs:overlap_end"), post_only=MANAGE),
}
API: dict[str, Rule] = {
    "programs-api:enrolment-list": R(u("programs-api:enrolment-list"), see=CATALOGUE),
    "programs-api:enrolment-detail": R(kpm_url("programs-api:enrolment-detail"), see=SEE_KPM),
    "programs-api:programme-list": R(u("programs-api:programme-list"), see=CATALOGUE),
    "programs-api:programme-detail": R(
        lambda r: reverse("programs-api:programme-detail", args=["PKH"]), see=CATALOGUE
    ),
    "programs-api:accuracy": R(accuracy_url("programs-api:accuracy"), see=SEE_DISTRICT),
    "programs-api:accuracy-families": R(
        accuracy_url("programs-api:accuracy-families", "tidak-layak"), see=SEE_DISTRICT
    ),
    "programs-api:integrated-list": R(u("programs-api:integrated-list"), see=READERS),
    "programs-api:integrated-detail": R(
        u("programs-api:integrated-detail", "programme"), see=SEE_PROGRAMME
    ),
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and namespace in ("programs:", "programs-api:"):
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_programme_url_has_a_rule():
    assert url_names() == set(RULES) | set(API)


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_opens_each_programme_page(name, personas, records):
    rule = RULES[name]
    url = rule.url(records)
    anonymous = Client().get(url)
    assert anonymous.status_code in (302, 405), name
    for who, user in personas.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        expected = 200 if who in rule.see else 405 if who in rule.post_only else 404
        assert response.status_code == expected, f"{name} as {who}: {response.status_code}"
        if expected == 404:
            path = url.partition("?")[0]
            assert AccessLog.objects.filter(user=user, kind="denied", path=path).exists(), who


@pytest.mark.parametrize("name", sorted(API))
def test_who_reads_each_programme_endpoint(name, personas, records):
    rule = API[name]
    url = rule.url(records)
    assert Client().get(url).status_code in (401, 403)
    for who, user in personas.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        if who in rule.see:
            assert response.status_code == 200, f"{name} as {who}"
        else:
            assert response.status_code in (403, 404), f"{name} as {who}"
