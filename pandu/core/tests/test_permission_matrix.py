"""Who may see and change what: every URL of the site and of the API, for every persona.

``WEB`` and ``API`` below are the specification, one rule per URL name. The first tests walk the
URL resolver, so a new URL without a rule fails the suite until someone decides who may use it.
An app may keep the rules of its own URLs in its ``tests/test_permission_matrix.py`` instead
(pandu/services does); those count too.

The records live in Moncongloe Lappara (73.09.13.2003); their twins in Bontorannu, Kota Makassar
(73.71.01.1001) are out of scope for every Maros persona. Pages answer 404 to roles that may not
use them and for records outside the user's area (never a 403 that confirms the record exists), and
each refusal is written to the access log. A refused POST changes nothing.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.template.base import Template
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from pandu.accounts.roles import ROLE_CAPS, Cap
from pandu.conftest import (
    LAPPARA,
    MAKASSAR_VILLAGE,
    PERSONAS,
    api_token,
    browser_data,
    close_quietly,
    make_kk,
    make_nik,
)
from pandu.core.jobs import enqueue
from pandu.core.models import AccessLog, Job
from pandu.regions.models import Area
from pandu.registry import actions
from pandu.registry.forms import (
    HouseholdForm,
    MemberFormSet,
    PersonForm,
    PSKSOrganisationForm,
)
from pandu.registry.models import (
    Household,
    HouseholdBusiness,
    Membership,
    Person,
    PPKSAssignment,
    PPKSCategory,
    PSKSOrganisation,
    PSKSPerson,
    PSKSType,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
EVERYONE = frozenset(PERSONAS)
# Roles that read the registry, and whose area holds Lappara.
SEE_LAPPARA = frozenset(
    {
        "admin_maros",
        "operator_lappara",
        "tksk_moncongloe",
        "social_worker",
        "front_office",
        "auditor",
    }
)
CHANGE_LAPPARA = SEE_LAPPARA - {"auditor"}
# Roles with the registry pages at all (each inside their own area).
REGISTRY_READERS = SEE_LAPPARA | {"operator_bulu", "admin_makassar"}
REGISTRY_WRITERS = CHANGE_LAPPARA | {"operator_bulu", "admin_makassar"}
FIGURE_READERS = EVERYONE - {"partner"}
# Registering in Lappara is refused to users of other areas with the form shown again (200).
OTHER_AREA_FORM_ERROR = {"operator_bulu": 200, "admin_makassar": 200}
# Not part of the matrix: Django's language switch (test_views), the API schema and its docs.
SKIPPED_URL_NAMES = {"set_language", "api-schema", "api-docs"}

NUMBER = {name: i for i, name in enumerate(PERSONAS)}
# A PPKS category per persona that suits the 45-year-old head and is not need-to-know.
CATEGORY_FOR = {
    "admin_maros": 9,
    "operator_lappara": 11,
    "tksk_moncongloe": 12,
    "social_worker": 13,
    "front_office": 20,
}
MONCONGLOE = "73.09.13"
MARISO = "73.71.01"


# --- The records every rule points at -------------------------------------------------------


@dataclass
class World:
    hh: Household
    head: Person
    spouse: Person
    ppks: PPKSAssignment
    org: PSKSOrganisation
    psks_person: PSKSPerson
    mk_hh: Household
    mk_head: Person
    mk_spouse: Person
    mk_ppks: PPKSAssignment
    mk_org: PSKSOrganisation
    mk_psks_person: PSKSPerson
    business: HouseholdBusiness
    mk_business: HouseholdBusiness
    job: Job
    mk_job: Job


def _couple(district, head, spouse, *, spouse_nik_born=None):
    """Head and spouse; the spouse's NIK may carry another birth date (a flagged record)."""
    (head_name, head_born), (spouse_name, spouse_born) = head, spouse
    return [
        {
            "nik": make_nik(district, head_born, "L", 1),
            "full_name": head_name,
            "sex": "L",
            "birth_date": head_born,
            "relationship": 1,
            "marital_status": 2,
        },
        {
            "nik": make_nik(district, spouse_nik_born or spouse_born, "P", 2),
            "full_name": spouse_name,
            "sex": "P",
            "birth_date": spouse_born,
            "relationship": 2,
            "marital_status": 2,
        },
    ]


