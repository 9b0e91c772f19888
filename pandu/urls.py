from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Friendly pages in the user's language; JSON under /api/ (pandu/core/errors.py).
handler400 = "pandu.core.errors.bad_request"
handler403 = "pandu.core.errors.permission_denied"
handler404 = "pandu.core.errors.page_not_found"
handler500 = "pandu.core.errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("pandu.portal.urls")),
    path("", include("pandu.core.urls")),
    path("", include("pandu.operations.urls")),  # /healthz, /metrics
    path("akun/", include("pandu.accounts.urls")),
    path("wilayah/", include("pandu.regions.urls")),
    path("registri/", include("pandu.registry.urls")),
    path("usulan/", include("pandu.proposals.urls")),
    path("impor-ekspor/", include("pandu.exchange.urls")),
    path("duplikat/", include("pandu.dedup.urls")),
    path("layanan/", include("pandu.services.urls")),
    path("program/", include("pandu.programs.urls")),
    path("pembayaran/", include("pandu.payments.urls")),
    path("pemberitahuan/", include("pandu.notifications.urls")),
    path("sasaran/", include("pandu.targeting.urls")),
    path("pemberdayaan/", include("pandu.empowerment.urls")),
    path("askesos/", include("pandu.insurance.urls")),
    path("pdp/", include("pandu.privacy.urls")),
    path("audit/", include("pandu.audit.urls")),
    path("api/v1/services/", include("pandu.services.api.urls")),
    path("api/v1/programmes/", include("pandu.programs.api.urls")),
    path("api/v1/proposals/", include("pandu.proposals.api.urls")),
    path("api/v1/exchange/", include("pandu.exchange.api.urls")),
    path("api/v1/dedup/", include("pandu.dedup.api.urls")),
    path("api/v1/notifications/", include("pandu.notifications.api.urls")),
    path("api/v1/privacy/", include("pandu.privacy.api.urls")),
    path("api/v1/audit/", include("pandu.audit.api.urls")),
    path("api/v1/", include("pandu.targeting.api.urls")),
    path("api/v1/", include("pandu.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Signed-in users only (the schema: SERVE_PERMISSIONS), from local files (decision 0010).
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="core/api_docs.html"
            )
        ),
        name="api-docs",
    ),
]
