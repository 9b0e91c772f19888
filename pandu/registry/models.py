"""The social registry: households by KK number, people by NIK, their PPKS and the PSKS.

PPKS: people needing welfare services (26 categories). PSKS: the resources that help (12 types).
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pandu.core.fields import EncryptedCharField
from pandu.core.models import PublicIdModel
from pandu.core.versions import VersionedModel
from pandu.organisations.models import Organisation
from pandu.regions.models import Area

from . import choices as c
from .queries import HouseholdQuerySet, PersonQuerySet, PPKSAssignmentQuerySet, PSKSQuerySet
from .validation import age_on, check_pregnancy, clean_bank_account, clean_phone, mask_account

RT_RW_VALIDATORS = [MinValueValidator(0), MaxValueValidator(999)]
MAX_RUPIAH = 10_000_000_000  # a monthly amount above Rp10 billion is a typing error
MAX_LAND_M2 = 100_000_000  # 10,000 ha
MAX_LIVESTOCK = 1_000_000
MAX_WORKERS = 10_000


class Household(VersionedModel, PublicIdModel):
    """Keluarga: the people on one family card (KK), at one address."""

    kk_number = models.CharField(_("nomor KK"), max_length=16, unique=True)
    village = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    rt = models.PositiveSmallIntegerField(_("RT"), validators=RT_RW_VALIDATORS)
    rw = models.PositiveSmallIntegerField(_("RW"), validators=RT_RW_VALIDATORS)
    address = models.CharField(_("alamat (jalan/dusun)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=c.HouseholdStatus.choices, default="active"
    )
    desil = models.PositiveSmallIntegerField(
        _("desil kesejahteraan"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Diisi oleh pemeringkatan; kosong sampai ada hasil penetapan sasaran."),
    )
    desil_source = models.CharField(
        _("sumber desil"), max_length=10, choices=c.DesilSource.choices, blank=True
    )
    desil_reference = models.CharField(
        _("rujukan sumber desil"),
        max_length=100,
        blank=True,
        help_text=_("Misalnya periode DTSEN, nomor putaran pemeringkatan, atau dasar pengisian."),
    )
    collected_on = models.DateField(_("tanggal pendataan"), null=True, blank=True)
    # Economy
    income_monthly = models.PositiveBigIntegerField(
        _("perkiraan pendapatan per bulan (Rp)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RUPIAH)],
    )
    expenditure_monthly = models.PositiveBigIntegerField(
        _("perkiraan pengeluaran per bulan (Rp)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RUPIAH)],
    )
    breadwinner = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pencari nafkah utama"),
        db_index=False,  # read from the household, never searched by
    )
    # Housing
    ownership = models.PositiveSmallIntegerField(
        _("status kepemilikan bangunan"), choices=c.Ownership.choices, null=True, blank=True
    )
    land_ownership = models.PositiveSmallIntegerField(
        _("status kepemilikan lahan"), choices=c.LandOwnership.choices, null=True, blank=True
    )
    land_area = models.PositiveIntegerField(
        _("luas lahan (m²)"), null=True, blank=True, validators=[MaxValueValidator(MAX_LAND_M2)]
    )
    floor_area = models.PositiveIntegerField(
        _("luas lantai (m²)"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    floor_material = models.PositiveSmallIntegerField(
        _("jenis lantai terluas"), choices=c.FloorMaterial.choices, null=True, blank=True
    )
    wall_material = models.PositiveSmallIntegerField(
        _("jenis dinding terluas"), choices=c.WallMaterial.choices, null=True, blank=True
    )
    wall_condition = models.PositiveSmallIntegerField(
        _("kondisi dinding"), choices=c.Condition.choices, null=True, blank=True
    )
    roof_material = models.PositiveSmallIntegerField(
        _("jenis atap terluas"), choices=c.RoofMaterial.choices, null=True, blank=True
    )
    roof_condition = models.PositiveSmallIntegerField(
        _("kondisi atap"), choices=c.Condition.choices, null=True, blank=True
    )
    bedrooms = models.PositiveSmallIntegerField(
        _("jumlah kamar tidur"), null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    water_source = models.PositiveSmallIntegerField(
        _("sumber air minum"), choices=c.WaterSource.choices, null=True, blank=True
    )
    lighting = models.PositiveSmallIntegerField(
        _("sumber penerangan"), choices=c.Lighting.choices, null=True, blank=True
    )
    wattage = models.PositiveIntegerField(
        _("daya listrik PLN"), choices=c.Wattage.choices, null=True, blank=True
    )
    cooking_fuel = models.PositiveSmallIntegerField(
        _("bahan bakar memasak"), choices=c.CookingFuel.choices, null=True, blank=True
    )
    toilet_use = models.PositiveSmallIntegerField(
        _("fasilitas BAB"), choices=c.ToiletUse.choices, null=True, blank=True
    )
    toilet_type = models.PositiveSmallIntegerField(
        _("jenis kloset"), choices=c.ToiletType.choices, null=True, blank=True
    )
    waste_disposal = models.PositiveSmallIntegerField(
        _("pembuangan akhir tinja"), choices=c.WasteDisposal.choices, null=True, blank=True
    )
    assets = models.JSONField(_("aset"), default=list, blank=True)
    livestock = models.JSONField(
        _("ternak (jumlah per jenis)"),
        default=dict,
        blank=True,
        help_text=_("Contoh: sapi, kerbau, kambing, babi, unggas."),
    )
    has_business = models.BooleanField(_("memiliki usaha"), default=False)
    cards = models.JSONField(_("kartu/program yang dimiliki"), default=list, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        indexes = [
            models.Index(fields=["village", "rw", "rt"]),
            models.Index(fields=["status", "village", "desil"]),
        ]

    def __str__(self) -> str:
        return str(_("Keluarga %(uid)s") % {"uid": str(self.uid)[:8]})

    @property
    def area_code(self) -> str:
        return self.village_id

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name, choices in (("assets", c.Asset), ("cards", c.Card)):
            value = getattr(self, name)
            if not isinstance(value, list) or any(v not in choices.values for v in value):
                errors[name] = str(
                    _("Kode tidak dikenal; pilihan: %(allowed)s.")
                    % {"allowed": ", ".join(choices.values)}
                )
        livestock = self.livestock
        if not isinstance(livestock, dict) or any(
            k not in c.Livestock.values or not isinstance(v, int) or not 0 <= v <= MAX_LIVESTOCK
            for k, v in livestock.items()
        ):
            errors["livestock"] = str(
                _("Ternak dicatat sebagai jumlah ekor (0–%(max)s) per jenis: %(allowed)s.")
                % {"max": MAX_LIVESTOCK, "allowed": ", ".join(c.Livestock.values)}
            )
        if self.breadwinner_id is not None and (
            self.pk is None or self.breadwinner.household_id != self.pk  # type: ignore[union-attr]
        ):
            errors["breadwinner"] = str(_("Pencari nafkah utama harus anggota keluarga ini."))
        if errors:
            raise ValidationError(errors)

    def head(self) -> "Person | None":
        for p in self.members.all():
            if p.relationship == c.Relationship.HEAD and p.status == c.PersonStatus.ACTIVE:
                return p
        return None


class Person(VersionedModel, PublicIdModel):
    """Penduduk: one person, keyed by NIK, in at most one current household."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("keluarga"),
        db_index=False,  # the (household, relationship) index below serves it
    )
    # The village of the current household, kept here so area scoping needs no join.
    area_code = models.CharField(_("kode wilayah"), max_length=13, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    name_key = models.CharField(max_length=150, db_index=True, editable=False, default="")
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=c.Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    relationship = models.PositiveSmallIntegerField(
        _("hubungan dengan kepala keluarga"), choices=c.Relationship.choices
    )
    head_reason = models.CharField(
        _("alasan kepala keluarga di bawah umur"), max_length=300, blank=True
    )
    marital_status = models.PositiveSmallIntegerField(
        _("status perkawinan"), choices=c.MaritalStatus.choices, default=1
    )
    has_marriage_certificate = models.BooleanField(_("memiliki akta nikah"), null=True, blank=True)
    on_family_card = models.BooleanField(_("tercantum di KK"), default=True)
    has_id_card = models.BooleanField(_("memiliki KTP-el"), null=True, blank=True)
    school_participation = models.PositiveSmallIntegerField(
        _("partisipasi sekolah"), choices=c.SchoolParticipation.choices, null=True, blank=True
    )
    education = models.PositiveSmallIntegerField(
        _("pendidikan tertinggi"), choices=c.Education.choices, null=True, blank=True
    )
    worked_last_week = models.BooleanField(_("bekerja seminggu terakhir"), null=True, blank=True)
    work_status = models.PositiveSmallIntegerField(
        _("status pekerjaan"), choices=c.WorkStatus.choices, null=True, blank=True
    )
    work_sector = models.PositiveSmallIntegerField(
        _("lapangan usaha"), choices=c.WorkSector.choices, null=True, blank=True
    )
    disability_type = models.PositiveSmallIntegerField(
        _("jenis disabilitas"), choices=c.DisabilityType.choices, default=0
    )
    disability_severity = models.PositiveSmallIntegerField(
        _("tingkat disabilitas"), choices=c.Severity.choices, default=0
    )
    chronic_illness = models.PositiveSmallIntegerField(
        _("penyakit kronis"), choices=c.ChronicIllness.choices, default=0
    )
    school_level = models.PositiveSmallIntegerField(
        _("jenjang sekolah saat ini"), choices=c.SchoolLevel.choices, null=True, blank=True
    )
    pregnant = models.BooleanField(_("sedang hamil"), default=False)
    pregnancy_months = models.PositiveSmallIntegerField(
        _("usia kehamilan (bulan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    due_date = models.DateField(_("perkiraan tanggal persalinan"), null=True, blank=True)
    health_insurance = models.PositiveSmallIntegerField(
        _("jaminan kesehatan"), choices=c.HealthInsurance.choices, null=True, blank=True
    )
    phone = models.CharField(_("nomor telepon"), max_length=15, blank=True)
    bank_name = models.CharField(_("bank penyalur"), max_length=50, blank=True)
    # Financial data (UU 27/2022): shown in full only to roles with Cap.VIEW_ACCOUNTS.
    bank_account = models.CharField(_("nomor rekening bank/KKS"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=c.PersonStatus.choices, default="active"
    )
    status_date = models.DateField(_("tanggal status"), null=True, blank=True)
    status_reason = models.CharField(_("alasan status"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("digabung ke"),
        help_text=_("Untuk data ganda yang sudah digabung: data penduduk yang dipertahankan."),
        db_index=False,  # a partial index below: almost every row is NULL
    )
    quality_flags = models.JSONField(_("catatan mutu data"), default=list, blank=True)
    flagged = models.BooleanField(_("perlu diperiksa"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "name_key"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        # Area counts read only these indexes (no table rows) even at a million people. The
        # flagged and merged records are few: their indexes hold only them.
        indexes = [
            models.Index(fields=["area_code", "status"]),
            models.Index(fields=["area_code", "name_key"]),
            models.Index(
                fields=["area_code"], condition=Q(flagged=True), name="person_flagged_area"
            ),
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="person_merged_into",
            ),
            models.Index(fields=["household", "relationship"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age(self, when: date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, when or date.today())

    def clean(self) -> None:
        errors: dict[str, str] = check_pregnancy(
            self.sex, self.pregnant, self.pregnancy_months, self.due_date
        )
        for name, check in (("phone", clean_phone), ("bank_account", clean_bank_account)):
            try:
                setattr(self, name, check(getattr(self, name)))
            except ValidationError as exc:
                errors[name] = " ".join(exc.messages)
        if errors:
            raise ValidationError(errors)

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)

    def version_public_value(self, name: str):
        # A conflict names the numbers masked, whoever reads it (the record says the rest).
        if name == "bank_account":
            return self.masked_bank_account
        if name == "nik":
            return self.masked_nik
        return super().version_public_value(name)

    def version_shown(self, name: str) -> str:
        if name in ("bank_account", "nik"):
            return self.version_public_value(name) or "—"
        return super().version_shown(name)

    @property
    def masked_nik(self) -> str:
        """NIK for screens where the full number is not needed: 7309********0001."""
        return f"{self.nik[:4]}{'*' * 8}{self.nik[12:]}" if len(self.nik) == 16 else "****"


class HouseholdBusiness(models.Model):
    """Usaha: one business the household runs (the DTSEN business questions)."""

    # Addressed from the pages (change, remove) by this, never by its integer key.
    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="businesses", verbose_name=_("keluarga")
    )
    kind = models.PositiveSmallIntegerField(_("bentuk usaha"), choices=c.BusinessKind.choices)
    sector = models.PositiveSmallIntegerField(_("lapangan usaha"), choices=c.WorkSector.choices)
    workers = models.PositiveIntegerField(
        _("jumlah pekerja"), default=0, validators=[MaxValueValidator(MAX_WORKERS)]
    )
    turnover_monthly = models.PositiveBigIntegerField(
        _("omzet per bulan (Rp)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RUPIAH)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usaha keluarga")
        verbose_name_plural = _("usaha keluarga")
        ordering = ["household", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.get_sector_display()}"


class Membership(models.Model):
    """A person's stay in a household; the current one has no end date."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("penduduk")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("keluarga")
    )
    relationship = models.PositiveSmallIntegerField(
        _("hubungan dengan kepala keluarga"), choices=c.Relationship.choices
    )
    started = models.DateField(_("mulai"))
    ended = models.DateField(_("selesai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("riwayat keanggotaan keluarga")
        ordering = ["-started", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended__isnull=True),
                name="one_current_household_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id} from {self.started}"


class PPKSCategory(models.Model):
    """One of the 26 PPKS categories of Permensos 8/2012, with the field's age rule."""

    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("nama"), max_length=120)
    min_age = models.PositiveSmallIntegerField(_("usia minimum"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("usia maksimum"), null=True, blank=True)
    max_age_exclusive = models.BooleanField(default=False)
    min_age_exclusive = models.BooleanField(default=False)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=c.Sex.choices, blank=True)
    sensitive = models.BooleanField(_("sensitif"), default=False)
    household_level = models.BooleanField(_("berlaku untuk keluarga"), default=False)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("kategori PPKS")
        verbose_name_plural = _("kategori PPKS")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def age_rule_text(self) -> str:
        lo, hi = self.min_age, self.max_age
        if lo is not None and hi is not None:
            return f"{lo}–{hi}"
        if lo is not None:
            return f"{'>' if self.min_age_exclusive else '≥'}{lo}"
        if hi is not None:
            return f"{'<' if self.max_age_exclusive else '≤'}{hi}"
        return "—"

    def accepts_age(self, age: int) -> bool:
        if self.min_age is not None and (
            age <= self.min_age if self.min_age_exclusive else age < self.min_age
        ):
            return False
        return not (
            self.max_age is not None
            and (age >= self.max_age if self.max_age_exclusive else age > self.max_age)
        )


class PPKSAssignment(PublicIdModel):
    """A person (or a household) recorded as having one PPKS condition."""

    class Source(models.TextChoices):
        FIELD_VISIT = "visit", _("Kunjungan lapangan")
        VILLAGE_MEETING = "musdes", _("Musyawarah desa")
        SELF_REPORT = "self", _("Pengajuan sendiri")
        REFERRAL = "referral", _("Rujukan instansi")
        IMPORT = "import", _("Impor data")
        DTKS = "dtks", _("DTKS/DTSEN")

    category = models.ForeignKey(PPKSCategory, on_delete=models.PROTECT, verbose_name=_("PPKS"))
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ppks",
        verbose_name=_("penduduk"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ppks",
        verbose_name=_("keluarga"),
    )
    area_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True, blank=True)
    identified_on = models.DateField(_("tanggal"))
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    verified_on = models.DateField(_("tanggal verifikasi"), null=True, blank=True)
    active = models.BooleanField(_("masih berlaku"), default=True)
    ended_on = models.DateField(_("berakhir"), null=True, blank=True)
    note = EncryptedCharField(_("catatan"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PPKSAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("PPKS")
        verbose_name_plural = _("PPKS")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(household__isnull=False),
                name="ppks_has_subject",
            )
        ]
        indexes = [models.Index(fields=["category", "area_code"])]

    def __str__(self) -> str:
        return str(self.category)


class PSKSType(models.Model):
    """One of the 12 PSKS types; some are people, some organisations."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Perorangan")
        ORGANISATION = "organisation", _("Lembaga")

    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("nama"), max_length=150)
    short_name = models.CharField(_("singkatan"), max_length=20, blank=True)
    kind = models.CharField(_("bentuk"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("jenis PSKS")
        verbose_name_plural = _("jenis PSKS")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class PSKSPerson(VersionedModel, PublicIdModel):
    """A person serving as a welfare resource: TKSK, PSM, Tagana, social worker, ..."""

    psks_type = models.ForeignKey(
        PSKSType,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "person"},
        verbose_name=_("jenis PSKS"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="psks_roles", verbose_name=_("penduduk")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah tugas")
    )
    registration_number = models.CharField(_("nomor registrasi/SK"), max_length=60, blank=True)
    started_on = models.DateField(_("mulai bertugas"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PSKSQuerySet.as_manager()

    class Meta:
        verbose_name = _("PSKS perorangan")
        verbose_name_plural = _("PSKS perorangan")

    def __str__(self) -> str:
        return f"{self.psks_type.short_name or self.psks_type.name}: {self.person.full_name}"


class PSKSOrganisation(VersionedModel, PublicIdModel):
    """An institution serving as a welfare resource: LKS, Karang Taruna, LK3, WKSBM, business."""

    class LegalStatus(models.TextChoices):
        FOUNDATION = "yayasan", _("Yayasan")
        ASSOCIATION = "perkumpulan", _("Perkumpulan")
        COMPANY = "pt", _("Perseroan terbatas")
        COOPERATIVE = "koperasi", _("Koperasi")
        GOVERNMENT = "pemerintah", _("Dibentuk pemerintah/desa")
        UNREGISTERED = "belum", _("Belum berbadan hukum")

    psks_type = models.ForeignKey(
        PSKSType,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "organisation"},
        verbose_name=_("jenis PSKS"),
    )
    name = models.CharField(_("nama lembaga"), max_length=200)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    legal_status = models.CharField(_("status hukum"), max_length=12, choices=LegalStatus.choices)
    registration_number = models.CharField(_("nomor tanda daftar"), max_length=80, blank=True)
    registered_on = models.DateField(_("tanggal terdaftar"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    # The body in the one list of organisations (decision 0013), kept in step by the actions.
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="psks_record",
        verbose_name=_("lembaga"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PSKSQuerySet.as_manager()

    class Meta:
        verbose_name = _("lembaga PSKS")
        verbose_name_plural = _("lembaga PSKS")
        indexes = [models.Index(fields=["area", "psks_type"])]

    def __str__(self) -> str:
        return self.name
