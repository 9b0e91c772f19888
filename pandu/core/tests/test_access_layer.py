"""The shared access pieces in core: one capability table, the scoped queryset, the fetch that
logs a refusal, the history stamp and the private-file response."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from pandu.accounts import roles
from pandu.accounts.roles import ROLE_CAPS, Cap, Role, user_can
from pandu.core.access import deny, get_for_user_or_404, require
from pandu.core.files import private_file_response, safe_filename
from pandu.core.history import stamp
from pandu.core.models import AccessLog
from pandu.registry.models import Household, Person
from pandu.services.capabilities import SCap, caseworker_roles, is_caseworker

pytestmark = pytest.mark.django_db


# --- One capability table ---------------------------------------------------------------------


def test_the_service_registers_its_capabilities_into_the_one_role_table():
    assert SCap.INTAKE in ROLE_CAPS[Role.FRONT_OFFICE]
    assert SCap.PARTNER in ROLE_CAPS[Role.PARTNER]
    assert SCap.CASE_ADMIN in ROLE_CAPS[Role.ADMIN]
    # A village operator works on the registry, not in the one-stop service.
    assert ROLE_CAPS[Role.OPERATOR] & set(vars(SCap).values()) == set()
    assert SCap.REPORTS in roles.CAP_LABELS


def test_a_superuser_holds_every_capability_except_a_partner_agencys_inbox(personas):
    boss = personas["admin_maros"]
    boss.is_superuser = True
    assert boss.can(Cap.DECIDE)
    assert boss.can(SCap.CASE_ADMIN)
    assert not boss.can(SCap.PARTNER)
    assert personas["partner"].can(SCap.PARTNER)


def test_nobody_signed_out_or_switched_off_holds_anything(personas):
    assert not user_can(None, Cap.VIEW_REGISTRY)
    assert not user_can(AnonymousUser(), Cap.VIEW_REGISTRY)
    operator = personas["operator_lappara"]
    operator.is_active = False
    assert not operator.can(Cap.VIEW_REGISTRY)


def test_caseworkers_are_the_roles_holding_the_assignable_capability(personas):
    assert caseworker_roles() == {Role.SOCIAL_WORKER, Role.TKSK, Role.ADMIN}
    assert is_caseworker(personas["tksk_moncongloe"])
    front = personas["front_office"]
    front.is_superuser = True  # being a superuser does not make one a caseworker
    assert not is_caseworker(front)


def test_registering_refuses_unnamed_capabilities_unknown_roles_and_a_second_meaning():
    with pytest.raises(ValueError, match="without a label"):
        roles.register({}, {Role.HEAD: {"test.unnamed"}})
    with pytest.raises(ValueError, match="no such roles"):
        roles.register({"test.x": "x"}, {"janitor": {"test.x"}})
    with pytest.raises(ValueError, match="another meaning"):
        roles.register({SCap.INTAKE: "something else"}, {})
    assert "test.x" not in roles.CAP_LABELS


# --- The scoped queryset ----------------------------------------------------------------------


def test_records_are_visible_inside_the_users_area_and_for_roles_that_may(
    personas, household_factory
):
    hh = household_factory()
    assert Household.objects.visible_to(personas["operator_lappara"]).filter(pk=hh.pk).exists()
    assert not Household.objects.visible_to(personas["operator_bulu"]).exists()
    assert not Household.objects.visible_to(personas["partner"]).exists()  # role: no registry
    assert not Person.objects.visible_to(AnonymousUser()).exists()
    # The area alone, whatever the role: figures for the head of office.
    assert Household.objects.in_scope_of(personas["head"]).filter(pk=hh.pk).exists()
    assert Person.objects.restrict(personas["auditor"], "view").exists()
    assert not Person.objects.restrict(personas["auditor"], "change").exists()


# --- Fetch or 404, and log --------------------------------------------------------------------


def _request(user, path="/x/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_a_record_outside_the_area_is_a_404_that_names_it_in_the_access_log(
    personas, household_factory
):
    hh = household_factory()
    bulu = personas["operator_bulu"]
    request = _request(bulu, "/registri/keluarga/x/")
    with pytest.raises(Http404):
        get_for_user_or_404(request, Household.objects.visible_to(bulu), uid=hh.uid)
    row = AccessLog.objects.get(user=bulu, kind=AccessLog.Kind.DENIED)
    assert row.object_uid == str(hh.uid)
    assert row.path == "/registri/keluarga/x/"
    lappara = personas["operator_lappara"]
    found = get_for_user_or_404(
        _request(lappara), Household.objects.visible_to(lappara), uid=hh.uid
    )
    assert found == hh


def test_a_malformed_or_unknown_id_is_a_404_without_a_log_row(personas):
    user = personas["operator_lappara"]
    for uid in ("not-a-uuid", "6f1c1f7e-0000-4000-8000-000000000000"):
        with pytest.raises(Http404):
            get_for_user_or_404(_request(user), Household.objects.visible_to(user), uid=uid)
    assert not AccessLog.objects.exists()


def test_a_page_the_role_may_not_use_is_a_logged_404(personas):
    partner = personas["partner"]
    with pytest.raises(Http404):
        require(_request(partner), Cap.VIEW_REGISTRY)
    assert AccessLog.objects.get(user=partner).detail == "role lacks registry.view"
    require(_request(personas["auditor"]), Cap.VIEW_REGISTRY)  # no exception
    with pytest.raises(Http404):
        deny(_request(partner), "no reason to be here")
    assert AccessLog.objects.filter(user=partner, kind=AccessLog.Kind.DENIED).count() == 2


# --- The history stamp ------------------------------------------------------------------------


def test_the_stamp_puts_the_user_and_the_reason_on_the_next_history_row(
    personas, household_factory
):
    hh = household_factory()
    operator = personas["operator_lappara"]
    hh.rt = 7
    stamp(hh, operator, "Pindah RT").save()
    last = hh.history.latest("history_id")
    assert last.history_user == operator
    assert last.history_change_reason == "Pindah RT"


# --- The private-file response ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4", iter([b"a;b\n", b"1;2\n"])],
    ids=["bytes", "stream"],
)
def test_a_private_file_is_never_cached_never_sniffed_and_always_saved(content):
    response = private_file_response(
        content, filename="surat-rujukan-1.pdf", content_type="application/pdf"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="surat-rujukan-1.pdf"'


def test_an_open_file_is_sent_as_a_private_download_typed_by_its_name(tmp_path):
    path = tmp_path / "laporan.csv"
    path.write_bytes(b"nik;alasan\n")
    response = private_file_response(path.open("rb"), filename=path.name)
    assert response["Content-Type"] == "text/csv"
    assert b"".join(response.streaming_content) == b"nik;alasan\n"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.csv"'
    assert response["Cache-Control"] == "private, no-store"
    response.close()


@pytest.mark.parametrize(
    ("given", "saved"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\dinsos\\Berita Acara.pdf", "Berita-Acara.pdf"),
        ('lampiran"\r\nSet-Cookie: x=1.pdf', "lampiran-Set-Cookie-x-1.pdf"),
        ("Surat Pernyataan Ibu Nurhayati Daéng.docx", "Surat-Pernyataan-Ibu-Nurhayati-Daeng.docx"),
        ("...", "berkas"),
        ("", "berkas"),
        ("a" * 300 + ".xlsx", "a" * 145 + ".xlsx"),
    ],
)
def test_a_download_name_cannot_break_the_header_or_climb_out_of_a_folder(given, saved):
    assert safe_filename(given) == saved
