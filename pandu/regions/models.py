"""Official administrative areas (Kemendagri): province, regency/city, district, village.

The dotted code is the natural key (``73.09.13.2001``); a code's prefix is its ancestry, so
"inside area X" is a prefix test that an index answers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")


CODE_LENGTH_BY_LEVEL = {1: 2, 2: 5, 3: 8, 4: 13}


def level_of(code: str) -> int | None:
    """The level a dotted code belongs to, or None when it is not shaped like an area code."""
    for level, length in CODE_LENGTH_BY_LEVEL.items():
        if len(code) == length:
            return level
    return None


class AreaQuerySet(models.QuerySet):
    def within(self, code: str) -> "AreaQuerySet":
        """The area itself and everything below it."""
        return self.filter(code__prefix=code)


class Area(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_kelurahan(self) -> bool:
        """Villages numbered 1xxx are kelurahan (urban), 2xxx desa (rural)."""
        return self.level == Level.VILLAGE and self.code[9] == "1"

    @property
    def kind_label(self) -> str:
        if self.level == Level.VILLAGE:
            return str(_("Kelurahan") if self.is_kelurahan else _("Desa"))
        if self.level == Level.REGENCY:
            return str(_("Kota") if int(self.code[3:5]) >= 71 else _("Kabupaten"))
        return str(self.get_level_display())

    @property
    def display_name(self) -> str:
        """ "Desa Moncongloe Lappara", "Kecamatan Moncongloe", "Kabupaten Maros" (names of
        regencies and cities already carry their kind)."""
        if self.level in (Level.PROVINCE, Level.REGENCY):
            return self.name
        return f"{self.kind_label} {self.name}"

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to this area."""
        return [self.code[:n] for n in (2, 5, 8, 13) if n <= len(self.code)]

    def ancestors(self) -> list["Area"]:
        codes = self.ancestor_codes()
        found = {a.code: a for a in Area.objects.filter(code__in=codes)}
        return [found[c] for c in codes if c in found]

    def contains(self, code: str | None) -> bool:
        return bool(code) and str(code).startswith(self.code)
