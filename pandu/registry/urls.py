from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("cari/", views.search, name="search"),
    path("keluarga/", views.household_list, name="household_list"),
    path("keluarga/baru/", views.household_create, name="household_create"),
    path("keluarga/<uuid:uid>/", views.household_detail, name="household_detail"),
    path("keluarga/<uuid:uid>/profil.pdf", views.household_pdf, name="household_pdf"),
    path("keluarga/<uuid:uid>/ubah/", views.household_edit, name="household_edit"),
    path("keluarga/<uuid:uid>/anggota/", views.member_add, name="member_add"),
    path("keluarga/<uuid:uid>/usaha/baru/", views.business_add, name="business_add"),
    path(
        "keluarga/<uuid:uid>/usaha/<uuid:business_uid>/ubah/",
        views.business_edit,
        name="business_edit",
    ),
    path(
        "keluarga/<uuid:uid>/usaha/<uuid:business_uid>/hapus/",
        views.business_remove,
        name="business_remove",
    ),
    path("penduduk/", views.person_list, name="person_list"),
    path("penduduk/<uuid:uid>/", views.person_detail, name="person_detail"),
    path("penduduk/<uuid:uid>/profil.pdf", views.person_pdf, name="person_pdf"),
    path("penduduk/<uuid:uid>/nik/", views.person_nik_reveal, name="person_nik_reveal"),
    path("penduduk/<uuid:uid>/ubah/", views.person_edit, name="person_edit"),
    path("penduduk/<uuid:uid>/status/", views.person_status, name="person_status"),
    path("ppks/<str:kind>/<uuid:uid>/tambah/", views.ppks_add, name="ppks_add"),
    path("ppks/<uuid:uid>/akhiri/", views.ppks_end, name="ppks_end"),
    path("perlu-diperiksa/", views.flagged, name="flagged"),
    path("psks/", views.psks_list, name="psks_list"),
    path("psks/lembaga/baru/", views.psks_org_create, name="psks_org_create"),
    path("psks/perorangan/<uuid:uid>/baru/", views.psks_person_create, name="psks_person_create"),
    path("psks/lembaga/<uuid:uid>/", views.psks_org_detail, name="psks_org_detail"),
    path("alat/cek-nik/", views.nik_tool, name="nik_tool"),
    path("alat/cek-nik/isian/", views.nik_field_check, name="nik_field_check"),
]
