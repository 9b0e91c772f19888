from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("katalog/baru/", views.programme_create, name="programme_create"),
    path("katalog/<str:code>/", views.programme_detail, name="programme_detail"),
    path("katalog/<str:code>/ubah/", views.programme_edit, name="programme_edit"),
    path("katalog/<str:code>/nilai/", views.amount_add, name="amount_add"),
    path("katalog/<str:code>/nilai/akhiri/", views.amount_end, name="amount_end"),
    path("lembaga/", views.organisation_list, name="organisation_list"),
    path("lembaga/baru/", views.organisation_create, name="organisation_create"),
    path("lembaga/<uuid:uid>/ubah/", views.organisation_edit, name="organisation_edit"),
    path("terpadu/", views.integrated_list, name="integrated_list"),
    path("terpadu/baru/", views.integrated_create, name="integrated_create"),
    path("terpadu/<uuid:uid>/", views.integrated_detail, name="integrated_detail"),
    path("terpadu/<uuid:uid>/ubah/", views.integrated_edit, name="integrated_edit"),
    path("terpadu/<uuid:uid>/pelaksana/", views.implementer_add, name="implementer_add"),
    path("terpadu/<uuid:uid>/laporan/", views.report_add, name="report_add"),
    path("terpadu/<uuid:uid>/dana/", views.funding_add, name="funding_add"),
    path("terpadu/<uuid:uid>/rencana-me/", views.plan_add, name="plan_add"),
    path("pelaksana/<uuid:uid>/penanggung-jawab/", views.focal_point_add, name="focal_point_add"),
    path(
        "pelaksana/<uuid:uid>/penanggung-jawab/akhiri/",
        views.focal_point_end,
        name="focal_point_end",
    ),
    path("pelaksana/<uuid:uid>/kegiatan-baru/", views.activity_create, name="activity_create"),
    path("kegiatan/<uuid:uid>/", views.activity_detail, name="activity_detail"),
    path("kegiatan/<uuid:uid>/perkembangan/", views.activity_progress, name="activity_progress"),
    path("kegiatan/<uuid:uid>/peserta/", views.participant_add, name="participant_add"),
    path(
        "kegiatan/<uuid:uid>/kehadiran/",
        views.participant_attendance,
        name="participant_attendance",
    ),
    path("dana/<uuid:uid>/realisasi/", views.realisation_add, name="realisation_add"),
    path("realisasi/<uuid:uid>/bukti/", views.evidence_download, name="evidence_download"),
    path("laporan/<uuid:uid>/berkas/", views.report_file, name="report_file"),
    path("kpm/", views.enrolment_list, name="enrolment_list"),
    path("kpm/calon/", views.enrolment_candidates, name="enrolment_candidates"),
    path("kpm/penetapan/", views.enrolment_decree, name="enrolment_decree"),
    path("kpm/cetak/<str:code>/", views.enrolment_print, name="enrolment_print"),
    path("kpm/kuota/", views.quota_list, name="quota_list"),
    path("kpm/<uuid:uid>/", views.enrolment_detail, name="enrolment_detail"),
    path("kpm/<uuid:uid>/verifikasi/", views.enrolment_verify, name="enrolment_verify"),
    path("kpm/<uuid:uid>/dinas/", views.enrolment_dinas, name="enrolment_dinas"),
    path("kpm/<uuid:uid>/status/", views.enrolment_status, name="enrolment_status"),
    path("kpm/<uuid:uid>/tolak/", views.enrolment_reject, name="enrolment_reject"),
]
