from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("impor/", views.import_upload, name="import_upload"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("impor/<uuid:uid>/", views.import_detail, name="import_detail"),
    path("impor/<uuid:uid>/lanjutkan/", views.import_resume, name="import_resume"),
    path("impor/<uuid:uid>/laporan/", views.import_report, name="import_report"),
    path("ekspor/penduduk/", views.export, {"kind": "persons"}, name="export_persons"),
    path("ekspor/keluarga/", views.export, {"kind": "households"}, name="export_households"),
]
