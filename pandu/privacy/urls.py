"""The personal-data pages at ``/pdp/`` (pelindungan data pribadi)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    # A person's consents, restrictions and requests.
    path("penduduk/<uuid:uid>/", views.person_privacy, name="person"),
    path("penduduk/<uuid:person>/persetujuan/baru/", views.consent_create, name="consent_create"),
    path("penduduk/<uuid:person>/permintaan/baru/", views.request_create, name="request_create"),
    path("persetujuan/<uuid:uid>/cabut/", views.consent_withdraw, name="consent_withdraw"),
    path("persetujuan/<uuid:uid>/formulir/", views.consent_document, name="consent_document"),
    path("pembatasan/<uuid:uid>/cabut/", views.restriction_lift, name="restriction_lift"),
    # Data subjects' requests.
    path("permintaan/", views.request_list, name="request_list"),
    path("permintaan/<uuid:uid>/", views.request_detail, name="request_detail"),
    path(
        "permintaan/<uuid:uid>/tanda-terima/", views.request_acknowledge, name="request_acknowledge"
    ),
    path("permintaan/<uuid:uid>/identitas/", views.request_identity, name="request_identity"),
    path("permintaan/<uuid:uid>/petugas/", views.request_assign, name="request_assign"),
    path("permintaan/<uuid:uid>/salinan/<str:fmt>/", views.request_export, name="request_export"),
    path("permintaan/<uuid:uid>/perbaikan/", views.request_correct, name="request_correct"),
    path("permintaan/<uuid:uid>/peninjauan/", views.request_review, name="request_review"),
    path("permintaan/<uuid:uid>/usulan/", views.request_propose, name="request_propose"),
    path("permintaan/<uuid:uid>/keputusan/", views.request_decide, name="request_decide"),
    path("permintaan/<uuid:uid>/selesai/", views.request_complete, name="request_complete"),
    path("permintaan/<uuid:uid>/tolak/", views.request_refuse, name="request_refuse"),
    path("permintaan/<uuid:uid>/batal/", views.request_withdraw, name="request_withdraw"),
    # Retention.
    path("masa-simpan/", views.review_list, name="review_list"),
    path("masa-simpan/periksa/", views.review_scan, name="review_scan"),
    path("masa-simpan/<uuid:uid>/", views.review_detail, name="review_detail"),
    path("masa-simpan/ketentuan/", views.rule_list, name="rule_list"),
    path("masa-simpan/ketentuan/baru/", views.rule_create, name="rule_create"),
    # Breaches.
    path("insiden/", views.breach_list, name="breach_list"),
    path("insiden/baru/", views.breach_create, name="breach_create"),
    path("insiden/<uuid:uid>/", views.breach_detail, name="breach_detail"),
    path("insiden/<uuid:uid>/ubah/", views.breach_edit, name="breach_edit"),
    path("insiden/<uuid:uid>/pemberitahuan/", views.breach_notice, name="breach_notice"),
    path("insiden/<uuid:uid>/tutup/", views.breach_close, name="breach_close"),
]
