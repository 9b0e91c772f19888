"""Synthetic registry data: households, people, memberships and PPKS that look like real DTKS rows.

Pure logic, no database: the caller passes the region (villages, district and regency names) and
the PPKS age rules, and gets households back one at a time, so a million people never sit in
memory together. Everything comes from ``random.Random`` instances seeded with strings (the
string seed is hashed with SHA-512 by ``random``, not with ``hash()``), so the same region, seed
and household count give the same output on every machine and every run.

All dates are derived from the fixed :data:`REFERENCE_DATE`; PPKS age rules are checked on the
identification date, on the reference date and a year later, so the data stays valid for a year.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from pandu.registry.nik import nik_date_digits

REFERENCE_DATE = date(2026, 7, 1)
# PPKS age rules must still hold on this date, so records do not go stale the day after loading.
RULES_VALID_UNTIL = REFERENCE_DATE + timedelta(days=365)
REF_ORD = REFERENCE_DATE.toordinal()
YEAR = 365.2425

MAX_MEMBERS = 9
MOVER_SHARE = 0.01  # NIK first registered in another district of the same regency
MISMATCH_SHARE = 0.005  # NIK birth date disagrees with the recorded one (a quality flag)
MISMATCH_FLAG = "nik_birth_date_mismatch"

# Relationship codes (choices.Relationship)
HEAD, SPOUSE, CHILD, CHILD_IN_LAW, GRANDCHILD, PARENT, HELP, OTHER = 1, 2, 3, 4, 5, 6, 7, 8
# Marital status codes (choices.MaritalStatus)
SINGLE, MARRIED, DIVORCED, WIDOWED = 1, 2, 3, 4

# The CSV import format: one row per person; codes as in choices.py, empty = unknown;
# birth_date DD-MM-YYYY; pregnant 1/0; ppks = PPKS numbers separated by ";" (the household-level
# ones on the head's row).
CSV_COLUMNS = [
    "kk_number", "nik", "full_name", "sex", "birth_place", "birth_date", "relationship",
    "marital_status", "village_code", "rt", "rw", "address", "education", "work_status",
    "work_sector", "disability_type", "disability_severity", "chronic_illness", "pregnant", "ppks",
]  # fmt: skip


class GenerationError(Exception):
    """The request cannot be generated (e.g. no villages, serial numbers exhausted)."""


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Village:
    code: str  # "73.09.13.2001"
    name: str


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """What the generator needs to know about the region; built from the area table."""

    code: str
    villages: Sequence[Village]
    district_names: dict[str, str]  # "73.09.13" -> "Moncongloe"
    regency_names: dict[str, str]  # "73.09" -> "Kabupaten Maros"
    # "73.09" -> ["730901", "730902", ...]: every district of the regency, for people who moved.
    districts_by_regency: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """The age/sex rule of one PPKS category (a copy of the PPKSCategory row)."""

    number: int
    min_age: int | None = None
    max_age: int | None = None
    min_age_exclusive: bool = False
    max_age_exclusive: bool = False
    sex: str = ""
    sensitive: bool = False
    household_level: bool = False

    def accepts_age(self, age: int) -> bool:
        """Same rule as ``PPKSCategory.accepts_age``."""
        lo, hi = self.min_age, self.max_age
        if lo is not None and (age <= lo if self.min_age_exclusive else age < lo):
            return False
        return not (hi is not None and (age >= hi if self.max_age_exclusive else age > hi))

    def accepts(self, birth_date: date, sex: str, when: Sequence[date]) -> bool:
        if self.sex and sex != self.sex:
            return False
        return all(self.accepts_age(age_on(birth_date, d)) for d in when)


# --- Outputs --------------------------------------------------------------------------------


@dataclass(slots=True)
class GenPerson:
    uid: str  # 32 hex digits
    nik: str
    full_name: str
    name_key: str
    sex: str
    birth_place: str
    birth_date: date
    relationship: int
    marital_status: int
    has_marriage_certificate: bool | None
    has_id_card: bool | None
    school_participation: int | None
    education: int | None
    worked_last_week: bool | None
    work_status: int | None
    work_sector: int | None
    disability_type: int
    disability_severity: int
    chronic_illness: int
    pregnant: bool
    flagged: bool
    membership_started: date
    ppks: list[int] = field(default_factory=list)

    @property
    def quality_flags(self) -> list[str]:
        return [MISMATCH_FLAG] if self.flagged else []


@dataclass(slots=True)
class GenPPKS:
    uid: str
    category: int  # PPKS number
    member: int | None  # index into GenHousehold.members; None for a household-level record
    identified_on: date
    source: str
    verified_on: date | None


@dataclass(slots=True)
class GenHousehold:
    uid: str
    kk_number: str
    kk_issued: date
    village_code: str
    rt: int
    rw: int
    address: str
    desil: int | None
    ownership: int
    land_ownership: int
    floor_area: int
    floor_material: int
    wall_material: int
    wall_condition: int
    roof_material: int
    roof_condition: int
    bedrooms: int
    water_source: int
    lighting: int
    wattage: int
    cooking_fuel: int
    toilet_use: int
    toilet_type: int
    waste_disposal: int
    assets: list[str]
    livestock: dict[str, int]
    has_business: bool
    cards: list[str]
    members: list[GenPerson]
    ppks: list[GenPPKS]


def age_on(birth_date: date, when: date) -> int:
    return (
        when.year - birth_date.year - ((when.month, when.day) < (birth_date.month, birth_date.day))
    )


def csv_rows(household: GenHousehold) -> Iterator[list[str]]:
    """One CSV row per person in the import format (see ``CSV_COLUMNS``)."""
    household_ppks = [str(p.category) for p in household.ppks if p.member is None]
    for person in household.members:
        ppks = [str(n) for n in person.ppks]
        if person.relationship == HEAD:
            ppks += household_ppks
        yield [
            household.kk_number,
            person.nik,
            person.full_name,
            person.sex,
            person.birth_place,
            person.birth_date.strftime("%d-%m-%Y"),
            str(person.relationship),
            str(person.marital_status),
            household.village_code,
            str(household.rt),
            str(household.rw),
            household.address,
            _blank(person.education),
            _blank(person.work_status),
            _blank(person.work_sector),
            str(person.disability_type),
            str(person.disability_severity),
            str(person.chronic_illness),
            "1" if person.pregnant else "0",
            ";".join(ppks),
        ]


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)


# --- Weighted choices -----------------------------------------------------------------------


class Pick:
    """A weighted choice table: ``pick(r)`` maps a uniform r in [0, 1) to a value."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]] | dict) -> None:
        items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
        self.values = [v for v, _w in items]
        self.cum: list[float] = []
        total = 0.0
        for _v, w in items:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, r: float):
        return self.values[bisect.bisect_right(self.cum, r * self.total)]


def _names(text: str) -> list[str]:
    """Names separated by commas (a name may have several words)."""
    return [n.strip() for n in text.split(",") if n.strip()]


# --- Names ----------------------------------------------------------------------------------
# Pools by tradition, sex and birth cohort (old: before 1975, mid: 1975-1994, new: 1995 on).
# Written in modern spelling; old spelling, abbreviations and honorifics are applied afterwards.

