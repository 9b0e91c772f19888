"""The one-stop service's API, mounted at /api/v1/services/ (see docs/services.md)."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "services-api"

router = SimpleRouter()
router.register("intakes", views.IntakeViewSet, basename="intake")
router.register("cases", views.CaseViewSet, basename="case")
router.register("referrals", views.ReferralViewSet, basename="referral")

urlpatterns = router.urls
