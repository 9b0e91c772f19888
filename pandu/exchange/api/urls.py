from django.urls import path

from . import views

app_name = "exchange-api"
urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="import-list"),
    path("imports/<uuid:uid>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("exports/", views.ExportJobView.as_view(), name="export-create"),
    path("exports/persons/", views.PersonExportView.as_view(), name="export-persons"),
    path("exports/households/", views.HouseholdExportView.as_view(), name="export-households"),
]