NAMES: dict[tuple[str, str, str], list[str]] = {
    ("bugis", "L", "old"): _names(
        "Baharuddin, Syamsuddin, Jamaluddin, Hasanuddin, Kamaruddin, Nurdin, Haruna, Sanusi, "
        "Sampara, Baso, Baco, Mappiare, Mappaita, Lamba, Ambo Tang, Ambo Dalle, Ambo Upe, "
        "La Tenri, La Baco, Sahabuddin, Arsyad, Abdullah, Muhammad Said, Muhammad Yusuf, "
        "Abdul Rahman, Abdul Hamid, Abdul Karim, Ahmad, Hamzah, Mustafa, Patahuddin, Sudirman, "
        "Lahamid, Lasiman, Bakri, Hafid, Saharuddin, Zainuddin, Muhammad Amin, Puang Lalo, "
        "Tahir, Salahuddin, Syarifuddin, Makmur, Rustam, Rasyid, Mansyur, Basri, Jufri"
    ),
    ("bugis", "P", "old"): _names(
        "Siti Aminah, Siti Hadijah, Siti Rahmah, Siti Maryam, Hasnah, Hasniah, Becce, Besse, "
        "Cicci, Indo Tang, Indo Upe, Nurhaedah, Nurhayati, Nurjannah, Ramlah, Rahmatia, Haerani, "
        "Halimah, Salmah, Hadijah, Jumriah, Nuraeni, Siti Nurbaya, Mariam, Saenab, Sitti Jawiah, "
        "Marawiah, Hamsiah, Saleha, Rukiah, Darawisa, Subaedah, Sanneng, Tenri, Bunga, Hawang, "
        "Fatimah, Aisyah, Nurmiati, Baderiah, Sukmawati, Hasmiah, Kasmawati, Mida"
    ),
    ("bugis", "L", "mid"): _names(
        "Syahrir, Irfan, Arif, Andi Irwan, Syamsul, Rusli, Asri, Asdar, Mursalim, Muhammad Yusuf, "
        "Sahrul, Rahmat, Sukri, Ridwan, Muhammad Arsyad, Muhammad Idris, Abdul Rahman, Hasbi, "
        "Ilham, Amiruddin, Akbar, Syahrul, Irwan, Jumadi, Nasrullah, Anwar, Hendra, Muhammad Ali, "
        "Abdul Azis, Kaharuddin, Muhammad Tahir, Saiful, Firman, Alimuddin, Fadli, Mustari"
    ),
    ("bugis", "P", "mid"): _names(
        "Hasmawati, Nurhaedah, Hasriani, Jumrah, Sartika, Wahyuni, Mirnawati, Kasmawati, Sumarni, "
        "Rahmawati, Nurdiana, Fitriani, Irma, Nurmala, Herlina, Hasnawati, Ernawati, Sitti Hajar, "
        "Nurlina, Rosmiati, Suriani, Asmawati, Hartati, Nurbaya, Syamsiah, Haslinda, Sukmawati, "
        "Mardiana, Rismawati, Nur Asia, Sitti Rahma, Murniati, Darmawati, Nurhayati, Sahariah"
    ),
    ("bugis", "L", "new"): _names(
        "Muhammad Nur, Muhammad Syarif, Asrul, Awal, Ical, Herman, Sahrul, Fadli Akbar, "
        "Muhammad Agung, Muhammad Taufik, Rahmat Hidayat, Syamsul Alam, Jufri, Hasrul, Alimuddin, "
        "Anugrah, Ahmad Fadil, Akhyar, Haerul, Muhammad Adnan, Muhammad Iksan, Nur Hidayat, "
        "Muhammad Rizky, Muhammad Fadli, Ahmad Fauzan, Rizal, Fajar, Ilham, Andika, Fikri, Alif, "
        "Rafi, Akbar, Aqil, Rayyan, Muhammad Al Fatih, Arkan, Haikal, Farhan, Wahyu, Nur Alim, "
        "Muhammad Ikhsan, Muhammad Ridwan, Muhammad Rahman, Muhammad Iqbal, Muhammad Fahri, "
        "Andi Muhammad Rafli, Reski, Ardiansyah, Syahrul Ramadhan, Aldi, Gilang, Taufik, Muhammad "
        "Nur Fajri, Zulfikar, Abdul Rahman, Muhammad Arfah, Sultan, Rafly, Muhammad Yusuf"
    ),
    ("bugis", "P", "new"): _names(
        "Andi Tenri, Nurfadilah, Ismi, Nur Alfiah, Asmaul Husna, Nur Insani, Sri Rahayu, "
        "Nurhidayah, Fitriana, Nurul Qalbi, Hasmirah, Rosdiana, Hikmawati, Nuraini, Sulfiani, "
        "Ratna Sari, Nurjannah, Wahyuni, Widya, Kiki Amelia, Nurul Fitri, Andi Reski, "
        "Nurul Fadilah, Nurul Hidayah, Aisyah Putri, Nabila, Zahra, Azzahra, Keisya, Aqila, "
        "Salsabila, Putri, Nur Aisyah, Nur Hikmah, Sitti Nurhaliza, Andi Nurul, Reski Amalia, "
        "Nur Fadillah, Nurhalisa, Alya, Khairunnisa, Ainun, Nur Azizah, Rahmadani, Aulia, "
        "Adelia, Syahrani, Nurul Izzah, Sitti Aisyah, Nur Afni, Wulandari, Nurfitriani, Annisa"
    ),
    ("makassar", "L", "old"): _names(
        "Rahman, Sija, Tompo, Kebo, Baso, Muhammad Said, Abdul Rahman, Hamzah, Nasir, Mangung, "
        "Sampara, Sangkala, Karaeng, Lalang, Rurung, Beddu, Mappi, Muhammad Ali, Abdul Latif, "
        "Mustari, Sahabuddin, Nurdin, Syamsuddin, Jamaluddin, Muhammad Thahir, Abdul Jalil, "
        "Bahtiar, Ramli, Hamid, Mattewakkang, Ngalle, Sattu, Sirajuddin, Muhammad Arif, Dalle"
    ),
    ("makassar", "P", "old"): _names(
        "Sitti, Sitti Nurung, Bunga, Saripa, Cammu, Sompa, Ngai, Rannu, Sitti Jamilah, Hadijah, "
        "Jumaerah, Intang, Caya, Baji, Hasnah, Kartini, Nurung, Sitti Rahmah, Rosmini, Halijah, "
        "Saenab, Sitti Hawa, Kamariah, Tiro, Sanneng, Mina, Saniasa, Bungko, Rabiah, Nurmi"
    ),
    ("makassar", "L", "mid"): _names(
        "Syamsul Bahri, Ramli, Zainal, Sulaiman, Muhammad Ramli, Abdul Rahim, Rusdi, Amir, "
        "Jumaling, Arifin, Sahabuddin, Kamaruddin, Muhammad Rusli, Hasbullah, Ilyas, Muhammad "
        "Nasir, Ismail, Ahmad Rahman, Rahman, Muhammad Rahman, Rustan, Haerul, Saharuddin, Rahmat"
    ),
    ("makassar", "P", "mid"): _names(
        "Nurhayati, Hasnah, Rosmini, Nurbaeti, Sitti Aminah, Ramlah, Rahmatia, Marlina, Nursiah, "
        "Hasmawati, Suhartini, Jumiati, Nurjannah, Rusmini, Nurliah, Kasmawati, Darmawati, Murni"
    ),
    ("makassar", "L", "new"): _names(
        "Ahmad Yusran, Fadel, Rifki, Muhammad Asrul, Aswar, Akmal, Nur Ikhsan, Muhammad Arham, "
        "Zulkarnain, Rusdianto, Muhammad Aidil, Ardi, Syahril, Irwan Saputra, Muhammad Amri, "
        "Wildan, Ansar, Agung, Muhammad Reski, Muhammad Syahrul, Firdaus, Haidir, Sahrir, "
        "Muhammad Rizal, Muhammad Rahman, Rahmat Hidayat, Muhammad Fikri, Muhammad Akbar, Ikhsan, "
        "Alfian, Rifaldi, Irsyad, Muhammad Fajar, Syahrul, Muh Nur, Muhammad Alif, Ahmad Dani, "
        "Resky, Muhammad Farhan, Hidayat, Muhammad Arya, Ilham Saputra, Muhammad Ilham"
    ),
    ("makassar", "P", "new"): _names(
        "Fadhila, Nurul Azizah, Sitti Hardianti, Nur Rezki, Ayu Lestari, Hasrianti, Fitri Ayu, "
        "Nur Fitriani, Risnawati, Ulfa, Nur Wahida, Mutmainnah, Husnul Khatimah, Asriani, "
        "Nurul Aulia, Irmayanti, Indah Sari, Nur Qalbi, Anugrah, Sakinah, Nur Ilmi, Marwah, "
        "Nurul Hikmah, Sitti Nurhaliza, Nur Aisyah, Nur Annisa, Putri Ramadhani, Wahyuni, "
        "Rahmawati, Nurfadillah, Riska, Sri Wahyuni, Nur Hidayah, Nurhalisa, Annisa, Aisyah, "
        "Nabila Putri, Azizah, Nur Sakinah, Zaskia, Nurul Izzah"
    ),
    ("jawa", "L", "old"): _names(
        "Sutrisno, Suparman, Slamet, Sugeng, Wagiman, Sukardi, Suharto, Sumarno, Joko Susilo, "
        "Bambang Sutrisno, Heru, Budi Santoso, Tukijo, Paijo, Sarmin, Suyanto, Subagyo, Purwanto, "
        "Mulyono, Gatot, Warsito, Kusnadi, Cahyo, Sukarno, Suwarno, Sujadi, Sukiman, Sunarto, "
        "Marjuki, Karyo, Wiryo, Harjono, Sutarjo, Muhammad Sholeh, Ahmad Yani, Sujono, Darmaji"
    ),
    ("jawa", "P", "old"): _names(
        "Sri Wahyuni, Sri Rahayu, Endang, Suparmi, Sumiati, Tukiyem, Painem, Sulastri, "
        "Siti Aminah, Wartini, Sunarti, Yuliati, Rukmini, Kasiyem, Ngatini, Suwarni, Lestari, "
        "Tri Handayani, Sumini, Jumiyem, Sukinah, Rumiyati, Siti Khotijah, Sutini, Paniyem, "
        "Marsinah, Warsiti"
    ),
    ("jawa", "L", "mid"): _names(
        "Agus, Budi, Eko Prasetyo, Dedi, Joko, Bambang, Hadi Susanto, Teguh, Yudi, Rudi Hartono, "
        "Agus Salim, Wahyu, Dwi Cahyono, Heri, Andi Setiawan, Sugiyanto, Imam, Slamet Riyadi, "
        "Muhammad Arifin, Ahmad Fauzi, Nur Hadi, Triyono, Suryadi, Hendro"
    ),
    ("jawa", "P", "mid"): _names(
        "Sri Lestari, Dwi Astuti, Endah, Wulan, Yuni, Ratna, Dewi Susanti, Tri Wahyuni, Nur Aini, "
        "Siti Fatimah, Puji Rahayu, Retno, Winarti, Kusmiati, Lilik, Sumarni, Nurhayati, Eni"
    ),
    ("jawa", "L", "new"): _names(
        "Muhammad Rizky, Dimas, Bagas, Aditya, Arya, Satria, Galih, Yoga Pratama, Rendi, Reza, "
        "Muhammad Fauzan, Dafa, Raka, Bayu, Danu, Rizky Saputra, Fahmi, Naufal, Muhammad Rafi"
    ),
    ("jawa", "P", "new"): _names(
        "Dewi, Ayu Lestari, Putri, Anisa, Amelia, Nadia, Salsabila, Dinda, Intan, Aulia Rahma, "
        "Tiara, Nur Aini, Siti Nurhaliza, Zahra, Keisya, Aqila, Larasati, Nabila, Syifa"
    ),
    ("sunda", "L", "old"): _names(
        "Asep, Ujang, Dadang, Cecep, Encep, Yayat, Entis, Dede, Ade, Atang, Ukar, Odih, Engkus, "
        "Uhen, Enjang, Oman, Maman, Udin, Apandi, Endang, Usep, Abdul Rohman, Muhammad Soleh"
    ),
    ("sunda", "P", "old"): _names(
        "Euis, Cucu, Neneng, Iis, Imas, Enok, Entin, Eti, Nining, Popon, Yati, Dedeh, Lilis, "
        "Nenden, Enah, Onah, Iyah, Ijah, Tati, Oom, Siti Rohmah, Aisah"
    ),
    ("sunda", "L", "mid"): _names(
        "Asep Saepudin, Iwan Setiawan, Deden, Dodi, Yana, Rudi, Hendra, Agus, Dadan, Ujang Sopian, "
        "Aep, Dani, Wawan, Yusuf, Heri, Dedi Mulyadi"
    ),
    ("sunda", "P", "mid"): _names(
        "Neng Yuli, Rina, Leni, Yeni, Euis Kurniasih, Elis, Tuti, Nia, Lina, Rini, Siti Nurjanah, "
        "Wiwin, Ai, Nurlela, Dewi"
    ),
    ("sunda", "L", "new"): _names(
        "Rizki, Fajar, Ilham, Raffi, Ridwan, Muhammad Fauzi, Gilang, Rangga, Jajang, Farhan, "
        "Zidan, Rafa, Muhammad Rafli"
    ),
    ("sunda", "P", "new"): _names(
        "Neng Salsa, Putri, Rahma, Siti Nurjanah, Nabila, Zahra, Syifa, Alya, Nisa, Intan, Sinta"
    ),
    ("melayu", "L", "old"): _names(
        "Rahmat, Syahrul, Zulkifli, Hasan Basri, Ismail, Ibrahim, Yusuf, Abdullah, Hamzah, "
        "Ridwan, Zainal Abidin, Syafruddin, Nasrun, Azhar, Amiruddin, Muhammad Nur, Usman, "
        "Harun, Abdul Majid, Muhammad Daud, Jamal, Kasim, Muhammad Yunus, Ali Akbar"
    ),
    ("melayu", "P", "old"): _names(
        "Nurhayati, Fatimah, Aisyah, Rosmawati, Zubaidah, Nurlela, Rosita, Yusniar, Hafsah, "
        "Mariana, Syamsiah, Rahmawati, Siti Zaleha, Rohani, Maimunah, Khadijah, Jamilah, Asiah"
    ),
    ("melayu", "L", "mid"): _names(
        "Hendra, Rudi, Irwan, Syahrial, Zulfahmi, Fauzi, Andi, Riko, Firdaus, Syaiful, Muhammad "
        "Rizal, Effendi, Ahmad Zaki, Hasbi, Khairul, Dedi"
    ),
    ("melayu", "P", "mid"): _names(
        "Nurul, Rina, Fitri, Yanti, Desi, Lina, Rosdiana, Nurmala, Hasanah, Mutia, Erna, Juliana, "
        "Sri Mulyani, Rahmah, Nur Aini"
    ),
    ("melayu", "L", "new"): _names(
        "Muhammad Alif, Muhammad Rizki, Fadil, Rafi, Aqil, Haikal, Zikri, Fadhlan, Rayhan, "
        "Muhammad Hafiz, Arif, Naufal, Muhammad Raihan"
    ),
    ("melayu", "P", "new"): _names(
        "Nurul Aini, Aisyah, Zahra, Nabila, Khairunnisa, Aqila, Syakira, Nayla, Putri, Cut Intan, "
        "Nur Azizah, Sabrina, Kayla"
    ),
}

