"""export_registry: write people (or families' members) to CSV or XLSX in the import layout.

Without ``--user`` it is the office's own export of an area: every record of ``--area`` (the
whole registry when none is given), sensitive PPKS categories included, logged as a system
export. With ``--user`` it is what that user may see (area, role, need-to-know PPKS), logged in
their name. Filters are the web list's: ``--filter sex=P --filter ppks=24``.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandu.accounts.models import User
from pandu.exchange.exporter import (
    FORMATS,
    KINDS,
    export_rows,
    filtered_people,
    log_export,
    write_csv,
    write_xlsx,
)
from pandu.regions.models import Area


class Command(BaseCommand):
    help = "Export people or households (their members) to CSV/XLSX in the import layout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="file to write (.csv or .xlsx)")
        parser.add_argument("--kind", choices=KINDS, default="persons")
        parser.add_argument("--format", choices=FORMATS, help="default: from --out's suffix")
        parser.add_argument(
            "--area", default="", help="export this area only (dotted code, e.g. 73.09.13)"
        )
        parser.add_argument("--user", help="export as this user (their area and role apply)")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a list filter, e.g. area=73.09.13 or ppks=24 (repeatable)",
        )

    def handle(self, *args, out: str, kind: str, area: str, user: str | None, **opts):
        path = Path(out)
        fmt = opts.get("format") or path.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise CommandError("Give --format csv or xlsx (or an --out ending in .csv/.xlsx).")
        params = {}
        for item in opts["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter takes NAME=VALUE, not {item!r}")
            params[name.strip()] = value.strip()
        area = area.strip()
        if area and not Area.objects.filter(code=area).exists():
            raise CommandError(f"No area with the code {area!r} (e.g. 73.09 or 73.09.13.2003).")
        account = self._user(user)
        people, fs = filtered_people(account, kind, params, area=area)
        if not fs.is_valid():
            raise CommandError(f"Bad filter: {dict(fs.errors)}")
        started = time.monotonic()
        rows = export_rows(account, people)
        n = write_xlsx(path, rows) if fmt == "xlsx" else write_csv(path, rows)
        took = time.monotonic() - started
        log_export(account, kind, fmt, params, n, note=f"command, area {area or 'all'}")
        self.stdout.write(
            f"{n:,} rows -> {path} in {took:.1f} s ({n / max(took, 1e-9):,.0f} rows/s)"
        )

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        account = User.objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"No user named {username!r}.")
        if not account.can("registry.view"):
            raise CommandError(f"User {username} may not read the registry.")
        return account