@pytest.fixture
def world(personas, household_factory, settings, tmp_path) -> World:
    admin, mk_admin = personas["admin_maros"], personas["admin_makassar"]
    karang_taruna = PSKSType.objects.get(number=5)
    psm = PSKSType.objects.get(number=2)
    disability = PPKSCategory.objects.get(number=9)

    hh = household_factory(
        LAPPARA,
        members=_couple(
            MONCONGLOE,
            ("Muhammad Rahman", date(1980, 5, 17)),
            ("Siti Aminah", date(1984, 8, 2)),
            spouse_nik_born=date(1984, 8, 3),
        ),
        address="Dusun Lappara",
        businesses=[{"kind": 1, "sector": 8, "workers": 1, "turnover_monthly": 900_000}],
    )
    head, spouse = hh.members.order_by("relationship")
    mk_hh = household_factory(
        MAKASSAR_VILLAGE,
        members=_couple(
            MARISO,
            ("Andi Makkasau", date(1975, 3, 4)),
            ("Besse Tenri", date(1978, 1, 1)),
            spouse_nik_born=date(1978, 1, 2),
        ),
        businesses=[{"kind": 2, "sector": 3, "workers": 2}],
    )
    mk_head, mk_spouse = mk_hh.members.order_by("relationship")

    def ppks(user, person):
        return actions.assign_ppks(
            user, category=disability, person=person, identified_on=date(2025, 1, 6), source="visit"
        )

    def org(user, area, name):
        return actions.register_psks_organisation(
            user,
            psks_type=karang_taruna,
            area=Area.objects.get(code=area),
            name=name,
            legal_status="belum",
        )

    def psks_person(user, person, area):
        return actions.register_psks_person(
            user, psks_type=psm, person=person, area=Area.objects.get(code=area)
        )

    # A finished import of Bu Rahma's, with its report file, and one of Makassar's admin.
    settings.VAR_DIR = tmp_path
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "laporan-impor.csv").write_text("baris,pesan\n")
    job = enqueue(
        "exchange.import",
        user=personas["operator_lappara"],
        area_code=LAPPARA,
        title="Impor Lappara",
    )
    Job.objects.filter(pk=job.pk).update(result_file="laporan-impor.csv")
    mk_job = enqueue(
        "exchange.import", user=mk_admin, area_code=MAKASSAR_VILLAGE, title="Impor Bontorannu"
    )
    Job.objects.filter(pk=mk_job.pk).update(result_file="laporan-impor.csv")

    return World(
        hh=hh,
        head=head,
        spouse=spouse,
        ppks=ppks(admin, spouse),
        org=org(admin, LAPPARA, "Karang Taruna Lappara Jaya"),
        psks_person=psks_person(admin, head, LAPPARA),
        mk_hh=mk_hh,
        mk_head=mk_head,
        mk_spouse=mk_spouse,
        mk_ppks=ppks(mk_admin, mk_spouse),
        mk_org=org(mk_admin, MAKASSAR_VILLAGE, "Karang Taruna Mariso"),
        mk_psks_person=psks_person(mk_admin, mk_head, MAKASSAR_VILLAGE),
        business=hh.businesses.get(),
        mk_business=mk_hh.businesses.get(),
        job=job,
        mk_job=mk_job,
    )


# --- Bodies a browser or an API client would send -------------------------------------------


def _today() -> str:
    return date.today().strftime("%d-%m-%Y")


def _household_form_body(w: World, p: str) -> dict:
    n = NUMBER[p]
    data = browser_data(
        HouseholdForm(),
        kk_number=make_kk(MONCONGLOE, date(2021, 2, 3), 100 + n),
        village=LAPPARA,
        rt="4",
        rw="2",
    )
    formset = MemberFormSet(prefix="m")
    data.update(browser_data(formset.management_form, TOTAL_FORMS="1"))
    data.update(
        browser_data(
            formset.forms[0],
            nik=make_nik(MONCONGLOE, date(1990, 1, 2), "L", 100 + n),
            full_name="La Ode Baru",
            sex="L",
            birth_date="02-01-1990",
            relationship="1",
            marital_status="1",
        )
    )
    data["reason"] = "Musdes"
    return data


def _household_edit_body(w: World, p: str) -> dict:
    shown = HouseholdForm(instance=Household.objects.get(pk=w.hh.pk), versioned=True)
    data = browser_data(shown, rt=str(10 + NUMBER[p]))
    data["reason"] = "Pindah RT menurut musdes"
    return data


def _member_add_body(w: World, p: str) -> dict:
    data = browser_data(
        PersonForm(),
        nik=make_nik(MONCONGLOE, date(2015, 2, 1), "P", 200 + NUMBER[p]),
        full_name="Nur Aisyah",
        sex="P",
        birth_date="01-02-2015",
        relationship="3",
    )
    data["reason"] = "Kelahiran"
    return data


def _person_edit_body(w: World, p: str) -> dict:
    shown = PersonForm(instance=Person.objects.get(pk=w.head.pk), versioned=True)
    data = browser_data(shown, birth_place=f"Maros {NUMBER[p]}")
    data["reason"] = "Koreksi tempat lahir"
    return data


def _business_body(w: World, p: str) -> dict:
    return {
        "kind": "2",
        "sector": "8",
        "workers": str(NUMBER[p] + 3),
        "turnover_monthly": "1500000",
        "reason": "Pendataan usaha",
    }


def _restore_business(w: World) -> None:
    """The business a POST to the removal page took away, back as it was."""
    for business in (w.business, w.mk_business):
        HouseholdBusiness.objects.get_or_create(
            uid=business.uid,
            defaults={
                "household_id": business.household_id,
                "kind": business.kind,
                "sector": business.sector,
                "workers": business.workers,
            },
        )


def _ppks_add_body(w: World, p: str) -> dict:
    category = PPKSCategory.objects.get(number=CATEGORY_FOR.get(p, 15))
    return {
        "category": str(category.pk),
        "identified_on": "06-01-2025",
        "source": "visit",
        "note": "",
    }


def _psks_org_body(w: World, p: str) -> dict:
    return browser_data(
        PSKSOrganisationForm(),
        psks_type=str(PSKSType.objects.get(number=5).pk),
        name=f"Karang Taruna Baru {NUMBER[p]}",
        area=LAPPARA,
        legal_status="belum",
    )


def _api_household_body(w: World, p: str) -> dict:
    n = NUMBER[p]
    return {
        "kk_number": make_kk(MONCONGLOE, date(2021, 2, 3), 300 + n),
        "village": LAPPARA,
        "rt": 3,
        "rw": 2,
        "reason": "Musdes",
        "members": [
            {
                "nik": make_nik(MONCONGLOE, date(1975, 1, 9), "L", 300 + n),
                "full_name": "Andi Baso",
                "sex": "L",
                "birth_date": "1975-01-09",
                "relationship": 1,
                "marital_status": 2,
            }
        ],
    }


def _api_person_body(w: World, p: str) -> dict:
    return {
        "household": str(w.hh.uid),
        "nik": make_nik(MONCONGLOE, date(2015, 2, 1), "P", 400 + NUMBER[p]),
        "full_name": "Nur Aisyah",
        "sex": "P",
        "birth_date": "2015-02-01",
        "relationship": 3,
        "marital_status": 1,
        "reason": "Kelahiran",
    }


