from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("baru/", views.batch_create, name="batch_create"),
    path("saya/", views.my_items, name="my_items"),
    path("verifikasi/", views.verify_queue, name="verify_queue"),
    path("penetapan/", views.decide_list, name="decide_list"),
    path("laporan/", views.report, name="report"),
    path("laporan/unduh/", views.report_xlsx_view, name="report_xlsx"),
    path("serah-terima/", views.handover_list, name="handover_list"),
    path("serah-terima/<uuid:uid>/", views.handover_detail, name="handover_detail"),
    path("<uuid:uid>/", views.batch_detail, name="batch_detail"),
    path("<uuid:uid>/berita-acara/", views.batch_minutes, name="batch_minutes"),
    path("<uuid:uid>/penetapan.pdf", views.batch_decisions_pdf, name="batch_decisions_pdf"),
    path("<uuid:uid>/ajukan/", views.batch_submit, name="batch_submit"),
    path("<uuid:uid>/pilih/", views.batch_pick, name="batch_pick"),
    path("<uuid:uid>/tambah/keluarga-baru/", views.item_add_household, name="item_add_household"),
    path("<uuid:uid>/tambah/<str:kind>/<uuid:subject>/", views.item_add, name="item_add"),
    path("butir/<uuid:uid>/", views.item_detail, name="item_detail"),
    path("butir/<uuid:uid>/foto/", views.item_photo, name="item_photo"),
    path("butir/<uuid:uid>/verifikasi/", views.item_verify, name="item_verify"),
    path("butir/<uuid:uid>/jadwal/", views.item_plan, name="item_plan"),
    path("butir/<uuid:uid>/tetapkan/", views.item_decide, name="item_decide"),
    path("butir/<uuid:uid>/pilih-nilai/", views.item_resolve, name="item_resolve"),
    path("butir/<uuid:uid>/terapkan/", views.item_apply, name="item_apply"),
    path("butir/<uuid:uid>/hapus/", views.item_remove, name="item_remove"),
]
