"""The committed OpenAPI schema (docs/openapi.yaml) is the one the code generates."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
REFRESH = ".venv/bin/python manage.py spectacular --file docs/openapi.yaml --validate"


def test_committed_openapi_schema_is_up_to_date_and_valid(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    # The schema carries translated labels: generate it in the default language, as manage.py does.
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", file=str(fresh), validate=True, fail_on_warn=True)

    assert SCHEMA.exists(), f"docs/openapi.yaml is missing; create it with:\n    {REFRESH}"
    assert fresh.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8"), (
        f"docs/openapi.yaml is stale; refresh it with:\n    {REFRESH}"
    )