# Makassar "paddaengang": the name used after "Daeng" ("Rahman Dg. Ngawing").
DAENG_NAMES = _names(
    "Ngawing, Nai, Ngalle, Kebo, Bunga, Sese, Tayang, Ngerang, Nompo, Rannu, Sibali, Tompo, Sija, "
    "Ngasseng, Bau, Caya, Intang, Te'ne, Baji, Lino, Ngai, Rowa, Lele, Sompa, Tutu, Gassing, "
    "Jarung, Sikki, Mangung, Rurung, Ma'ja, Sangnging, Ngemba, Puji"
)
COMPOUND_HEADS = frozenset({"Muhammad", "Abdul", "Ahmad", "Siti", "Sitti", "Nur", "Andi"})
DEGREES = [", S.Pd.", ", S.E.", ", S.Sos.", ", S.Kep.", ", S.H.", ", S.T.", ", S.Pd.I", ", S.Ag."]

# Spelling variants of whole tokens, with weights (the first is the common form).
VARIANTS: dict[str, Pick] = {
    "Muhammad": Pick(
        {"Muhammad": 48, "Muhamad": 10, "Mohammad": 7, "Mohamad": 4, "Moh.": 9, "Muh.": 13,
         "M.": 6, "Mochammad": 2}
    ),
    "Siti": Pick({"Siti": 60, "Sitti": 28, "St.": 9, "Sity": 3}),
    "Sitti": Pick({"Sitti": 70, "Siti": 22, "St.": 8}),
    "Nur": Pick({"Nur": 82, "Noor": 12, "Nurr": 1, "Nour": 5}),
    "Abdul": Pick({"Abdul": 78, "Abd.": 16, "Abd": 3, "Abdoel": 3}),
    "Rahman": Pick({"Rahman": 72, "Rachman": 14, "Rakhman": 4, "Rahmang": 5, "Rohman": 5}),
    "Ahmad": Pick({"Ahmad": 72, "Achmad": 16, "Akhmad": 6, "Ahmat": 6}),
    "Yusuf": Pick({"Yusuf": 75, "Yusup": 12, "Jusuf": 8, "Yusuff": 5}),
    "Hadijah": Pick({"Hadijah": 60, "Khadijah": 25, "Hadija": 15}),
    "Fatimah": Pick({"Fatimah": 65, "Fatima": 15, "Patimah": 15, "Fatma": 5}),
    "Aisyah": Pick({"Aisyah": 70, "Aisah": 18, "Aisya": 12}),
    "Andi": Pick({"Andi": 82, "A.": 18}),
    "Rizky": Pick({"Rizky": 50, "Rizki": 30, "Riski": 10, "Reski": 5, "Rezky": 5}),
    "Said": Pick({"Said": 85, "Sahid": 15}),
    "Nurhayati": Pick({"Nurhayati": 85, "Noorhayati": 8, "Nurhayaty": 7}),
    "Hasanuddin": Pick({"Hasanuddin": 70, "Hasanudin": 30}),
    "Syamsuddin": Pick({"Syamsuddin": 55, "Syamsudin": 25, "Samsuddin": 12, "Sjamsuddin": 8}),
    "Jamaluddin": Pick({"Jamaluddin": 70, "Jamaludin": 30}),
    "Baharuddin": Pick({"Baharuddin": 70, "Baharudin": 30}),
    "Kamaruddin": Pick({"Kamaruddin": 70, "Kamarudin": 30}),
    "Syarifuddin": Pick({"Syarifuddin": 60, "Syarifudin": 25, "Sjarifuddin": 15}),
    "Zainal": Pick({"Zainal": 80, "Zainul": 20}),
    "Rahmat": Pick({"Rahmat": 80, "Rachmat": 15, "Rakhmat": 5}),
}  # fmt: skip
OLD_SPELLING_POOLS = frozenset({"jawa", "sunda", "melayu"})
ETHNIC_MIX: dict[str, Pick] = {
    "73": Pick({"bugis": 46, "makassar": 36, "jawa": 7, "melayu": 9, "sunda": 2}),
    "76": Pick({"bugis": 60, "makassar": 10, "jawa": 15, "melayu": 15}),
    "74": Pick({"bugis": 35, "makassar": 10, "jawa": 20, "melayu": 35}),
    "72": Pick({"bugis": 30, "makassar": 5, "jawa": 20, "melayu": 45}),
    "31": Pick({"jawa": 40, "sunda": 22, "melayu": 32, "bugis": 4, "makassar": 2}),
    "32": Pick({"sunda": 70, "jawa": 18, "melayu": 12}),
    "36": Pick({"sunda": 60, "jawa": 25, "melayu": 15}),
    "33": Pick({"jawa": 90, "sunda": 2, "melayu": 8}),
    "34": Pick({"jawa": 92, "melayu": 8}),
    "35": Pick({"jawa": 88, "melayu": 12}),
}
DEFAULT_ETHNIC_MIX = Pick({"melayu": 65, "jawa": 25, "sunda": 4, "bugis": 4, "makassar": 2})

