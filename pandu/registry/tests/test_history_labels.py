"""Every field a record's history can name has a translated label, never its code."""

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from simple_history.models import HistoricalChanges

from pandu.registry.history import HIDDEN


def _tracked_models():
    for model in apps.get_models():
        own = model.__module__.startswith("pandu.")
        if own and hasattr(model, "history") and not issubclass(model, HistoricalChanges):
            yield model


def test_every_field_of_a_tracked_record_has_a_translated_label():
    untranslated = [
        f"{model._meta.label}.{field.name}"
        for model in _tracked_models()
        for field in model._meta.concrete_fields
        if field.name not in HIDDEN and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []


def test_registry_and_proposal_fields_read_indonesian_and_english():
    from pandu.proposals.models import Handover, ProposalBatch, ProposalItem
    from pandu.registry.models import PPKSAssignment, PSKSPerson

    fields = [
        (PPKSAssignment, "person", "penduduk"),
        (PPKSAssignment, "household", "keluarga"),
        (PPKSAssignment, "area_code", "kode wilayah"),
        (PSKSPerson, "person", "penduduk"),
        (ProposalBatch, "minutes_type", "jenis berkas berita acara"),
        (ProposalItem, "sensitive", "sensitif"),
        (ProposalItem, "result_household", "keluarga hasil penetapan"),
        (ProposalItem, "result_person", "penduduk hasil penetapan"),
        (Handover, "from_code", "kode wilayah asal"),
        (Handover, "to_code", "kode wilayah tujuan"),
        (Handover, "changes", "data keluarga di daerah tujuan"),
    ]
    with translation.override("id"):
        assert [str(m._meta.get_field(n).verbose_name) for m, n, _ in fields] == [
            label for _, _, label in fields
        ]
    with translation.override("en"):
        english = {str(m._meta.get_field(n).verbose_name) for m, n, _ in fields}
    assert {"resident", "family", "origin area code", "resulting person"} <= english
    assert not english & {"jenis berkas berita acara", "kode wilayah tujuan"}
