"""The REST API, version 1, mounted at /api/v1/ (see docs/api.md and docs/openapi.yaml)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from pandu.empowerment.api import views as empowerment
from pandu.insurance.api import views as insurance
from pandu.regions.api.views import AreaViewSet
from pandu.registry.api import views as registry

app_name = "api"

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("ppks-categories", registry.PPKSCategoryViewSet, basename="ppks-category")
router.register("psks-types", registry.PSKSTypeViewSet, basename="psks-type")
router.register("households", registry.HouseholdViewSet, basename="household")
router.register("persons", registry.PersonViewSet, basename="person")
router.register("ppks", registry.PPKSAssignmentViewSet, basename="ppks")
router.register(
    "psks/organisations", registry.PSKSOrganisationViewSet, basename="psks-organisation"
)
router.register("psks/people", registry.PSKSPersonViewSet, basename="psks-person")
router.register("empowerment/visits", empowerment.VisitViewSet, basename="empowerment-visit")
router.register("empowerment/plans", empowerment.PlanViewSet, basename="empowerment-plan")
router.register("empowerment/groups", empowerment.GroupViewSet, basename="empowerment-group")
router.register("insurance/providers", insurance.ProviderViewSet, basename="insurance-provider")
router.register("insurance/schemes", insurance.SchemeViewSet, basename="insurance-scheme")
router.register("insurance/members", insurance.MemberViewSet, basename="insurance-member")
router.register("insurance/payments", insurance.PaymentViewSet, basename="insurance-payment")
router.register("insurance/claims", insurance.ClaimViewSet, basename="insurance-claim")

urlpatterns = [
    # Registered without the router's trailing slash, and with it, so neither form redirects.
    path("nik/check", registry.NikCheckView.as_view(), name="nik-check"),
    path("nik/check/", registry.NikCheckSlashView.as_view(), name="nik-check-slash"),
    path("payments/", include("pandu.payments.api.urls")),
    *router.urls,
]
