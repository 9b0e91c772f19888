"""Proposals API, mounted at /api/v1/proposals/ (see docs/proposals.md)."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "proposals-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("batches", views.BatchViewSet, basename="proposal-batch")
router.register("items", views.ItemViewSet, basename="proposal-item")
router.register("handovers", views.HandoverViewSet, basename="proposal-handover")

urlpatterns = router.urls