# --- The matrix -----------------------------------------------------------------------------

URL = Callable[[World], str]
Body = Callable[[World, str], dict]


@dataclass(frozen=True)
class Rule:
    """One URL: who gets it, what proves they see the Lappara record, who may POST to it."""

    url: URL
    see: frozenset[str] = frozenset()  # GET answers 200; everyone else 404 (API: nothing)
    get: bool = True  # False: POST only, GET answers 405 to signed-in users
    shows: URL | None = None  # text (API: uid) in the answer exactly for ``shown_to``
    shown_to: frozenset[str] | None = None  # default: ``see``
    hides: URL | None = None  # the Makassar twin's text, only ever shown to admin_makassar
    body: Body | None = None  # a valid POST (or PATCH) body
    change: frozenset[str] = frozenset()  # whose POST succeeds
    writes: bool = True  # False: the POST only reads (search, NIK check)
    method: str = "post"
    ok: int | None = None  # success status; default web 302 (200 if not writes), API 201/200
    refused: dict[str, int] | None = None  # web: refusals that are not 404
    also_refused: frozenset[int] = frozenset()  # API: refusals besides 403/404
    outside: URL | None = None  # the same URL for the Makassar twin
    public: bool = False  # login/logout: tested on their own in test_accounts and below
    reset: Callable[[World], None] | None = None  # put the record back before each POST
    version_of: Callable[[World], object] | None = None  # PATCH: the record's ETag in If-Match


def _u(name: str, *args) -> str:
    return resolve_url(name, *args)


# Background jobs: their creator sees them, and the administrator of the area they belong to.
SEE_LAPPARA_JOB = frozenset({"operator_lappara", "admin_maros"})


def _requeue(w: World) -> None:
    Job.objects.filter(pk=w.job.pk).update(status=Job.Status.QUEUED, cancel_requested=False)