SULSEL_PLACES = _names(
    "Makassar, Gowa, Bone, Pangkep, Barru, Takalar, Jeneponto, Bulukumba, Sinjai, Soppeng, Wajo, "
    "Sidrap, Pinrang, Enrekang, Palopo, Parepare, Selayar, Bantaeng, Luwu, Toraja, Kendari, Palu, "
    "Mamuju, Balikpapan, Samarinda, Jakarta, Surabaya, Nunukan, Tawau"
)
OTHER_PLACES = _names(
    "Jakarta, Surabaya, Bandung, Medan, Semarang, Makassar, Palembang, Yogyakarta, Malang, Bogor, "
    "Padang, Pekanbaru, Banjarmasin, Pontianak, Solo, Cirebon, Tasikmalaya, Kediri, Jember"
)
STREETS = _names(
    "Poros Maros, Jend. Sudirman, Ahmad Yani, Sultan Hasanuddin, Sultan Alauddin, "
    "Andi Pangerang Pettarani, Dr. Ratulangi, Pendidikan, Kartini, Diponegoro, Perintis "
    "Kemerdekaan, Lanraki, Poros Moncongloe, Dr. Wahidin, Ahmad Dahlan, Veteran, Merdeka, "
    "Bougenville, Cendrawasih, Rajawali, Masjid Raya, Pahlawan, Nusantara, Pattimura, "
    "Andi Mappanyukki, Kemakmuran, Garuda, Teuku Umar, Gatot Subroto, Sam Ratulangi, Mawar, Melati"
)
DUSUN_WORDS = _names(
    "Bontoa, Bonto Tangnga, Kampung Beru, Borong, Lempangang, Parang, Pattene, Tamalate, "
    "Bontomanai, Bulu, Allaere, Kassi, Pakalli, Lekopancing, Samanggi, Bonto Bunga, Lappara, "
    "Moncongloe, Tanete, Barambang, Biringkaloro, Sanrangan, Baddo, Kalukuang, Pa'bentengang, "
    "Bontoparang, Jene'tallasa, Campagaya, Cambaya, Laikang, Galesong, Panaikang, Talasa, "
    "Kaemba, Tompo Balang, Sampeang, Leppangeng, Tallasa, Patte'ne, Balla Lompoa, Tombolo"
)
PERUMAHAN = _names("Griya Asri, Bumi Permata, Villa Mutiara, Taman Sari, Graha Indah, BTN Pepabri")

# --- Household attributes by poverty --------------------------------------------------------

POOR_DESIL = Pick({1: 35, 2: 35, 3: 30})
OTHER_DESIL = Pick({4: 30, 5: 22, 6: 16, 7: 12, 8: 9, 9: 6, 10: 5})
FAKIR_MISKIN_BY_DESIL = {1: 0.45, 2: 0.2, 3: 0.08}

HOUSING: dict[str, tuple[Pick, Pick]] = {
    # field: (poor, not poor)
    "ownership": (Pick({1: 70, 2: 8, 3: 18, 5: 4}), Pick({1: 82, 2: 12, 3: 4, 4: 1, 5: 1})),
    "land_ownership": (Pick({1: 60, 2: 30, 3: 5, 4: 5}), Pick({1: 85, 2: 10, 3: 3, 4: 2})),
    "floor_material": (
        Pick({9: 15, 7: 5, 8: 25, 6: 35, 4: 10, 2: 9, 10: 1}),
        Pick({2: 50, 4: 15, 6: 15, 5: 12, 1: 3, 3: 2, 8: 3}),
    ),
    "wall_material": (
        Pick({3: 45, 4: 20, 1: 25, 2: 5, 5: 3, 6: 2}),
        Pick({1: 70, 3: 25, 2: 3, 6: 2}),
    ),
    "roof_material": (
        Pick({4: 75, 7: 10, 3: 8, 2: 5, 5: 2}),
        Pick({4: 65, 2: 20, 3: 8, 1: 5, 5: 2}),
    ),
    "water_source": (
        Pick({6: 15, 5: 25, 4: 15, 2: 20, 7: 5, 8: 5, 9: 10, 10: 5}),
        Pick({2: 40, 4: 20, 3: 15, 1: 5, 5: 15, 7: 5}),
    ),
    "lighting": (Pick({1: 70, 2: 20, 3: 6, 4: 4}), Pick({1: 97, 2: 3})),
    "cooking_fuel": (
        Pick({3: 60, 8: 35, 5: 3, 7: 2}),
        Pick({3: 75, 2: 12, 1: 5, 8: 8}),
    ),
    "toilet_use": (Pick({1: 55, 2: 20, 3: 10, 4: 15}), Pick({1: 95, 2: 5})),
}
WATTAGE = (Pick({450: 70, 900: 30}), Pick({450: 15, 900: 45, 1300: 25, 2200: 10, 2201: 5}))
TOILET_TYPE = (Pick({1: 60, 2: 20, 3: 20}), Pick({1: 97, 2: 2, 3: 1}))
WASTE = (Pick({1: 45, 3: 30, 4: 15, 5: 10}), Pick({1: 90, 2: 2, 3: 8}))
NO_TOILET_WASTE = Pick({4: 60, 5: 35, 6: 5})
# asset code: (share among poor, share among others)
ASSETS = [
    ("gas5", 0.02, 0.2), ("fridge", 0.15, 0.55), ("ac", 0.0, 0.08), ("heater", 0.0, 0.02),
    ("phone", 0.0, 0.02), ("tv", 0.45, 0.75), ("gold", 0.03, 0.25), ("computer", 0.01, 0.15),
    ("bicycle", 0.2, 0.2), ("motorcycle", 0.5, 0.8), ("car", 0.005, 0.1), ("boat", 0.05, 0.04),
    ("motorboat", 0.02, 0.03), ("smartphone", 0.7, 0.88), ("land", 0.05, 0.25),
    ("house", 0.0, 0.08),
]  # fmt: skip
# card code: (share among poor, share among others)
CARDS = [
    ("kks", 0.55, 0.03), ("kip", 0.3, 0.02), ("kis", 0.85, 0.2), ("pkh", 0.45, 0.02),
    ("bpnt", 0.6, 0.03), ("bpjs", 0.05, 0.45), ("jamsostek", 0.02, 0.15), ("kur", 0.01, 0.05),
    ("rastra", 0.05, 0.0),
]  # fmt: skip
# livestock: (share of households, max head)
LIVESTOCK = [("unggas", 0.35, 30), ("kambing", 0.1, 8), ("sapi", 0.08, 5), ("kerbau", 0.01, 3)]

COMPOSITION = Pick(
    {"couple_kids": 56, "couple": 6, "single_parent": 9, "single": 5, "extended": 11,
     "three_gen": 10, "skipped": 3}
)  # fmt: skip

# --- Person attributes ----------------------------------------------------------------------

