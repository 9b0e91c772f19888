from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("siklus/baru/", views.cycle_new, name="cycle_new"),
    path("siklus/<uuid:uid>/", views.cycle_detail, name="cycle_detail"),
    path("siklus/<uuid:uid>/hitung/", views.cycle_compute, name="cycle_compute"),
    path("siklus/<uuid:uid>/setujui-dinas/", views.cycle_approve_dinas, name="cycle_approve_dinas"),
    path("siklus/<uuid:uid>/setujui-kepala/", views.cycle_approve_head, name="cycle_approve_head"),
    path("siklus/<uuid:uid>/tutup/", views.cycle_close, name="cycle_close"),
    path(
        "siklus/<uuid:uid>/daftar-bayar/<slug:channel>/<slug:fmt>/",
        views.cycle_export,
        name="cycle_export",
    ),
    path("siklus/<uuid:uid>/hak/", views.entitlement_list, name="entitlement_list"),
    path("siklus/<uuid:uid>/kelompok/", views.group_entitlement_new, name="group_entitlement_new"),
    path("siklus/<uuid:uid>/kewajiban/", views.conditionality, name="conditionality"),
    path(
        "siklus/<uuid:uid>/kewajiban/terapkan/",
        views.conditionality_apply,
        name="conditionality_apply",
    ),
    path("siklus/<uuid:uid>/bayar-ulang/", views.retry_schedule, name="retry_schedule"),
    path("siklus/<uuid:uid>/setor/", views.treasury_return, name="treasury_return"),
    path("hak/<uuid:uid>/", views.entitlement_detail, name="entitlement_detail"),
    path("hak/<uuid:uid>/tahan/", views.entitlement_hold, name="entitlement_hold"),
    path("hak/<uuid:uid>/setujui/", views.entitlement_approve, name="entitlement_approve"),
    path("rekonsiliasi/", views.import_list, name="import_list"),
    path("rekonsiliasi/unggah/", views.import_upload, name="import_upload"),
    path("rekonsiliasi/<uuid:uid>/", views.import_detail, name="import_detail"),
    path("rekonsiliasi/<uuid:uid>/laporan/", views.import_report, name="import_report"),
    path("bayar-ulang/", views.retry_list, name="retry_list"),
    path("dikembalikan/", views.returned_list, name="returned_list"),
]