WEB: dict[str, Rule] = {
    "portal:home": Rule(
        lambda w: _u("portal:home"),
        see=EVERYONE,
        shows=lambda w: 'data-figure="households"',
        shown_to=FIGURE_READERS,
    ),
    "core:job_list": Rule(
        lambda w: _u("core:job_list"),
        see=EVERYONE,
        shows=lambda w: "Impor Lappara",
        shown_to=SEE_LAPPARA_JOB,
        hides=lambda w: "Impor Bontorannu",
    ),
    "core:job_detail": Rule(
        lambda w: _u("core:job_detail", w.job.uid),
        see=SEE_LAPPARA_JOB,
        shows=lambda w: "Impor Lappara",
        outside=lambda w: _u("core:job_detail", w.mk_job.uid),
    ),
    "core:job_cancel": Rule(
        lambda w: _u("core:job_cancel", w.job.uid),
        get=False,
        body=lambda w, p: {},
        change=SEE_LAPPARA_JOB,
        reset=_requeue,
        outside=lambda w: _u("core:job_cancel", w.mk_job.uid),
    ),
    "core:job_result": Rule(
        lambda w: _u("core:job_result", w.job.uid),
        see=SEE_LAPPARA_JOB,
        outside=lambda w: _u("core:job_result", w.mk_job.uid),
    ),
    "accounts:login": Rule(lambda w: _u("accounts:login"), public=True),
    "accounts:logout": Rule(lambda w: _u("accounts:logout"), public=True),
    "regions:browse": Rule(
        lambda w: _u("regions:browse"), see=EVERYONE, shows=lambda w: "Sulawesi Selatan"
    ),
    "regions:autocomplete": Rule(
        lambda w: _u("regions:autocomplete") + "?q=lappara&level=4",
        see=EVERYONE,
        shows=lambda w: LAPPARA,
    ),
    "regions:area": Rule(
        lambda w: _u("regions:area", MONCONGLOE), see=EVERYONE, shows=lambda w: "Lappara"
    ),
    "registry:search": Rule(
        lambda w: _u("registry:search"),
        see=REGISTRY_READERS,
        body=lambda w, p: {"q": "moh rahman"},
        change=REGISTRY_READERS,
        writes=False,
        shows=lambda w: "Muhammad Rahman",
        shown_to=SEE_LAPPARA,
    ),
    "registry:household_list": Rule(
        lambda w: _u("registry:household_list"),
        see=REGISTRY_READERS,
        shows=lambda w: w.hh.kk_number,
        shown_to=SEE_LAPPARA,
        hides=lambda w: w.mk_hh.kk_number,
    ),
    "registry:household_create": Rule(
        lambda w: _u("registry:household_create"),
        see=REGISTRY_WRITERS,
        body=_household_form_body,
        change=CHANGE_LAPPARA,
        refused=OTHER_AREA_FORM_ERROR,
    ),
    "registry:household_detail": Rule(
        lambda w: _u("registry:household_detail", w.hh.uid),
        see=SEE_LAPPARA,
        shows=lambda w: "Muhammad Rahman",
        outside=lambda w: _u("registry:household_detail", w.mk_hh.uid),
    ),
    "registry:household_pdf": Rule(
        lambda w: _u("registry:household_pdf", w.hh.uid),
        see=SEE_LAPPARA,
        outside=lambda w: _u("registry:household_pdf", w.mk_hh.uid),
    ),
    "registry:household_edit": Rule(
        lambda w: _u("registry:household_edit", w.hh.uid),
        see=CHANGE_LAPPARA,
        body=_household_edit_body,
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:household_edit", w.mk_hh.uid),
    ),
    "registry:member_add": Rule(
        lambda w: _u("registry:member_add", w.hh.uid),
        see=CHANGE_LAPPARA,
        body=_member_add_body,
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:member_add", w.mk_hh.uid),
    ),
    "registry:business_add": Rule(
        lambda w: _u("registry:business_add", w.hh.uid),
        see=CHANGE_LAPPARA,
        body=_business_body,
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:business_add", w.mk_hh.uid),
    ),
    "registry:business_edit": Rule(
        lambda w: _u("registry:business_edit", w.hh.uid, w.business.uid),
        see=CHANGE_LAPPARA,
        body=_business_body,
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:business_edit", w.mk_hh.uid, w.mk_business.uid),
    ),
    "registry:business_remove": Rule(
        lambda w: _u("registry:business_remove", w.hh.uid, w.business.uid),
        see=CHANGE_LAPPARA,
        body=lambda w, p: {"reason": "Usaha sudah tutup"},
        change=CHANGE_LAPPARA,
        reset=_restore_business,
        outside=lambda w: _u("registry:business_remove", w.mk_hh.uid, w.mk_business.uid),
    ),
    "registry:person_list": Rule(
        lambda w: _u("registry:person_list"),
        see=REGISTRY_READERS,
        shows=lambda w: "Muhammad Rahman",
        shown_to=SEE_LAPPARA,
        hides=lambda w: "Andi Makkasau",
    ),
    "registry:person_detail": Rule(
        lambda w: _u("registry:person_detail", w.head.uid),
        see=SEE_LAPPARA,
        shows=lambda w: "Muhammad Rahman",
        outside=lambda w: _u("registry:person_detail", w.mk_head.uid),
    ),
    "registry:person_pdf": Rule(
        lambda w: _u("registry:person_pdf", w.head.uid),
        see=SEE_LAPPARA,
        outside=lambda w: _u("registry:person_pdf", w.mk_head.uid),
    ),
    "registry:person_edit": Rule(
        lambda w: _u("registry:person_edit", w.head.uid),
        see=CHANGE_LAPPARA,
        body=_person_edit_body,
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:person_edit", w.mk_head.uid),
    ),
    "registry:person_status": Rule(
        lambda w: _u("registry:person_status", w.head.uid),
        see=CHANGE_LAPPARA,
        body=lambda w, p: {"status": "moved", "on": _today(), "reason": "Pindah ke Makassar"},
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:person_status", w.mk_head.uid),
    ),
    "registry:ppks_add": Rule(
        lambda w: _u("registry:ppks_add", "person", w.head.uid),
        see=CHANGE_LAPPARA,
        body=_ppks_add_body,
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:ppks_add", "person", w.mk_head.uid),
    ),
    "registry:ppks_end": Rule(
        lambda w: _u("registry:ppks_end", w.ppks.uid),
        see=CHANGE_LAPPARA,
        body=lambda w, p: {"on": _today(), "reason": "Sudah mandiri"},
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:ppks_end", w.mk_ppks.uid),
    ),
    "registry:flagged": Rule(
        lambda w: _u("registry:flagged"),
        see=REGISTRY_READERS,
        shows=lambda w: "Siti Aminah",
        shown_to=SEE_LAPPARA,
        hides=lambda w: "Besse Tenri",
    ),
    "registry:psks_list": Rule(
        lambda w: _u("registry:psks_list"),
        see=REGISTRY_READERS,
        shows=lambda w: "Karang Taruna Lappara Jaya",
        shown_to=SEE_LAPPARA,
        hides=lambda w: "Karang Taruna Mariso",
    ),
    "registry:psks_org_create": Rule(
        lambda w: _u("registry:psks_org_create"),
        see=REGISTRY_WRITERS,
        body=_psks_org_body,
        change=CHANGE_LAPPARA,
        refused=OTHER_AREA_FORM_ERROR,
    ),
    "registry:psks_person_create": Rule(
        lambda w: _u("registry:psks_person_create", w.head.uid),
        see=CHANGE_LAPPARA,
        body=lambda w, p: {
            "psks_type": str(PSKSType.objects.get(number=2).pk),
            "area": LAPPARA,
            "registration_number": f"SK-{NUMBER[p]}",
            "started_on": "",
        },
        change=CHANGE_LAPPARA,
        outside=lambda w: _u("registry:psks_person_create", w.mk_head.uid),
    ),
    "registry:psks_org_detail": Rule(
        lambda w: _u("registry:psks_org_detail", w.org.uid),
        see=SEE_LAPPARA,
        shows=lambda w: "Karang Taruna Lappara Jaya",
        outside=lambda w: _u("registry:psks_org_detail", w.mk_org.uid),
    ),
    # Checking a NIK's structure looks nothing up, so every signed-in role may use it.
    "registry:nik_tool": Rule(
        lambda w: _u("registry:nik_tool"),
        see=EVERYONE,
        body=lambda w, p: {"nik": w.head.nik},
        change=EVERYONE,
        writes=False,
        shows=lambda w: "NIK sah.",
        shown_to=EVERYONE,
    ),
    # ... but only those who may see the person learn that the NIK is already registered.
    "registry:nik_field_check": Rule(
        lambda w: _u("registry:nik_field_check"),
        get=False,
        body=lambda w, p: {"m-0-nik": w.head.nik},
        change=EVERYONE,
        writes=False,
        shows=lambda w: "sudah terdaftar",
        shown_to=SEE_LAPPARA,
    ),
}

API_V1 = "/api/v1"


def _api(path: str) -> URL:
    return lambda w: API_V1 + path


