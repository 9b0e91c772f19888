"""NIK and KK numbers: district digits, a date and a serial that continues after existing ones."""

from __future__ import annotations

from datetime import date

from pandu.registry.nik import nik_date_digits

from .records import GenerationError, RegionInfo


class SerialsMixin:
    """Draws the next free serial per 12-digit prefix from ``nik_serials`` / ``kk_serials``."""

    region: RegionInfo
    nik_serials: dict[str, int]
    kk_serials: dict[str, int]

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
