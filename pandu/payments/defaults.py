"""The payment schemes and components the catalogue's national programmes start with.

Read by the data migration (and by the tests). PKH's conditions count the members the DOMAIN
amounts name; the per-family cap of four members is a figure seen in practice, not a confirmed
rule, and is marked so (``unconfirmed``): change it by adding a scheme from a date.
"""

from __future__ import annotations

FROM = "2022-01-01"

#: programme code → scheme fields
SCHEMES: dict[str, dict] = {
    "PKH": {
        "months_per_cycle": 3,
        "recipient": "keluarga",
        "channel": "otomatis",
        "cap_members": 4,
        "suspend_after_misses": 3,
        "unconfirmed": True,
        "note": "Empat tahap setahun; paling banyak empat anggota dihitung per keluarga.",
    },
    "BPNT": {
        "months_per_cycle": 1,
        "recipient": "keluarga",
        "channel": "otomatis",
        "unconfirmed": True,
        "note": "Bulanan, satu paket per KPM.",
    },
    "KUBE": {
        "months_per_cycle": 12,
        "recipient": "kelompok",
        "channel": "bank",
        "note": "Hibah kelompok, dibayar ke rekening kelompok.",
    },
    "KESERASIAN": {
        "months_per_cycle": 12,
        "recipient": "kelompok",
        "channel": "bank",
        "note": "Dibayar ke rekening desa.",
    },
}

#: programme code → [(component code, person condition or None, position)]
COMPONENTS: dict[str, list[tuple[str, dict | None, int]]] = {
    "PKH": [
        ("IBU_HAMIL", {"field": "pregnant", "op": "eq", "value": True}, 1),
        ("ANAK_USIA_DINI", {"field": "age", "op": "between", "value": [0, 6]}, 2),
        (
            "DISABILITAS_BERAT",
            {
                "all": [
                    {"field": "disability", "op": "eq", "value": True},
                    {"field": "disability_severity", "op": "eq", "value": 3},
                ]
            },
            3,
        ),  # fmt: skip
        ("LANSIA_70", {"field": "age", "op": "gte", "value": 70}, 4),
        ("SMA", {"field": "school_level", "op": "eq", "value": 4}, 5),
        ("SMP", {"field": "school_level", "op": "eq", "value": 3}, 6),
        ("SD", {"field": "school_level", "op": "eq", "value": 2}, 7),
    ],
    "BPNT": [("SEMBAKO", None, 1)],
}
