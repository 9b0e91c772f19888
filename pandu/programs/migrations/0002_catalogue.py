"""The national programmes of the catalogue and their known amounts (catalogue_data)."""

from datetime import date

from django.db import migrations


def fill(apps, schema_editor):
    from pandu.programs.catalogue_data import KEMENSOS, PROGRAMMES

    Organisation = apps.get_model("organisations", "Organisation")
    Programme = apps.get_model("programs", "Programme")
    Amount = apps.get_model("programs", "ProgrammeAmount")
    owner = Organisation.objects.filter(name=KEMENSOS["name"], area__isnull=True).first()
    if owner is None:
        owner = Organisation.objects.create(**KEMENSOS)
    for spec in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "owner": owner,
                "level": "nasional",
                "benefit_type": spec["benefit_type"],
                "legal_basis": spec["legal_basis"],
                "target_group": spec.get("target_group", ""),
                "period": spec.get("period", ""),
                "status": "aktif",
            },
        )
        if not created:
            continue
        start = date.fromisoformat(spec.get("amounts_from", "2022-01-01"))
        end = date.fromisoformat(spec["amounts_to"]) if spec.get("amounts_to") else None
        for component, label, amount, max_count, unconfirmed in spec.get("amounts", []):
            per = spec.get("amounts_per", "tahun")
            if component == "SANTUNAN_MENINGGAL":
                per = "sekali"
            Amount.objects.create(
                programme=programme,
                component=component,
                label=label,
                amount=amount,
                per=per,
                max_count=max_count,
                valid_from=start,
                valid_to=end,
                unconfirmed=unconfirmed,
            )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
