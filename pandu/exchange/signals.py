"""Hooks that keep the registry's indexes whole after an interrupted bulk import."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from . import bulkload


def restore_after_migrate(sender, using="default", **kwargs) -> None:
    """A migration may expect an index an interrupted import set aside: put them back first."""
    try:
        bulkload.restore_indexes(connections[using])
    except DatabaseError:  # the table does not exist yet (migrating backwards, say)
        return


def check_deferred_indexes(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for alias in databases or ():
        try:
            names = bulkload.pending_names(connections[alias])
        except DatabaseError:
            continue
        if names:
            messages.append(
                checks.Warning(
                    _("%(n)s indeks registri disisihkan oleh impor yang tidak selesai: %(names)s.")
                    % {"n": len(names), "names": ", ".join(names)},
                    hint=_(
                        "Jalankan `manage.py import_registry --restore-indexes` atau lanjutkan "
                        "impornya; pencarian dan daftar lambat sampai indeks dibangun ulang."
                    ),
                    id="exchange.W001",
                )
            )
    return messages
