"""Language: Bahasa Indonesia unless the user picked English (pages), or asked for it (API)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PanduLocaleMiddleware(LocaleMiddleware):
    """Pages follow the language cookie set by the switcher, never the browser's default, so an
    office PC with an English browser still reads Indonesian. API clients may send
    Accept-Language (machine-to-machine messages)."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {c for c, _name in settings.LANGUAGES}
        language = code if code in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


#: Pages run only Pandu's own files: no inline script or style, nothing from another site.
#: ``data:`` images: the favicon and Swagger UI's icons. See decision 0010.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
#: Browser features off for every page (a photo is taken through the file input's camera
#: capture, which needs no permission). A page that needs one turns it on for itself alone
#: with :func:`permissions_policy` (the field visit's "record my location" button).
POLICY_FEATURES = (
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
)


def permissions_policy(allow: tuple[str, ...] = ()) -> str:
    """The Permissions-Policy header: every feature off except ``allow``, which this site's own
    pages (never a frame from elsewhere) may ask the user for."""
    unknown = set(allow) - set(POLICY_FEATURES)
    if unknown:
        raise ValueError(f"unknown browser features: {sorted(unknown)}")
    return ", ".join(
        f"{feature}=(self)" if feature in allow else f"{feature}=()" for feature in POLICY_FEATURES
    )


PERMISSIONS_POLICY = permissions_policy()


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer. With DEBUG on the policy
    only reports (Django's debug pages use inline styles), so a violation shows in the console
    during development instead of breaking the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only" if settings.DEBUG else "Content-Security-Policy"
        )
        response.headers.setdefault(header, CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
