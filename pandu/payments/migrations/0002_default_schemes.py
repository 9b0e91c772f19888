from datetime import date

from django.db import migrations


def add(apps, schema_editor):
    from pandu.payments.defaults import COMPONENTS, FROM, SCHEMES

    Programme = apps.get_model("programs", "Programme")
    Scheme = apps.get_model("payments", "Scheme")
    Component = apps.get_model("payments", "Component")
    start = date.fromisoformat(FROM)
    for code, fields in SCHEMES.items():
        programme = Programme.objects.filter(code=code).first()
        if programme is None or Scheme.objects.filter(programme=programme).exists():
            continue
        Scheme.objects.create(programme=programme, valid_from=start, **fields)
    for code, parts in COMPONENTS.items():
        programme = Programme.objects.filter(code=code).first()
        if programme is None or Component.objects.filter(programme=programme).exists():
            continue
        for component, condition, position in parts:
            Component.objects.create(
                programme=programme,
                code=component,
                condition=condition,
                position=position,
                valid_from=start,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("programs", "0002_catalogue"),
    ]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
