"""Web pages of the one-stop service, mounted at /layanan/. Public pages are under publik/."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from pandu.notifications.views import notification_read_all

from . import views

app_name = "services"
urlpatterns = [
    path("", views.home, name="home"),
    # Service points
    path("titik/", views.point_list, name="point_list"),
    path("titik/baru/", views.point_create, name="point_create"),
    path("titik/<uuid:uid>/", views.point_detail, name="point_detail"),
    path("titik/<uuid:uid>/ubah/", views.point_edit, name="point_edit"),
    path("titik/<uuid:uid>/petugas/", views.staff_add, name="staff_add"),
    path("titik/<uuid:uid>/petugas/akhiri/", views.staff_end, name="staff_end"),
    # Partners
    path("mitra/", views.partner_list, name="partner_list"),
    path("mitra/baru/", views.partner_create, name="partner_create"),
    path("mitra/<uuid:uid>/", views.partner_detail, name="partner_detail"),
    path("mitra/<uuid:uid>/ubah/", views.partner_edit, name="partner_edit"),
    path("mitra/<uuid:uid>/layanan/baru/", views.service_create, name="service_create"),
    path("mitra/<uuid:uid>/anggota/", views.member_add, name="member_add"),
    path("mitra/<uuid:uid>/anggota/akhiri/", views.member_end, name="member_end"),
    path("layanan-mitra/<uuid:uid>/ubah/", views.service_edit, name="service_edit"),
    # Agreements
    path("perjanjian/", views.agreement_list, name="agreement_list"),
    path("perjanjian/baru/", views.agreement_create, name="agreement_create"),
    path("perjanjian/<uuid:uid>/", views.agreement_detail, name="agreement_detail"),
    path("perjanjian/<uuid:uid>/dokumen/", views.agreement_document, name="agreement_document"),
    path("perjanjian/<uuid:uid>/unggah/", views.agreement_upload, name="agreement_upload"),
    path("perjanjian/<uuid:uid>/perpanjang/", views.agreement_extend, name="agreement_extend"),
    path("perjanjian/<uuid:uid>/akhiri/", views.agreement_terminate, name="agreement_terminate"),
    path("hari-libur/", views.holidays, name="holidays"),
    path("hari-libur/hapus/", views.holiday_delete, name="holiday_delete"),
    # Intake
    path("pengaduan/", views.intake_list, name="intake_list"),
    path("pengaduan/baru/", views.intake_create, name="intake_create"),
    path("pengaduan/cari-penduduk/", views.person_search, name="person_search"),
    path("pengaduan/<uuid:uid>/", views.intake_detail, name="intake_detail"),
    path("pengaduan/<uuid:uid>/alasan/", views.intake_reason, name="intake_reason"),
    path("pengaduan/<uuid:uid>/tanda-terima/", views.intake_receipt, name="intake_receipt"),
    path("pengaduan/<uuid:uid>/tangani/", views.intake_open_case, name="intake_open_case"),
    path("pengaduan/<uuid:uid>/selesai/", views.intake_resolve, name="intake_resolve"),
    path("pengaduan/<uuid:uid>/antrean/", views.intake_queue, name="intake_queue"),
    path("antrean/", views.queue, name="queue"),
    # Cases
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/<uuid:uid>/", views.case_detail, name="case_detail"),
    path("kasus/<uuid:uid>/ringkasan.pdf", views.case_pdf, name="case_pdf"),
    path("kasus/<uuid:uid>/alasan/", views.case_reason, name="case_reason"),
    path("kasus/<uuid:uid>/tugaskan/", views.case_assign, name="case_assign"),
    path("kasus/<uuid:uid>/asesmen/<str:area>/", views.case_assessment, name="case_assessment"),
    path("kasus/<uuid:uid>/rencana/", views.case_plan_summary, name="case_plan_summary"),
    path("kasus/<uuid:uid>/rencana/tujuan/", views.case_goal_add, name="case_goal_add"),
    path("kasus/<uuid:uid>/rencana/kegiatan/", views.case_action_add, name="case_action_add"),
    path(
        "kasus/<uuid:uid>/rencana/kegiatan/selesai/",
        views.case_action_done,
        name="case_action_done",
    ),
    path("kasus/<uuid:uid>/rencana/ajukan/", views.case_plan_submit, name="case_plan_submit"),
    path("kasus/<uuid:uid>/rencana/putuskan/", views.case_plan_decide, name="case_plan_decide"),
    path("kasus/<uuid:uid>/catatan/", views.case_note_add, name="case_note_add"),
    path("kasus/<uuid:uid>/tindak-lanjut/", views.case_task_add, name="case_task_add"),
    path("kasus/<uuid:uid>/k3/", views.case_counselling, name="case_counselling"),
    path("kasus/<uuid:uid>/tutup/", views.case_close, name="case_close"),
    path("kasus/<uuid:uid>/tutup/putuskan/", views.case_close_decide, name="case_close_decide"),
    path("kasus/<uuid:uid>/buka-kembali/", views.case_reopen, name="case_reopen"),
    path("kasus/<uuid:uid>/rujuk/", views.referral_create, name="referral_create"),
    path("tindak-lanjut/<uuid:uid>/selesai/", views.task_done, name="task_done"),
    path("terlambat/", views.overdue, name="overdue"),
    # Referrals, staff side
    path("rujukan/<uuid:uid>/", views.referral_detail, name="referral_detail"),
    path("rujukan/<uuid:uid>/ubah/", views.referral_edit, name="referral_edit"),
    path("rujukan/<uuid:uid>/persetujuan/", views.referral_consent, name="referral_consent"),
    path("rujukan/<uuid:uid>/lampiran/", views.referral_attach, name="referral_attach"),
    path("rujukan/<uuid:uid>/kirim/", views.referral_send, name="referral_send"),
    path("rujukan/<uuid:uid>/tarik/", views.referral_withdraw, name="referral_withdraw"),
    path("rujukan/<uuid:uid>/surat/", views.referral_letter, name="referral_letter"),
    path("lampiran/<uuid:uid>/", views.attachment_download, name="attachment_download"),
    # Partner inbox
    path("masuk/", views.inbox, name="inbox"),
    path("masuk/<uuid:uid>/", views.inbox_detail, name="inbox_detail"),
    path("masuk/<uuid:uid>/surat/", views.inbox_letter, name="inbox_letter"),
    path("masuk/<uuid:uid>/<str:move>/", views.inbox_move, name="inbox_move"),
    # Figures
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/unduh/", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dasbor/laporan.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    # Notifications moved to /pemberitahuan/ (pandu.notifications); old links and forms follow.
    path(
        "pemberitahuan/",
        login_required(RedirectView.as_view(pattern_name="notifications:list")),
        name="notifications",
    ),
    path("pemberitahuan/baca/", notification_read_all, name="notifications_read"),
    # Public, without login
    path("publik/status/", views.public_status, name="public_status"),
    path("publik/surat/<str:token>/", views.public_letter, name="public_letter"),
]
