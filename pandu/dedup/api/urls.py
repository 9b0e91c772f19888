"""/api/v1/dedup/: pairs (list, retrieve, confirm, dismiss) and merges (list, retrieve, undo)."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "dedup-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("pairs", views.PairViewSet, basename="pair")
router.register("merges", views.MergeViewSet, basename="merge")

urlpatterns = router.urls
