from django.urls import path

from . import views

app_name = "insurance"

urlpatterns = [
    # Providers and accreditation
    path("", views.provider_list, name="provider_list"),
    path("penyelenggara/baru/", views.provider_create, name="provider_create"),
    path("penyelenggara/<uuid:uid>/", views.provider_detail, name="provider_detail"),
    path("penyelenggara/<uuid:uid>/ubah/", views.provider_edit, name="provider_edit"),
    path("penyelenggara/<uuid:uid>/petugas/", views.staff_link, name="staff_link"),
    path(
        "penyelenggara/<uuid:uid>/petugas/<uuid:user_uid>/lepas/",
        views.staff_unlink,
        name="staff_unlink",
    ),
    path(
        "penyelenggara/<uuid:uid>/akreditasi/",
        views.accreditation_open,
        name="accreditation_open",
    ),
    path("penyelenggara/<uuid:uid>/skema/baru/", views.scheme_create, name="scheme_create"),
    path("akreditasi/<uuid:uid>/", views.accreditation_detail, name="accreditation_detail"),
    path(
        "akreditasi/<uuid:uid>/keputusan/",
        views.accreditation_decide,
        name="accreditation_decide",
    ),
    path("akreditasi/<uuid:uid>/cabut/", views.accreditation_revoke, name="accreditation_revoke"),
    path(
        "akreditasi/<uuid:uid>/butir/<slug:criterion>/bukti/",
        views.item_evidence,
        name="item_evidence",
    ),
    path(
        "akreditasi/<uuid:uid>/butir/<slug:criterion>/berkas/",
        views.item_file,
        name="item_file",
    ),
    path(
        "akreditasi/<uuid:uid>/butir/<slug:criterion>/periksa/",
        views.item_review,
        name="item_review",
    ),
    # Schemes
    path("skema/<uuid:uid>/", views.scheme_detail, name="scheme_detail"),
    path("skema/<uuid:uid>/ketentuan/", views.terms_add, name="terms_add"),
    path(
        "skema/<uuid:uid>/ketentuan/<str:valid_from>/batal/",
        views.terms_withdraw,
        name="terms_withdraw",
    ),
    path("skema/<uuid:uid>/status/", views.scheme_active, name="scheme_active"),
    # Members
    path("peserta/", views.member_list, name="member_list"),
    path("peserta/daftar/", views.member_enrol, name="member_enrol"),
    path("peserta/<uuid:uid>/", views.member_detail, name="member_detail"),
    path("peserta/<uuid:uid>/berakhir/", views.member_end, name="member_end"),
    path("peserta/<uuid:uid>/pulihkan/", views.member_reinstate, name="member_reinstate"),
    path("peserta/<uuid:uid>/kartu/", views.member_card, name="member_card"),
    path("peserta/<uuid:uid>/bayar/", views.payment_record, name="payment_record"),
    path("peserta/<uuid:uid>/klaim/", views.claim_file, name="claim_file"),
    path("kartu/<str:token>/", views.card_check, name="card_check"),
    # Premiums
    path("iuran/", views.payment_list, name="payment_list"),
    path("iuran/<uuid:uid>/kuitansi/", views.payment_receipt, name="payment_receipt"),
    path("iuran/pengingat/", views.reminders, name="reminders"),
    path("iuran/pengingat/xlsx/", views.reminders_xlsx, name="reminders_xlsx"),
    path("iuran/impor/", views.import_list, name="import_list"),
    path("iuran/impor/<uuid:uid>/", views.import_detail, name="import_detail"),
    path("iuran/impor/<uuid:uid>/laporan/", views.import_report, name="import_report"),
    # Claims
    path("klaim/", views.claim_list, name="claim_list"),
    path("klaim/<uuid:uid>/", views.claim_detail, name="claim_detail"),
    path("klaim/<uuid:uid>/dokumen/", views.claim_document_add, name="claim_document_add"),
    path("klaim/<uuid:uid>/keputusan/", views.claim_decide, name="claim_decide"),
    path("klaim/<uuid:uid>/bayar/", views.claim_pay, name="claim_pay"),
    path("klaim/<uuid:uid>/kuitansi/", views.claim_receipt, name="claim_receipt"),
    path(
        "klaim/<uuid:uid>/layanan-keluarga/",
        views.claim_family_case,
        name="claim_family_case",
    ),
    path("klaim/dokumen/<uuid:uid>/", views.claim_document, name="claim_document"),
    # Providers' books
    path("buku/", views.books, name="books"),
    path("buku/xlsx/", views.books_xlsx, name="books_xlsx"),
    path("buku/pdf/", views.books_pdf, name="books_pdf"),
    path("buku/<uuid:uid>/", views.book_detail, name="book_detail"),
]
