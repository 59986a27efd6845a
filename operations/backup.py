"""Backups: one archive with the database and the media files, and its restoration.

The archive (``tar.gz``) holds ``manifest.json`` (format, date, database vendor, applied
migrations, size and SHA-256 of every member), the database (``database.sqlite3``, a copy made
by SQLite's online backup API, or ``database.pgdump``, ``pg_dump``'s custom format) and the
files of ``MEDIA_ROOT`` under ``media/``. The database is copied as it is, rows, history and
sequences alike, so nothing is added or renumbered on the way back (``dumpdata``/``loaddata``
re-save every object: false history entries, and duplicate keys on PostgreSQL).
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
# Rows that a freshly migrated installation has, or that come and go by themselves.
NOT_CONTENT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "operations.workerheartbeat",
}


class BackupError(Exception):
    """A backup or a restoration that cannot be done; the message says why."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root():
    return Path(settings.MEDIA_ROOT)


def _media_files(root):
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _postgres(program, *args):
    """Run pg_dump or pg_restore on the default database; raise BackupError on failure."""
    db = connection.settings_dict
    if shutil.which(program) is None:
        raise BackupError(f"{program} is missing: install the postgresql-client package "
                          "(scripts/system-packages does).")
    env = os.environ | {"PGPASSWORD": db.get("PASSWORD") or "", "PGDATABASE": db["NAME"]}
    command = [program, "--no-owner", "--no-privileges"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def _dump_database(folder):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_FILE)
        try:
            connection.connection.backup(target)  # a consistent copy, writers or not
        finally:
            target.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        _postgres("pg_dump", "--format=custom", "--file", str(folder / POSTGRES_FILE))
        return POSTGRES_FILE
    raise BackupError(f"backups of a {connection.vendor} database are not supported")


def create_backup(*, output):
    """Write the archive to ``output`` (a temporary name, renamed once complete).

    Returns the manifest.
    """
    output = Path(output)
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a folder")
    media = _media_root()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        work = Path(work)
        database = _dump_database(work)
        members = {database: work / database}
        for path in _media_files(media):
            members[f"{MEDIA}/{path.relative_to(media).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": database,
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "files": {
                name: {"size": path.stat().st_size, "sha256": _sha256(path)}
                for name, path in members.items()
            },
        }
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, output)
    return manifest


def installation_content():
    """What makes this installation non-empty: models with rows, media files (a list)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in NOT_CONTENT or not model._meta.managed:
            continue
        if model._meta.db_table not in _tables() or not model._default_manager.exists():
            continue
        found.append(model._meta.label)
    if _media_files(_media_root()):
        found.append(f"files in {_media_root()}")
    return found


def _tables():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _read_archive(path, folder):
    """Extract the archive into ``folder``, checking every member against the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            try:
                manifest = json.load(archive.extractfile(MANIFEST))
            except (KeyError, ValueError):
                raise BackupError(f"{path} has no readable manifest: not a backup archive") \
                    from None
            if manifest.get("format") != FORMAT:
                raise BackupError(f"unknown backup format {manifest.get('format')!r}")
            archive.extractall(folder, filter="data")  # no absolute paths, links or devices
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error})") from None
    for name, expected in manifest["files"].items():
        member = folder / name
        if not member.is_file() or _sha256(member) != expected["sha256"]:
            raise BackupError(f"{name} in the archive is damaged or missing")
    return manifest


def restore_backup(*, archive, force=False):
    """Bring back the database and the media files of ``archive``.

    Refuses an installation that holds data unless ``force``; then its data and files are
    replaced. Returns the manifest.
    """
    content = installation_content()
    if content and not force:
        raise BackupError(
            "This installation is not empty (" + ", ".join(content[:5])
            + (", …" if len(content) > 5 else "") + "). Restore on an empty installation, "
            "or pass --force to replace what it holds."
        )
    media = _media_root()
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as work:
        work = Path(work)
        manifest = _read_archive(archive, work)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"This backup holds a {manifest['vendor']} database; this "
                              f"installation uses {connection.vendor}.")
        _restore_database(work / manifest["database"])
        if media.exists():
            shutil.rmtree(media)
        if (work / MEDIA).exists():
            os.replace(work / MEDIA, media)
        else:
            media.mkdir()
    return manifest


def _restore_database(source):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
        return
    connections.close_all()
    _postgres("pg_restore", "--clean", "--if-exists", "--single-transaction",
              "--exit-on-error", "--dbname", connection.settings_dict["NAME"], str(source))