API: dict[str, Rule] = {
    "api:api-root": Rule(_api("/"), see=EVERYONE),
    "api:nik-check": Rule(
        _api("/nik/check"),
        get=False,
        body=lambda w, p: {"nik": w.head.nik},
        change=EVERYONE,
        writes=False,
    ),
    "api:nik-check-slash": Rule(
        _api("/nik/check/"),
        get=False,
        body=lambda w, p: {"nik": w.head.nik},
        change=EVERYONE,
        writes=False,
    ),
    "api:area-list": Rule(_api("/areas/?q=lappara"), see=EVERYONE, shows=lambda w: LAPPARA),
    "api:area-detail": Rule(_api(f"/areas/{LAPPARA}/"), see=EVERYONE, shows=lambda w: LAPPARA),
    "api:ppks-category-list": Rule(_api("/ppks-categories/"), see=EVERYONE),
    "api:ppks-category-detail": Rule(_api("/ppks-categories/9/"), see=EVERYONE),
    "api:psks-type-list": Rule(_api("/psks-types/"), see=EVERYONE),
    "api:psks-type-detail": Rule(_api("/psks-types/5/"), see=EVERYONE),
    "api:household-list": Rule(
        _api("/households/"),
        see=REGISTRY_READERS,
        shows=lambda w: str(w.hh.uid),
        shown_to=SEE_LAPPARA,
        hides=lambda w: str(w.mk_hh.uid),
        body=_api_household_body,
        change=CHANGE_LAPPARA,
    ),
    "api:household-detail": Rule(
        lambda w: f"{API_V1}/households/{w.hh.uid}/",
        see=SEE_LAPPARA,
        shows=lambda w: str(w.head.uid),
        method="patch",
        version_of=lambda w: w.hh,
        body=lambda w, p: {"rt": 10 + NUMBER[p], "reason": "Pindah RT"},
        change=CHANGE_LAPPARA,
        outside=lambda w: f"{API_V1}/households/{w.mk_hh.uid}/",
    ),
    "api:household-history": Rule(
        lambda w: f"{API_V1}/households/{w.hh.uid}/history/",
        see=SEE_LAPPARA,
        outside=lambda w: f"{API_V1}/households/{w.mk_hh.uid}/history/",
    ),
    "api:person-list": Rule(
        _api("/persons/"),
        see=REGISTRY_READERS,
        shows=lambda w: str(w.head.uid),
        shown_to=SEE_LAPPARA,
        hides=lambda w: str(w.mk_head.uid),
        body=_api_person_body,
        change=CHANGE_LAPPARA,
        # The household named in the body does not exist for users of other areas.
        also_refused=frozenset({400}),
    ),
    "api:person-search": Rule(
        _api("/persons/search/"),
        get=False,
        body=lambda w, p: {"nik": w.head.nik},
        change=EVERYONE,
        writes=False,
        shows=lambda w: str(w.head.uid),
        shown_to=SEE_LAPPARA,
    ),
    "api:person-detail": Rule(
        lambda w: f"{API_V1}/persons/{w.head.uid}/",
        see=SEE_LAPPARA,
        shows=lambda w: str(w.head.uid),
        method="patch",
        version_of=lambda w: w.head,
        body=lambda w, p: {"birth_place": f"Maros {NUMBER[p]}", "reason": "Koreksi"},
        change=CHANGE_LAPPARA,
        outside=lambda w: f"{API_V1}/persons/{w.mk_head.uid}/",
    ),
    "api:person-change-status": Rule(
        lambda w: f"{API_V1}/persons/{w.head.uid}/status/",
        get=False,
        body=lambda w, p: {
            "status": "moved",
            "date": date.today().isoformat(),
            "reason": "Pindah",
        },
        change=CHANGE_LAPPARA,
        ok=200,
        outside=lambda w: f"{API_V1}/persons/{w.mk_head.uid}/status/",
    ),
    "api:person-history": Rule(
        lambda w: f"{API_V1}/persons/{w.head.uid}/history/",
        see=SEE_LAPPARA,
        outside=lambda w: f"{API_V1}/persons/{w.mk_head.uid}/history/",
    ),
    "api:ppks-list": Rule(
        _api("/ppks/"),
        see=REGISTRY_READERS,
        shows=lambda w: str(w.ppks.uid),
        shown_to=SEE_LAPPARA,
        hides=lambda w: str(w.mk_ppks.uid),
        body=lambda w, p: {
            "category": CATEGORY_FOR.get(p, 15),
            "person": str(w.head.uid),
            "identified_on": "2025-01-06",
            "source": "visit",
        },
        change=CHANGE_LAPPARA,
        also_refused=frozenset({400}),
    ),
    "api:psks-organisation-list": Rule(
        _api("/psks/organisations/"),
        see=REGISTRY_READERS,
        shows=lambda w: str(w.org.uid),
        shown_to=SEE_LAPPARA,
        hides=lambda w: str(w.mk_org.uid),
        body=lambda w, p: {
            "psks_type": 5,
            "name": f"Karang Taruna Baru {NUMBER[p]}",
            "area": LAPPARA,
            "legal_status": "belum",
        },
        change=CHANGE_LAPPARA,
    ),
    "api:psks-organisation-detail": Rule(
        lambda w: f"{API_V1}/psks/organisations/{w.org.uid}/",
        see=SEE_LAPPARA,
        shows=lambda w: str(w.org.uid),
        method="patch",
        version_of=lambda w: w.org,
        body=lambda w, p: {"name": f"Karang Taruna Lappara {NUMBER[p]}", "reason": "Ganti nama"},
        change=CHANGE_LAPPARA,
        outside=lambda w: f"{API_V1}/psks/organisations/{w.mk_org.uid}/",
    ),
    "api:psks-person-list": Rule(
        _api("/psks/people/"),
        see=REGISTRY_READERS,
        shows=lambda w: str(w.psks_person.uid),
        shown_to=SEE_LAPPARA,
        hides=lambda w: str(w.mk_psks_person.uid),
        body=lambda w, p: {"psks_type": 2, "person": str(w.head.uid), "area": LAPPARA},
        change=CHANGE_LAPPARA,
        also_refused=frozenset({400}),
    ),
}