EDUCATION_BY_COHORT = {
    # birth year from: codes none, SD, SMP, SMA, Diploma, S1, S2
    1990: Pick({0: 2, 1: 15, 2: 22, 3: 40, 4: 6, 5: 14, 6: 1}),
    1970: Pick({0: 5, 1: 30, 2: 22, 3: 28, 4: 4, 5: 10, 6: 1}),
    1955: Pick({0: 15, 1: 45, 2: 15, 3: 17, 4: 2, 5: 5, 6: 1}),
    0: Pick({0: 35, 1: 45, 2: 8, 3: 8, 4: 1, 5: 3}),
}
# Youngest age at which a level can have been reached (attended).
EDUCATION_MIN_AGE = {0: 0, 1: 6, 2: 12, 3: 15, 4: 18, 5: 19, 6: 23}
SECTOR_RURAL = Pick({1: 40, 2: 4, 3: 6, 4: 1, 5: 2, 6: 5, 7: 8, 8: 15, 9: 6, 10: 10, 11: 3})
SECTOR_URBAN = Pick({1: 8, 2: 2, 3: 3, 6: 10, 7: 10, 8: 28, 9: 10, 10: 25, 5: 1, 11: 3})
WORK_STATUS = Pick({1: 35, 2: 10, 3: 2, 4: 25, 5: 15, 6: 13})
WORK_STATUS_POOR = Pick({1: 30, 2: 5, 4: 15, 5: 35, 6: 15})
DISABILITY_TYPE = Pick({1: 40, 4: 25, 2: 12, 3: 13, 5: 10})
SEVERITY = Pick({1: 40, 2: 35, 3: 25})
CHRONIC_ADULT = Pick({1: 35, 2: 15, 5: 12, 3: 8, 4: 8, 6: 5, 7: 5, 8: 2, 9: 2, 10: 8})
CHRONIC_CHILD = Pick({3: 60, 6: 15, 4: 5, 10: 20})
PPKS_SOURCE = Pick({"dtks": 40, "musdes": 25, "visit": 20, "referral": 8, "self": 7})
# Rare person-level PPKS: (number, weight, min age, max age, sex or "").
RARE_PPKS = [
    (13, 40, 15, 75, ""), (15, 25, 19, 65, "L"), (19, 15, 18, 70, "P"), (20, 15, 20, 50, ""),
    (17, 12, 15, 45, ""), (12, 8, 30, 90, ""), (4, 6, 8, 17, ""), (7, 5, 6, 17, ""),
    (14, 5, 0, 90, ""), (11, 3, 20, 80, ""), (3, 4, 12, 17, ""), (6, 6, 3, 17, ""),
    (18, 3, 15, 35, "P"), (16, 2, 20, 50, ""), (10, 2, 18, 40, "P"),
]  # fmt: skip
RARE_PPKS_SHARE = 0.006


class FastRandom(Random):
    """``random.Random`` with cheaper integer helpers (one ``random()`` call each).

    The standard ones draw rejection-sampled bits, which is exact but several times slower; a
    float draw is plenty for synthetic data and just as deterministic.
    """

    def randint(self, a: int, b: int) -> int:  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))

    def randrange(self, n: int) -> int:  # type: ignore[override]
        return int(self.random() * n)

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]


def _uid(rng: Random) -> str:
    """A version-4 UUID (as 32 hex digits) from the RNG: UUID(int=..., version=4).hex."""
    n = rng.getrandbits(128)
    n = (n & ~(0xF000 << 64)) | (0x4000 << 64)
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)
    return f"{n:032x}"


class _Member:
    """A person while the household is being put together."""

    __slots__ = ("rel", "sex", "bd", "marital", "pool", "father")

    def __init__(self, rel: int, sex: str, bd: date, marital: int, pool: str, father: str = ""):
        self.rel = rel
        self.sex = sex
        self.bd = bd
        self.marital = marital
        self.pool = pool
        self.father = father  # a given-name token passed on to children now and then


