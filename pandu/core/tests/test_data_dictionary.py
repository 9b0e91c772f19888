from pathlib import Path

from django.conf import settings

from pandu.core.management.commands.data_dictionary import render


def test_committed_data_dictionary_matches_the_models():
    path = Path(settings.BASE_DIR) / "docs" / "data-dictionary.md"
    assert path.read_text(encoding="utf-8") == render(), (
        "docs/data-dictionary.md is stale: run `python manage.py data_dictionary`"
    )
