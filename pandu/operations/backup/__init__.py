"""One archive that brings the whole site back: the database, the uploaded files, the jobs'
files, and (inside the database) the letter-key ring that printed letters' links need.

The archive is a tar (``.tar``, or ``.tar.gz`` by its name) of::

    database/pandu.sqlite3   SQLite, copied with the online backup API (writers go on)
    database/pandu.dump      PostgreSQL, ``pg_dump -Fc`` of one snapshot
    media/...                MEDIA_ROOT: minutes, photos, attachments, agreements, logos
    jobs/...                 VAR_DIR/jobs: import uploads and reports, exports, payment files
    manifest.json            what is inside: row counts per table (of the same snapshot as the
                             dump), SHA-256 and size of every file, versions, the time it was made

``restore`` checks every hash before it changes anything, refuses a target that holds data
unless told ``force`` (then the old files are moved aside, not deleted), restores, and compares
the restored tables' row counts with the manifest. Decision 0018; docs/operations.md.
"""

from .databases import database_is_empty, describe_database, pg_connect, pg_params, pg_tool
from .layout import BackupError, Site, default_output, file_sha256, folder_hashes, this_site
from .make import create_backup
from .restore import non_empty_targets, pending_migrations, read_manifest, restore_backup

__all__ = [
    "BackupError",
    "Site",
    "create_backup",
    "database_is_empty",
    "default_output",
    "describe_database",
    "file_sha256",
    "folder_hashes",
    "non_empty_targets",
    "pending_migrations",
    "pg_connect",
    "pg_params",
    "pg_tool",
    "read_manifest",
    "restore_backup",
    "this_site",
]
