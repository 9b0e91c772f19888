"""/api/v1/payments/: cycles, entitlements and reconciliation imports."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "payments-api"

router = SimpleRouter()
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("entitlements", views.EntitlementViewSet, basename="entitlement")
router.register("reconciliations", views.ReconciliationViewSet, basename="reconciliation")

urlpatterns = router.urls
