import pytest

from pandu.programs.models import (
    Activity,
    FundingLine,
    Implementer,
    IntegratedProgramme,
    MonitoringPlan,
)

pytestmark = pytest.mark.django_db


def test_the_coordinator_and_the_head_see_the_whole_programme(personas, moncongloe):
    for name in ("admin_maros", "head"):
        user = personas[name]
        assert list(IntegratedProgramme.objects.visible_to(user)) == [moncongloe]
        assert Implementer.objects.visible_to(user).count() == 6
        assert Activity.objects.visible_to(user).count() == 8
        assert FundingLine.objects.visible_to(user).count() == 6


def test_a_focal_point_sees_only_its_own_implementers_activities(personas, moncongloe, ipsi):
    partner = personas["partner"]
    assert list(IntegratedProgramme.objects.visible_to(partner)) == [moncongloe]
    assert list(Implementer.objects.visible_to(partner)) == [ipsi]
    activities = Activity.objects.visible_to(partner)
    assert [a.implementer_id for a in activities] == [ipsi.pk]
    assert activities.get().target_quantity == 70
    assert set(FundingLine.objects.visible_to(partner).values_list("implementer", flat=True)) == {
        ipsi.pk
    }
    # The M&E plan is the whole programme's: every implementer works to it.
    assert MonitoringPlan.objects.visible_to(partner).count() == 3


def test_a_focal_point_updates_only_its_own_activities(personas, moncongloe, ipsi):
    tksk = personas["tksk_moncongloe"]
    work = Activity.objects.restrict(tksk, "work")
    assert {a.implementer.organisation.short_name for a in work} == {
        "Dinas Sosial Nakertrans Maros"
    }
    assert (
        not Activity.objects.restrict(personas["partner"], "work")
        .exclude(implementer=ipsi)
        .exists()
    )


def test_the_head_reads_but_does_not_work_on_activities(personas, moncongloe):
    assert Activity.objects.visible_to(personas["head"]).exists()
    assert not Activity.objects.restrict(personas["head"], "work").exists()


def test_nobody_of_maros_sees_a_makassar_programme(personas, moncongloe, makassar_programme):
    for name in ("admin_maros", "head", "partner", "tksk_moncongloe", "auditor"):
        assert makassar_programme not in IntegratedProgramme.objects.visible_to(personas[name])
    assert list(IntegratedProgramme.objects.visible_to(personas["admin_makassar"])) == [
        makassar_programme
    ]


def test_roles_without_the_link_or_the_capability_see_nothing(personas, moncongloe):
    for name in ("operator_lappara", "front_office", "social_worker"):
        assert not IntegratedProgramme.objects.visible_to(personas[name]).exists()
        assert not Activity.objects.visible_to(personas[name]).exists()