# --- Helpers --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _plain_template_rendering(monkeypatch):
    """The matrix reads status codes and page text, never template contexts; without the test
    client's copy of every context for every included template, pages render twice as fast."""

    def _render(self, context):  # Django's own Template._render, before test instrumentation
        return self.nodelist.render(context)

    monkeypatch.setattr(Template, "_render", _render)


def url_patterns() -> tuple[dict[str, str], list[str]]:
    """Every named URL pattern (``namespace:name`` → route) and the routes of unnamed ones."""
    names: dict[str, str] = {}
    unnamed: list[str] = []

    def walk(patterns, namespace: str, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif p.name is None:
                unnamed.append(prefix + str(p.pattern))
            else:
                names.setdefault(namespace + p.name, prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "", "/")
    return names, unnamed


def _namespace(name: str) -> str:
    return name.rpartition(":")[0] or "(root)"


NAMESPACES = sorted({_namespace(n) for n in url_patterns()[0]})


def registry_state() -> tuple:
    """Row counts, history counts and every record's last change: equal means nothing changed."""
    models = (Household, Person, PPKSAssignment, PSKSOrganisation, PSKSPerson)
    return (
        tuple(Job.objects.order_by("id").values_list("id", "status", "cancel_requested")),
        tuple((m.__name__, m.objects.count(), m.history.count()) for m in models),
        tuple(Membership.objects.order_by("id").values_list("id", "ended", "relationship")),
        tuple(
            HouseholdBusiness.objects.order_by("id").values_list(
                "uid", "kind", "sector", "workers", "turnover_monthly"
            )
        ),
        HouseholdBusiness.history.count(),
        tuple(
            sorted(
                (m.__name__, str(uid), updated)
                for m in models
                for uid, updated in m.objects.values_list("uid", "updated_at")
            )
        ),
    )


_HANDLERS: dict[type, object] = {}


def _shared_handler(client):
    """A new test client loads every middleware again (~60 ms, WhiteNoise indexes the static
    files); the requests here share one handler per client class and keep their own cookies."""
    client.handler = _HANDLERS.setdefault(type(client.handler), client.handler)
    return client


def web_client(personas, who: str) -> Client:
    client = _shared_handler(Client())
    if who != ANONYMOUS:
        client.force_login(personas[who])
    return client


def api_client(personas, who: str) -> APIClient:
    client = _shared_handler(APIClient(HTTP_ACCEPT_LANGUAGE="id"))
    if who != ANONYMOUS:
        token = api_token(personas[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def _denial_logged(user, url: str, *, named: bool = False) -> bool:
    """An access-log row for this refusal; ``named``: it names the record that was refused.

    A role refused a page as a whole is logged before any record is looked up, so without one.
    """
    rows = AccessLog.objects.filter(user=user, kind=AccessLog.Kind.DENIED, path=_path(url))
    if named:
        rows = rows.filter(object_uid=str(resolve(_path(url)).kwargs["uid"]))
    return rows.exists()


def _text(response) -> str:
    return response.content.decode("utf-8", "replace")


def _shows_nothing(response) -> bool:
    """An API list that answers 200 to a role without the registry must be empty."""
    if response.status_code in (403, 404):
        return True
    if response.status_code != 200:
        return False
    payload = response.json()
    rows = payload.get("results", payload) if isinstance(payload, dict) else payload
    return rows == []


LOGIN_PATH = resolve_url(settings.LOGIN_URL)
WHO = [*PERSONAS, ANONYMOUS]


# --- The tests ------------------------------------------------------------------------------


def rules_in_app_matrices() -> set[str]:
    """URL names that an app's own ``tests/test_permission_matrix.py`` has rules for.

    An app may keep its matrix next to its code (pandu/services does); every module-level dict
    there keyed by ``namespace:name`` counts as its rules.
    """
    covered: set[str] = set()
    for path in sorted(
        (Path(settings.BASE_DIR) / "pandu").glob("*/tests/test_permission_matrix.py")
    ):
        module_name = ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
        if module_name == __name__:
            continue
        for value in vars(importlib.import_module(module_name)).values():
            if isinstance(value, dict):
                covered |= {k for k in value if isinstance(k, str) and ":" in k}
    return covered


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_url_has_a_rule_in_the_matrix(namespace):
    names = {n for n in url_patterns()[0] if _namespace(n) == namespace} - SKIPPED_URL_NAMES
    missing = sorted(
        n.rpartition(":")[2] for n in names - WEB.keys() - API.keys() - rules_in_app_matrices()
    )
    assert not missing, (
        f"{len(missing)} URLs of {namespace} have no rule in WEB/API of {__name__} (or in the "
        "app's own tests/test_permission_matrix.py); add one per URL saying who sees it and who "
        f"may POST: {', '.join(missing)}"
    )


def test_every_url_pattern_is_named_and_every_rule_is_for_a_url():
    names, unnamed = url_patterns()
    assert not unnamed, f"give these URL patterns a name and a matrix rule: {unnamed}"
    stale = sorted((WEB.keys() | API.keys()) - names.keys())
    assert not stale, f"rules for URL names that no longer exist: {stale}"
    misplaced = [n for n in API if not names[n].startswith("/api/")]
    misplaced += [n for n in WEB if names[n].startswith("/api/")]
    assert not misplaced, f"API rules go in API, page rules in WEB: {misplaced}"


def test_the_persona_groups_follow_the_role_table(personas):
    """The groups above are the spec; if roles.py changes, this points at the matrix to update."""
    assert {p for p in PERSONAS if ROLE_CAPS[PERSONAS[p][0]] >= {Cap.VIEW_REGISTRY}} == (
        REGISTRY_READERS
    )
    assert {p for p in PERSONAS if Cap.CHANGE_REGISTRY in ROLE_CAPS[PERSONAS[p][0]]} == (
        REGISTRY_WRITERS
    )
    assert {p for p in PERSONAS if Cap.VIEW_FIGURES in ROLE_CAPS[PERSONAS[p][0]]} == (
        FIGURE_READERS
    )
    registry_caps = {v for k, v in vars(Cap).items() if k.isupper()}
    assert ROLE_CAPS["partner"] & registry_caps == frozenset()
    assert ROLE_CAPS["head"] & registry_caps == frozenset({Cap.VIEW_FIGURES})


def _check_web_get(failures, rule: Rule, who: str, response, user, world) -> None:
    url = rule.url(world)
    code = response.status_code
    if who == ANONYMOUS:
        if code != 302 or not response["Location"].startswith(LOGIN_PATH):
            failures.append(f"{who}: expected a redirect to {LOGIN_PATH}, got {code}")
        return
    if not rule.get:
        if code != 405:
            failures.append(f"{who}: GET on a POST-only page answered {code}, expected 405")
        return
    if who in rule.see:
        if code != 200:
            failures.append(f"{who}: expected 200, got {code}")
            return
        if rule.shows and not _shows_after_post(rule):
            _check_shows(failures, rule, who, _text(response), world)
    else:
        if code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not _denial_logged(user, url):
            failures.append(f"{who}: 404 without an access-log row of kind 'denied'")


def _shows_after_post(rule: Rule) -> bool:
    """Searches and checks show their answer after the POST, not on the empty page."""
    return rule.body is not None and not rule.writes


def _check_shows(failures, rule: Rule, who: str, text: str, world) -> None:
    shown_to = rule.shown_to if rule.shown_to is not None else rule.see
    needle = rule.shows(world)
    if (needle in text) != (who in shown_to):
        verb = "does not show" if who in shown_to else "shows"
        failures.append(f"{who}: the answer {verb} {needle!r}")
    if rule.hides and who != "admin_makassar" and rule.hides(world) in text:
        failures.append(f"{who}: the answer shows the Makassar record {rule.hides(world)!r}")


@pytest.mark.parametrize("name", sorted(n for n, r in WEB.items() if not r.public))
def test_who_sees_each_page(name, world, personas):
    rule = WEB[name]
    url = rule.url(world)
    failures: list[str] = []
    for who in WHO:
        response = web_client(personas, who).get(url)
        _check_web_get(failures, rule, who, response, personas.get(who), world)
        close_quietly(response)  # a file download keeps its file open until then
    assert not failures, f"GET {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(n for n, r in WEB.items() if r.body))
def test_who_may_post_to_each_page_and_refusals_change_nothing(name, world, personas):
    rule = WEB[name]
    url = rule.url(world)
    ok = rule.ok or (302 if rule.writes else 200)
    failures: list[str] = []
    for who in WHO:
        if rule.reset:
            rule.reset(world)
        before = registry_state()
        body = rule.body(world, who if who != ANONYMOUS else "partner")
        response = web_client(personas, who).post(url, body)
        code = response.status_code
        changed = registry_state() != before
        if who == ANONYMOUS:
            if code != 302 or not response["Location"].startswith(LOGIN_PATH):
                failures.append(f"{who}: expected a redirect to the login page, got {code}")
        elif who in rule.change:
            if code != ok:
                failures.append(f"{who}: expected {ok}, got {code} {_form_errors(response)}")
            elif rule.shows and _shows_after_post(rule):
                _check_shows(failures, rule, who, _text(response), world)
        else:
            expected = (rule.refused or {}).get(who, 404)
            if code != expected:
                failures.append(f"{who}: expected refusal {expected}, got {code}")
            elif code == 404 and not _denial_logged(personas[who], url):
                failures.append(f"{who}: 404 without an access-log row of kind 'denied'")
        if rule.writes and changed != (who in rule.change):
            failures.append(f"{who}: the POST {'changed' if changed else 'did not change'} data")
        if not rule.writes and changed:
            failures.append(f"{who}: a read-only POST changed data")
    assert not failures, f"POST {url}\n" + "\n".join(failures)


def _form_errors(response) -> list[str]:
    """The messages a user would read next to the fields."""
    return re.findall(r'invalid-feedback d-block">([^<]*)<', _text(response)) or re.findall(
        r'alert-danger">(.*?)</div>', _text(response), flags=re.S
    )


@pytest.mark.parametrize("name", sorted(n for n, r in WEB.items() if r.outside))
def test_records_in_makassar_are_hidden_from_everyone_outside(name, world, personas):
    rule = WEB[name]
    url = rule.outside(world)
    failures: list[str] = []
    for who in PERSONAS:
        user = personas[who]
        client = web_client(personas, who)
        if rule.get:
            response = client.get(url)
            code = response.status_code
            close_quietly(response)
            if who == "admin_makassar":
                if code != 200:
                    failures.append(f"{who}: cannot open the record of their own city ({code})")
            elif code != 404:
                failures.append(f"{who}: GET expected 404, got {code}")
            elif not _denial_logged(user, url, named=who in rule.see):
                failures.append(f"{who}: GET 404 without an access-log row naming the record")
        if rule.body and who != "admin_makassar":
            if rule.reset:
                rule.reset(world)
            before = registry_state()
            code = client.post(url, rule.body(world, who)).status_code
            if code != 404:
                failures.append(f"{who}: POST expected 404, got {code}")
            elif not _denial_logged(user, url, named=who in rule.change):
                failures.append(f"{who}: POST 404 without an access-log row naming the record")
            if registry_state() != before:
                failures.append(f"{who}: POST to a Makassar record changed data")
    assert not failures, f"{url}\n" + "\n".join(failures)


# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(API))
def test_who_reads_each_api_endpoint(name, world, personas):
    rule = API[name]
    url = rule.url(world)
    failures: list[str] = []
    for who in WHO:
        response = api_client(personas, who).get(url)
        code = response.status_code
        if who == ANONYMOUS:
            if code != 401:
                failures.append(f"{who}: expected 401, got {code}")
        elif not rule.get:
            if code != 405:
                failures.append(f"{who}: GET on a POST-only endpoint answered {code}, not 405")
        elif who in rule.see:
            if code != 200:
                failures.append(f"{who}: expected 200, got {code}")
            elif rule.shows and not _shows_after_post(rule):
                _check_shows(failures, rule, who, _text(response), world)
        elif rule.outside is None:
            # A list: a role without the registry gets nothing (an empty page, 403 or 404).
            if not _shows_nothing(response):
                failures.append(f"{who}: expected no records, got {code} {_text(response)[:200]}")
            elif rule.shows and rule.shows(world) in _text(response):
                failures.append(f"{who}: the list shows the Lappara record")
        elif code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not _denial_logged(personas[who], url):
            failures.append(f"{who}: 404 without an access-log row of kind 'denied'")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(n for n, r in API.items() if r.body))
def test_who_may_write_through_each_api_endpoint_and_refusals_change_nothing(name, world, personas):
    rule = API[name]
    url = rule.url(world)
    ok = rule.ok or (201 if rule.writes and rule.method == "post" else 200)
    failures: list[str] = []
    for who in WHO:
        before = registry_state()
        body = rule.body(world, who if who != ANONYMOUS else "partner")
        send = getattr(api_client(personas, who), rule.method)
        headers = {}
        if rule.version_of is not None:  # the ETag a client read just before
            record = rule.version_of(world)
            current = type(record)._base_manager.get(pk=record.pk)
            headers["HTTP_IF_MATCH"] = f'"{current.version}"'
        response = send(url, body, format="json", **headers)
        code = response.status_code
        changed = registry_state() != before
        if who == ANONYMOUS:
            if code != 401:
                failures.append(f"{who}: expected 401, got {code}")
        elif who in rule.change:
            if code != ok:
                failures.append(f"{who}: expected {ok}, got {code} {_text(response)[:300]}")
            elif rule.shows and _shows_after_post(rule):
                _check_shows(failures, rule, who, _text(response), world)
        elif code not in {403, 404} | rule.also_refused:
            failures.append(f"{who}: expected a refusal (403/404), got {code}")
        elif code == 404 and not _denial_logged(personas[who], url):
            failures.append(f"{who}: 404 without an access-log row of kind 'denied'")
        if rule.writes and changed != (who in rule.change):
            failures.append(f"{who}: the request {'changed' if changed else 'did not change'} data")
        if not rule.writes and changed:
            failures.append(f"{who}: a read-only request changed data")
    assert not failures, f"{rule.method.upper()} {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(n for n, r in API.items() if r.outside))
def test_api_records_in_makassar_are_hidden_from_everyone_outside(name, world, personas):
    rule = API[name]
    url = rule.outside(world)
    failures: list[str] = []
    for who in PERSONAS:
        client = api_client(personas, who)
        if rule.get:
            code = client.get(url).status_code
            expected = 200 if who == "admin_makassar" else 404
            if code != expected:
                failures.append(f"{who}: GET expected {expected}, got {code}")
            elif code == 404 and not _denial_logged(personas[who], url, named=True):
                failures.append(f"{who}: GET 404 without an access-log row naming the record")
        if rule.body and who != "admin_makassar":
            before = registry_state()
            response = getattr(client, rule.method)(url, rule.body(world, who), format="json")
            if response.status_code != 404:
                failures.append(f"{who}: {rule.method} expected 404, got {response.status_code}")
            if registry_state() != before:
                failures.append(f"{who}: writing to a Makassar record changed data")
    assert not failures, f"{url}\n" + "\n".join(failures)


# --- The roles with the least -----------------------------------------------------------------


def test_head_of_office_sees_the_home_figures_and_no_registry_link(world, personas):
    response = web_client(personas, "head").get(resolve_url("portal:home"))
    text = _text(response)
    assert 'data-figure="households"' in text
    assert 'data-figure="people"' in text
    for name in ("registry:search", "registry:household_list", "registry:person_list"):
        assert f'href="{resolve_url(name)}"' not in text, name
    assert "Daftarkan keluarga baru" not in text


def test_partner_sees_no_figures_and_no_registry_link(world, personas):
    response = web_client(personas, "partner").get(resolve_url("portal:home"))
    text = _text(response)
    assert response.status_code == 200
    assert "data-figure" not in text
    assert "Peran Anda tidak menampilkan data registri" in text
    assert f'href="{resolve_url("registry:household_list")}"' not in text
    assert "Muhammad Rahman" not in text


def test_login_page_is_open_to_visitors_and_sends_signed_in_users_home(world, personas):
    assert Client().get(resolve_url("accounts:login")).status_code == 200
    response = web_client(personas, "operator_lappara").get(resolve_url("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == resolve_url("portal:home")


def test_logout_is_a_post_for_everyone(world, personas):
    for who in PERSONAS:
        client = web_client(personas, who)
        assert client.get(resolve_url("accounts:logout")).status_code == 405, who
        response = client.post(resolve_url("accounts:logout"))
        assert response.status_code == 302, who
        assert client.get(resolve_url("portal:home")).status_code == 302, who
