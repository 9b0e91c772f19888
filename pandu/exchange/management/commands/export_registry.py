"""export_registry: write people (or families' members) to CSV or XLSX in the import layout.

With ``--user`` the export is what that user may see (area, role, need-to-know PPKS) and is
logged in their name; without it, the whole registry is exported (a system export, logged too).
Filters are the web list's: ``--filter area=73.09 --filter sex=P``.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandu.exchange.exporter import (
    FORMATS,
    KINDS,
    export_rows,
    filtered_people,
    log_export,
    write_csv,
    write_xlsx,
)


class _Everyone(SimpleNamespace):
    """The command's own identity when no --user is given: the whole country, every category."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    scope_code = ""
    pk = None

    def can(self, cap: str) -> bool:
        return True


class Command(BaseCommand):
    help = "Export people or households (their members) to CSV/XLSX in the import layout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="file to write (.csv or .xlsx)")
        parser.add_argument("--kind", choices=KINDS, default="persons")
        parser.add_argument("--format", choices=FORMATS, help="default: from --out's suffix")
        parser.add_argument("--user", help="export as this user (their area and role apply)")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a list filter, e.g. area=73.09.13 or ppks=24 (repeatable)",
        )

    def handle(self, *args, out: str, kind: str, user: str | None, **opts):
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
        account = self._user(user)
        people, fs = filtered_people(account, kind, params)
        if not fs.is_valid():
            raise CommandError(f"Bad filter: {dict(fs.errors)}")
        started = time.monotonic()
        rows = export_rows(account, people)
        n = write_xlsx(path, rows) if fmt == "xlsx" else write_csv(path, rows)
        took = time.monotonic() - started
        log_export(account if user else None, kind, fmt, params, n, note="command")
        self.stdout.write(
            f"{n:,} rows -> {path} in {took:.1f} s ({n / max(took, 1e-9):,.0f} rows/s)"
        )

    def _user(self, username: str | None):
        if not username:
            return _Everyone()
        from pandu.accounts.models import User

        account = User.objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"No user named {username!r}.")
        if not account.can("registry.view"):
            raise CommandError(f"User {username} may not read the registry.")
        return account
