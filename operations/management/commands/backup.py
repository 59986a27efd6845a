from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) with the database and the media files, restorable with "
        "manage.py restore. Safe while the application runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path,
            help="the archive to write (default: cchc-backup-<date>-<time>.tar.gz here)",
        )

    def handle(self, *, output, **options):
        default = f"cchc-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        output = Path(output or default)
        if output.exists():
            raise CommandError(f"{output} exists already: choose another name")
        try:
            manifest = create_backup(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            f"Wrote {output} ({filesizeformat(output.stat().st_size)}): the "
            f"{manifest['vendor']} database and {media} media files."
        )
