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
