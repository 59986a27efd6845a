from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Bring back an archive written by manage.py backup: its database and media files. "
        "Refuses an installation that holds data unless --force. Stop the server and the "
        "worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="replace the data and files this installation holds")

    def handle(self, *, archive, force, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file")
        try:
            manifest = restore_backup(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"Restored the database of {manifest['created_at']} and {media} "
                          "media files.")
        connection.close()
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("This code has newer migrations: run manage.py migrate.")