class RegistryGenerator:
    """Yields :class:`GenHousehold` objects for ``households`` households in ``region``.

    ``nik_serials`` / ``kk_serials`` hold the highest serial already used per 12-digit prefix
    (district digits + date), so generated numbers continue after existing ones.
    ``name_key`` turns a full name into its search key (``pandu.registry.names.search_key``).
    """

    def __init__(
        self,
        region: RegionInfo,
        *,
        households: int,
        seed: int,
        categories: Sequence[CategoryRule],
        name_key: Callable[[str], str],
        nik_serials: dict[str, int] | None = None,
        kk_serials: dict[str, int] | None = None,
    ) -> None:
        if households < 1:
            raise GenerationError("households must be at least 1")
        if not region.villages:
            raise GenerationError(f"area {region.code} has no villages")
        self.region = region
        self.households = households
        self.seed = seed
        key = f"{seed}|{region.code}"
        self.rng = FastRandom(f"pandu-synth|data|{key}")
        self.uid_rng = Random(f"pandu-synth|uid|{key}")
        self._name_key = name_key
        self._name_keys: dict[str, str] = {}
        self.nik_serials: dict[str, int] = dict(nik_serials or {})
        self.kk_serials: dict[str, int] = dict(kk_serials or {})
        self.rules = {c.number: c for c in categories}
        self._village_info: dict[str, tuple] = {}
        self._pick_village = self._village_table(Random(f"pandu-synth|villages|{key}"))
        self.ethnic_mix = ETHNIC_MIX.get(region.code[:2], DEFAULT_ETHNIC_MIX)
        self.sulsel = region.code[:2] in ("73", "76")

    # -- public -----------------------------------------------------------------------------

    def __iter__(self) -> Iterator[GenHousehold]:
        for _ in range(self.households):
            yield self._household()

    def first_uid(self) -> str:
        """The uid the first household will get (to detect a seed that was loaded before)."""
        probe = Random()
        probe.setstate(self.uid_rng.getstate())
        return _uid(probe)

    # -- villages ---------------------------------------------------------------------------

    def _village_table(self, rng: Random) -> Pick:
        """Uneven but fixed village weights: towns (kelurahan) are denser than villages."""
        weights = []
        for v in self.region.villages:
            w = rng.lognormvariate(0.0, 0.7)
            if len(v.code) == 13 and v.code[9] == "1":
                w *= 1.8
            weights.append((v, w))
        return Pick(weights)

    def _village(self, village: Village) -> tuple:
        """Per-village layout (RW count, RT count, dusun or street names), fixed by its code."""
        info = self._village_info.get(village.code)
        if info is None:
            rng = Random(f"pandu-synth|village|{self.seed}|{village.code}")
            n_rw = rng.randint(2, 6)
            rt_max = rng.randint(4, 15)
            kelurahan = len(village.code) == 13 and village.code[9] == "1"
            if kelurahan:
                places = rng.sample(STREETS, 5)
            else:
                places = rng.sample(DUSUN_WORDS, n_rw)
                if village.name not in places and rng.random() < 0.5:
                    places[0] = village.name
            district = village.code[:8]
            regency = village.code[:5]
            info = (
                n_rw,
                rt_max,
                kelurahan,
                places,
                district.replace(".", ""),
                regency,
                _short_regency(self.region.regency_names.get(regency, "")),
                self.region.district_names.get(district, ""),
            )
            self._village_info[village.code] = info
        return info

    # -- household --------------------------------------------------------------------------

    def _household(self) -> GenHousehold:
        rng = self.rng
        r = rng.random
        village = self._pick_village(r())
        n_rw, rt_max, kelurahan, places, district_digits, regency, regency_name, district_name = (
            self._village(village)
        )
        rw = rng.randint(1, n_rw)
        rt = rng.randint(1, rt_max)
        if kelurahan:
            if r() < 0.1:
                address = f"{rng.choice(PERUMAHAN)} Blok {'ABCDEFGH'[rng.randrange(8)]}"
                address += f" No. {rng.randint(1, 40)}"
            else:
                address = f"Jl. {rng.choice(places)} No. {rng.randint(1, 250)}"
        elif r() < 0.12:
            address = f"Jl. Poros {village.name} No. {rng.randint(1, 120)}"
        else:
            address = f"Dusun {places[(rw - 1) % len(places)]}"

        poor = r() < (0.28 if kelurahan else 0.36)
        if poor:
            desil: int | None = POOR_DESIL(r())
        else:
            desil = OTHER_DESIL(r()) if r() < 0.45 else None
        pool = self.ethnic_mix(r())
        members = self._compose(pool, poor)
        head = members[0]

        # KK issued after the head turned 17, not before 2005 (16-digit KK with this shape).
        earliest = max(_add_years(head.bd, 17).toordinal(), date(2005, 1, 1).toordinal())
        kk_issued = date.fromordinal(rng.randint(earliest, max(earliest, REF_ORD - 1)))
        kk_number = self._kk(district_digits, regency, kk_issued)

        hh_uid = _uid(self.uid_rng)
        people: list[GenPerson] = []
        ppks: list[GenPPKS] = []
        alone = len(members) == 1 or all(m.rel == GRANDCHILD for m in members[1:])
        for index, m in enumerate(members):
            person = self._person(
                m, poor, kelurahan, district_digits, regency, regency_name, district_name,
                kk_issued, head_has_spouse=any(x.rel == SPOUSE for x in members),
            )  # fmt: skip
            people.append(person)
            self._person_ppks(person, index, poor, desil, alone, ppks)
        self._household_ppks(people, desil, poor, ppks)

        i = 0 if poor else 1
        own = HOUSING["ownership"][i](r())
        lighting = HOUSING["lighting"][i](r())
        toilet_use = HOUSING["toilet_use"][i](r())
        if toilet_use == 4:
            toilet_type, waste = 4, NO_TOILET_WASTE(r())
        else:
            toilet_type, waste = TOILET_TYPE[i](r()), WASTE[i](r())
        fishing = any(p.work_sector == 3 for p in people)
        assets = [
            code
            for code, p_poor, p_rich in ASSETS
            if r() < (p_poor if poor else p_rich) * (4 if fishing and "boat" in code else 1)
        ]
        cards = [code for code, p_poor, p_rich in CARDS if r() < (p_poor if poor else p_rich)]
        livestock = {kind: rng.randint(1, most) for kind, share, most in LIVESTOCK if r() < share}
        size = len(people)
        return GenHousehold(
            uid=hh_uid,
            kk_number=kk_number,
            kk_issued=kk_issued,
            village_code=village.code,
            rt=rt,
            rw=rw,
            address=address,
            desil=desil,
            ownership=own,
            land_ownership=HOUSING["land_ownership"][i](r()),
            floor_area=(
                rng.randint(18, 30 + 6 * size) if poor else rng.randint(36, 70 + 20 * size)
            ),
            floor_material=HOUSING["floor_material"][i](r()),
            wall_material=HOUSING["wall_material"][i](r()),
            wall_condition=(2 if r() < 0.7 else 1) if poor else (1 if r() < 0.9 else 2),
            roof_material=HOUSING["roof_material"][i](r()),
            roof_condition=(2 if r() < 0.65 else 1) if poor else (1 if r() < 0.9 else 2),
            bedrooms=rng.randint(1, 2) if poor else rng.randint(2, 4),
            water_source=HOUSING["water_source"][i](r()),
            lighting=lighting,
            wattage=WATTAGE[i](r()) if lighting == 1 else 0,
            cooking_fuel=HOUSING["cooking_fuel"][i](r()),
            toilet_use=toilet_use,
            toilet_type=toilet_type,
            waste_disposal=waste,
            assets=assets,
            livestock=livestock,
            has_business=r() < (0.12 if poor else 0.25),
            cards=cards,
            members=people,
            ppks=ppks,
        )

    def _compose(self, pool: str, poor: bool) -> list[_Member]:
        """Who lives in the household: relationships, sexes, birth dates, marital status."""
        rng = self.rng
        r = rng.random
        kind = COMPOSITION(r())
        members: list[_Member] = []

        def born(age: float) -> date:
            return date.fromordinal(REF_ORD - int(age * YEAR) - rng.randrange(365))

        def spouse_pool() -> str:
            return pool if r() < 0.8 else self.ethnic_mix(r())

        def add_couple(head_age: float) -> tuple[_Member, _Member]:
            male_head = r() < 0.95
            gap = max(-5.0, min(15.0, rng.gauss(3.5, 4.0)))  # husband older by this many years
            husband_age = head_age if male_head else head_age + gap
            wife_age = max(18.0, husband_age - gap)
            husband = _Member(HEAD if male_head else SPOUSE, "L", born(husband_age), MARRIED,
                              pool if male_head else spouse_pool())  # fmt: skip
            wife = _Member(SPOUSE if male_head else HEAD, "P", born(wife_age), MARRIED,
                           spouse_pool() if male_head else pool)  # fmt: skip
            if male_head:
                members.extend((husband, wife))
            else:
                members.extend((wife, husband))
            return husband, wife

        if kind == "couple_kids":
            husband, wife = add_couple(rng.triangular(22, 68, 36))
            self._children(members, wife, husband, rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))
        elif kind == "couple":
            age = rng.uniform(20, 32) if r() < 0.45 else rng.triangular(50, 85, 60)
            add_couple(age)
        elif kind == "single_parent":
            female = r() < 0.78
            head = _Member(HEAD, "P" if female else "L", born(rng.triangular(26, 72, 42)),
                           WIDOWED if r() < 0.6 else DIVORCED, pool)  # fmt: skip
            members.append(head)
            self._children(members, head, None, rng.choice((1, 2, 2, 3, 3, 4)))
        elif kind == "single":
            if r() < 0.5:
                head = _Member(
                    HEAD,
                    "P" if r() < 0.7 else "L",
                    born(rng.triangular(60, 92, 70)),
                    WIDOWED if r() < 0.8 else (DIVORCED if r() < 0.5 else SINGLE),
                    pool,
                )
            else:
                head = _Member(
                    HEAD,
                    "L" if r() < 0.65 else "P",
                    born(rng.uniform(19, 45)),
                    SINGLE if r() < 0.85 else DIVORCED,
                    pool,
                )
            members.append(head)
        elif kind == "extended":
            husband, wife = add_couple(rng.triangular(24, 55, 35))
            self._children(members, wife, husband, rng.choice((0, 1, 2, 2, 3, 3)))
            # A parent or parent-in-law of the head, or both.
            base = members[0] if r() < 0.6 else members[1]
            base_age = age_on(base.bd, REFERENCE_DATE)
            p_age = base_age + rng.randint(20, 40)
            if p_age <= 95:
                if r() < 0.3 and p_age + 4 <= 95:
                    members.append(_Member(PARENT, "L", born(p_age + rng.uniform(0, 4)), MARRIED,
                                           base.pool))  # fmt: skip
                    members.append(_Member(PARENT, "P", born(p_age), MARRIED, base.pool))
                else:
                    members.append(
                        _Member(
                            PARENT,
                            "P" if r() < 0.75 else "L",
                            born(p_age),
                            WIDOWED if r() < 0.9 else DIVORCED,
                            base.pool,
                        )
                    )
        elif kind == "three_gen":
            husband, wife = add_couple(rng.triangular(48, 80, 58))
            self._three_generations(members, wife, husband)
        else:  # "skipped": grandparent(s) raising grandchildren whose parents work away
            if r() < 0.5:
                husband, wife = add_couple(rng.triangular(52, 82, 62))
                grand_base = wife
            else:
                grand_base = _Member(
                    HEAD, "P" if r() < 0.8 else "L", born(rng.triangular(52, 85, 64)), WIDOWED, pool
                )
                members.append(grand_base)
            # Grandchildren: 34-70 years younger than the grandparent, at least 1 year old.
            g_age = age_on(grand_base.bd, REFERENCE_DATE)
            hi, lo = min(17, g_age - 34), max(1, g_age - 70)
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                if hi >= lo:
                    members.append(
                        _Member(
                            GRANDCHILD,
                            "L" if r() < 0.51 else "P",
                            born(rng.uniform(lo, hi)),
                            SINGLE,
                            pool,
                        )
                    )

        # Now and then another relative (a nephew, a widowed aunt) or a household help.
        if len(members) < MAX_MEMBERS and r() < 0.045:
            age = rng.uniform(8, 70)
            members.append(_Member(OTHER, "L" if r() < 0.45 else "P", born(age),
                                   self._adult_marital(age, r()), pool))  # fmt: skip
        if len(members) < MAX_MEMBERS and r() < (0.002 if poor else 0.01):
            age = rng.uniform(18, 55)
            members.append(
                _Member(
                    HELP,
                    "P" if r() < 0.85 else "L",
                    born(age),
                    self._adult_marital(age, r()),
                    self.ethnic_mix(r()),
                )
            )
        return members[:MAX_MEMBERS]

    @staticmethod
    def _adult_marital(age: float, r: float) -> int:
        if age < 19:
            return SINGLE
        if age < 30:
            return SINGLE if r < 0.8 else (MARRIED if r < 0.95 else DIVORCED)
        if age < 60:
            return (
                MARRIED
                if r < 0.45
                else (SINGLE if r < 0.7 else (DIVORCED if r < 0.85 else WIDOWED))
            )
        return WIDOWED if r < 0.7 else (MARRIED if r < 0.85 else DIVORCED)

    def _children(
        self, members: list[_Member], mother: _Member, father: _Member | None, wanted: int
    ) -> list[_Member]:
        """Children born when each parent was 16-45; grown-ups have often moved out."""
        rng = self.rng
        r = rng.random
        parents = [p for p in (mother, father) if p is not None]
        birth_age = rng.uniform(18, 30)
        kids: list[_Member] = []
        pool = father.pool if father is not None else mother.pool
        for _ in range(wanted):
            if len(members) >= MAX_MEMBERS - 1:
                break
            bd = date.fromordinal(
                mother.bd.toordinal() + int(birth_age * YEAR) + rng.randrange(300)
            )
            birth_age += rng.uniform(1.4, 5.5)
            if bd.toordinal() > REF_ORD:
                break
            if not all(16 <= age_on(p.bd, bd) <= 45 for p in parents):
                continue
            age = age_on(bd, REFERENCE_DATE)
            if age >= 25 and r() < min(0.9, 0.2 + (age - 25) * 0.07):
                continue  # married or working elsewhere: on another KK
            if age < 19:
                marital = SINGLE
            else:
                marital = SINGLE if r() < 0.9 else (DIVORCED if r() < 0.8 else WIDOWED)
            kid = _Member(CHILD, "L" if r() < 0.51 else "P", bd, marital, pool,
                          father=(father or mother).pool)  # fmt: skip
            kids.append(kid)
            members.append(kid)
        return kids

    def _three_generations(self, members: list[_Member], wife: _Member, husband: _Member) -> None:
        """An older couple, a married child with their spouse (menantu) and grandchildren."""
        rng = self.rng
        r = rng.random
        kids = self._children(members, wife, husband, rng.choice((1, 2, 2, 3)))
        adults = [k for k in kids if age_on(k.bd, REFERENCE_DATE) >= 20]
        if not adults:
            return
        married = adults[0]
        married.marital = MARRIED
        m_age = age_on(married.bd, REFERENCE_DATE)
        gap = rng.uniform(-3, 8)  # husband older by this many years
        in_law_age = max(19.0, m_age - gap if married.sex == "L" else m_age + gap)
        in_law = _Member(
            CHILD_IN_LAW,
            "P" if married.sex == "L" else "L",
            date.fromordinal(REF_ORD - int(in_law_age * YEAR) - rng.randrange(365)),
            MARRIED,
            self.ethnic_mix(r()),
        )
        members.append(in_law)
        mother, father = (in_law, married) if married.sex == "L" else (married, in_law)
        before = len(members)
        self._children(members, mother, father, rng.choice((1, 1, 2, 2, 3)))
        for grandchild in members[before:]:
            grandchild.rel = GRANDCHILD

    # -- people -----------------------------------------------------------------------------

    def _person(
        self,
        m: _Member,
        poor: bool,
        kelurahan: bool,
        district_digits: str,
        regency: str,
        regency_name: str,
        district_name: str,
        kk_issued: date,
        *,
        head_has_spouse: bool,
    ) -> GenPerson:
        rng = self.rng
        r = rng.random
        bd = m.bd
        age = age_on(bd, REFERENCE_DATE)
        female = m.sex == "P"

        # Education (highest level attended) and school participation.
        if age < 5:
            education, school = 0, 0
        elif age < 7:
            education, school = 0, (1 if r() < 0.4 else 0)
        elif age <= 18:
            level = 1 if age <= 12 else (2 if age <= 15 else 3)
            if r() < (0.12 if poor else 0.04) and age >= 10:
                education, school = max(1, level - 1), 2
            else:
                education, school = level, 1
        else:
            cohort = (
                1990
                if bd.year >= 1990
                else 1970
                if bd.year >= 1970
                else 1955
                if bd.year >= 1955
                else 0
            )
            education = EDUCATION_BY_COHORT[cohort](r())
            if poor:
                education = min(education, EDUCATION_BY_COHORT[cohort](r()))
            while EDUCATION_MIN_AGE[education] > age:
                education -= 1
            if age <= 23 and education >= 3 and r() < 0.35:
                education, school = max(education, 4 if age < 21 else 5), 1
                while EDUCATION_MIN_AGE[education] > age:
                    education -= 1
            else:
                school = 0 if education == 0 else 2

        # Work in the last week (asked from age 10; reported from 15).
        if age < 10:
            worked: bool | None = None
            work_status: int | None = None
            sector: int | None = None
        else:
            if age < 15 or school == 1:
                p_work = 0.03 if age < 15 else 0.1
            elif age < 20:
                p_work = 0.5
            elif age < 60:
                p_work = 0.5 if female else 0.9
            elif age < 70:
                p_work = 0.25 if female else 0.6
            else:
                p_work = 0.08 if female else 0.3
            if m.rel == HEAD and not female and age < 65:
                p_work = 0.95
            if m.rel == HEAD and female and not head_has_spouse and age < 60:
                p_work = 0.8
            worked = r() < p_work
            if worked:
                work_status = (WORK_STATUS_POOR if poor else WORK_STATUS)(r())
                if age < 18 and work_status in (3, 4):
                    work_status = 6
                sector = (SECTOR_URBAN if kelurahan else SECTOR_RURAL)(r())
            else:
                work_status, sector = 0, 0

        # Disability, chronic illness, pregnancy.
        p_dis = 0.01 if age < 18 else 0.019 if age < 60 else 0.05 if age < 75 else 0.12
        if r() < p_dis:
            disability, severity = DISABILITY_TYPE(r()), SEVERITY(r())
        else:
            disability = severity = 0
        p_ill = 0.015 if age < 30 else 0.05 if age < 45 else 0.15 if age < 60 else 0.3
        illness = (CHRONIC_CHILD if age < 18 else CHRONIC_ADULT)(r()) if r() < p_ill else 0
        pregnant = (
            female
            and m.marital == MARRIED
            and 18 <= age <= 45
            and r() < (0.05 if age <= 35 else 0.02)
        )

        ever_married = m.marital != SINGLE
        certificate = (r() < (0.72 if poor else 0.9)) if ever_married else None
        id_card = (r() < 0.96) if age >= 17 or ever_married else False

        full_name = self._full_name(m, age, education)
        name_key = self._name_keys.get(full_name)
        if name_key is None:
            if len(self._name_keys) > 500_000:
                self._name_keys.clear()
            name_key = self._name_keys[full_name] = self._name_key(full_name)

        # Birth place: mostly the home regency, otherwise nearby or where parents worked.
        x = r()
        if x < 0.55 or (age < 10 and x < 0.9):
            birth_place = regency_name or district_name
        elif x < 0.72:
            birth_place = district_name or regency_name
        else:
            birth_place = rng.choice(SULSEL_PLACES if self.sulsel else OTHER_PLACES)

        # NIK: district where first registered + birth date (+40 for women) + serial.
        flagged = r() < MISMATCH_SHARE
        nik_date = bd
        if flagged:
            nik_date = _mismatched_date(rng, bd)
        nik_district = district_digits
        if r() < MOVER_SHARE:
            others = self.region.districts_by_regency.get(regency) or [district_digits]
            nik_district = rng.choice(others)
        nik = self._nik(nik_district, regency, nik_date, female)

        if m.rel in (CHILD, GRANDCHILD):
            started = bd
        else:
            earliest = max(kk_issued.toordinal(), _add_years(bd, 17).toordinal())
            if m.rel in (HEAD, SPOUSE):
                earliest = kk_issued.toordinal()
            started = date.fromordinal(
                min(REF_ORD - 1, earliest + (0 if m.rel in (HEAD, SPOUSE) else rng.randrange(900)))
            )
            started = max(started, bd)

        return GenPerson(
            uid=_uid(self.uid_rng),
            nik=nik,
            full_name=full_name,
            name_key=name_key,
            sex=m.sex,
            birth_place=birth_place,
            birth_date=bd,
            relationship=m.rel,
            marital_status=m.marital,
            has_marriage_certificate=certificate,
            has_id_card=id_card,
            school_participation=school,
            education=education,
            worked_last_week=worked,
            work_status=work_status,
            work_sector=sector,
            disability_type=disability,
            disability_severity=severity,
            chronic_illness=illness,
            pregnant=pregnant,
            flagged=flagged,
            membership_started=started,
        )

    def _full_name(self, m: _Member, age: int, education: int) -> str:
        rng = self.rng
        r = rng.random
        year = m.bd.year
        cohort = "old" if year < 1975 else "mid" if year < 1995 else "new"
        pool = m.pool
        names = NAMES[(pool, m.sex, cohort)]
        tokens = rng.choice(names).split()
        if cohort == "new" and len(tokens) == 2 and r() < 0.5:
            # Recent names mix freely: "Muhammad" + "Fajar", "Nur" + "Aisyah Putri".
            other = rng.choice(names).split()
            if other[-1] not in tokens:
                tokens[-1] = other[-1]
        if len(tokens) == 1 and tokens[0] not in COMPOUND_HEADS and r() < 0.35:
            # Compound given names: "Muhammad Rahman", "Abdul Karim", "Siti Aminah", "Nur Aisyah".
            if m.sex == "L":
                if cohort == "new":
                    tokens.insert(0, "Muhammad")
                else:
                    tokens.insert(
                        0, "Muhammad" if r() < 0.6 else ("Abdul" if r() < 0.5 else "Ahmad")
                    )
            elif r() < 0.5 and pool in ("bugis", "makassar", "melayu", "jawa"):
                tokens.insert(0, "Sitti" if pool == "bugis" and r() < 0.4 else "Siti")
            else:
                tokens.insert(0, "Nur")
        elif r() < 0.15 and len(tokens) < 3:
            # A second name from the same pool: "Hasnah Ramlah", "Syamsul Rusli".
            extra = rng.choice(names).split()[-1]
            if extra not in tokens:
                tokens.append(extra)
        # Children sometimes carry their father's tradition in a second name.
        if m.rel in (CHILD, GRANDCHILD) and m.father and r() < 0.1 and len(tokens) < 3:
            tokens.append(rng.choice(NAMES[(m.father, "L", "mid")]).split()[-1])

        # Spelling variants, abbreviations and the old (pre-1972) spelling.
        out = []
        for token in tokens:
            variant = VARIANTS.get(token)
            out.append(variant(r()) if variant is not None else token)
        if pool in OLD_SPELLING_POOLS and year < 1970 and r() < 0.3:
            out = [_old_spelling(t) for t in out]

        if pool in ("bugis", "makassar") and r() < 0.04 and out[0] not in ("Andi", "A."):
            out.insert(0, "Andi" if r() < 0.8 else "A.")
        if pool == "makassar" and year < 1985 and r() < 0.3:
            out += ["Daeng" if r() < 0.25 else "Dg.", rng.choice(DAENG_NAMES)]
        if age >= 45 and r() < 0.08:
            x = r()
            title = (
                ("H." if x < 0.85 else "Haji")
                if m.sex == "L"
                else ("Hj." if x < 0.85 else "Hajjah")
            )
            out.insert(0, title)
        full = " ".join(out)
        if education >= 5 and r() < 0.25:
            full += rng.choice(DEGREES) if education == 5 else ", M.Pd."
        elif education == 4 and r() < 0.08:
            full += ", A.Md."
        if r() < 0.03:
            full = full.upper()  # copied from an old all-capitals list
        return full

    # -- NIK and KK -------------------------------------------------------------------------

    def _nik(self, district_digits: str, regency: str, when: date, female: bool) -> str:
        tail = nik_date_digits(when, "P" if female else "L")
        assert tail is not None
        return self._serial(self.nik_serials, district_digits, regency, tail)

    def _kk(self, district_digits: str, regency: str, issued: date) -> str:
        tail = f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        return self._serial(self.kk_serials, district_digits, regency, tail)

    def _serial(self, counters: dict[str, int], district: str, regency: str, tail: str) -> str:
        prefix = district + tail
        serial = counters.get(prefix, 0) + 1
        if serial > 9999:
            # That day is full in this district: register it in another district of the regency.
            for other in self.region.districts_by_regency.get(regency, []):
                prefix = other + tail
                serial = counters.get(prefix, 0) + 1
                if serial <= 9999:
                    break
            else:
                raise GenerationError(f"serial numbers for {tail} exhausted in regency {regency}")
        counters[prefix] = serial
        return f"{prefix}{serial:04d}"

    # -- PPKS -------------------------------------------------------------------------------

    def _when(self, earliest: date) -> tuple[date, date | None]:
        """Identification date in the two years before the reference date, and verification."""
        rng = self.rng
        start = max(earliest.toordinal(), REF_ORD - 730)
        identified = date.fromordinal(rng.randint(min(start, REF_ORD), REF_ORD))
        verified = None
        if rng.random() < 0.7:
            verified = date.fromordinal(min(REF_ORD, identified.toordinal() + rng.randrange(60)))
        return identified, verified

    def _add_person_ppks(
        self, person: GenPerson, index: int, number: int, out: list[GenPPKS]
    ) -> None:
        rule = self.rules.get(number)
        if rule is None or number in person.ppks:
            return
        if rule.household_level:
            return
        identified, verified = self._when(person.birth_date)
        if not rule.accepts(
            person.birth_date, person.sex, (identified, REFERENCE_DATE, RULES_VALID_UNTIL)
        ):
            return
        person.ppks.append(number)
        out.append(
            GenPPKS(
                _uid(self.uid_rng),
                number,
                index,
                identified,
                PPKS_SOURCE(self.rng.random()),
                verified,
            )
        )

    def _person_ppks(
        self, person: GenPerson, index: int, poor: bool, desil: int | None, alone: bool,
        out: list[GenPPKS],
    ) -> None:  # fmt: skip
        r = self.rng.random
        age = age_on(person.birth_date, REFERENCE_DATE)
        if age >= 60:
            p = 0.012 + (0.03 if poor else 0.0) + (0.1 if alone else 0.0)
            if r() < p:
                self._add_person_ppks(person, index, 8, out)
        if person.disability_type:
            if age < 18:
                if r() < 0.7:
                    self._add_person_ppks(person, index, 5, out)
                if r() < 0.2:
                    self._add_person_ppks(person, index, 9, out)
            elif r() < 0.65:
                self._add_person_ppks(person, index, 9, out)
        if poor:
            if age <= 4 and desil == 1 and r() < 0.02:
                self._add_person_ppks(person, index, 1, out)
            elif 6 <= age <= 17 and r() < 0.015:
                self._add_person_ppks(person, index, 2, out)
            if (
                person.relationship == HEAD
                and person.sex == "P"
                and person.marital_status in (DIVORCED, WIDOWED)
                and 18 <= age <= 58
                and r() < 0.5
            ):
                self._add_person_ppks(person, index, 23, out)
        if r() < RARE_PPKS_SHARE * (2 if poor else 0.6):
            eligible = [
                (number, weight)
                for number, weight, lo, hi, sex in RARE_PPKS
                if lo <= age <= hi and (not sex or sex == person.sex)
            ]
            if eligible:
                self._add_person_ppks(person, index, Pick(eligible)(r()), out)

    def _household_ppks(
        self, people: list[GenPerson], desil: int | None, poor: bool, out: list[GenPPKS]
    ) -> None:
        r = self.rng.random
        numbers = []
        if desil is not None and r() < FAKIR_MISKIN_BY_DESIL.get(desil, 0.0):
            numbers.append(24)
        if r() < 0.012:
            numbers.append(21)
        if r() < 0.0015:
            numbers.append(22)
        if r() < 0.004:
            numbers.append(25)
        if poor and r() < 0.003:
            numbers.append(26)
        head = people[0]
        for number in numbers:
            rule = self.rules.get(number)
            if rule is None:
                continue
            if rule.household_level:
                identified, verified = self._when(REFERENCE_DATE - timedelta(days=730))
                source = PPKS_SOURCE(r())
                out.append(GenPPKS(_uid(self.uid_rng), number, None, identified, source, verified))
            else:  # an office made it a per-person category: record it on the head
                self._add_person_ppks(head, 0, number, out)


