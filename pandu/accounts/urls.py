from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    # The gate: second factor, a new password, enrolling an authenticator.
    path("dua-langkah/", views.verify, name="two_factor_verify"),
    path("dua-langkah/aktifkan/", views.enrol, name="two_factor_enrol"),
    path("dua-langkah/kode-cadangan/", views.recovery_codes, name="two_factor_recovery"),
    path("dua-langkah/matikan/", views.disable, name="two_factor_disable"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-kata-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-kata-sandi/terkirim/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "atur-ulang/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-ulang/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("keamanan/", views.security, name="security"),
    path("token/", views.token_list, name="token_list"),
    path("token/<uuid:uid>/cabut/", views.token_revoke, name="token_revoke"),
    # User administration.
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/riwayat/", views.change_list, name="change_list"),
    path("pengguna/<uuid:uid>/", views.user_detail, name="user_detail"),
    path("pengguna/<uuid:uid>/ubah/", views.user_edit, name="user_edit"),
    path("pengguna/<uuid:uid>/kata-sandi/", views.user_password, name="user_password"),
    path("pengguna/<uuid:uid>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<uuid:uid>/aktifkan/", views.user_reactivate, name="user_reactivate"),
    path(
        "pengguna/<uuid:uid>/reset-dua-langkah/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path("kop-surat/", views.office_edit, name="office"),
    path("kop-surat/logo/", views.office_logo, name="office_logo"),
    path("kop-surat/contoh.pdf", views.office_sample, name="office_sample"),
]