# --- Helpers --------------------------------------------------------------------------------


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _mismatched_date(rng: Random, bd: date) -> date:
    """A plausible wrong birth date in a NIK: a typo in day, month or year."""
    kind = rng.random()
    if kind < 0.4:
        other = bd + timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 27))
    elif kind < 0.7:
        other = _add_years(bd, rng.choice((-1, 1)) * rng.randint(1, 9))
    elif bd.day <= 12 and bd.day != bd.month:
        other = date(bd.year, bd.day, min(bd.month, 28))  # day and month swapped
    else:
        other = bd + timedelta(days=rng.choice((-1, 1)) * rng.randint(28, 330))
    if (other.day, other.month, other.year % 100) == (bd.day, bd.month, bd.year % 100):
        other = bd + timedelta(days=1)
    return other


_OLD = str.maketrans({"u": "oe", "j": "dj", "y": "j", "c": "tj", "U": "Oe", "J": "Dj", "Y": "J",
                      "C": "Tj"})  # fmt: skip


def _old_spelling(token: str) -> str:
    """Van Ophuijsen/Soewandi spelling of a modern token: Suharto → Soeharto, Cahyo → Tjahjo."""
    if token.endswith("."):
        return token
    return token.translate(_OLD)


def _short_regency(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota Administrasi ", "Kota ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
