"""Files: written whole or not at all; uploads checked for their name and, for zip packages
(docx, xlsx), their directory."""

import os
import tempfile
import zipfile
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _


def write_atomically(path, content):
    """Write ``content`` to ``path`` through a temporary file: never half a file."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# Uploaded files: names a disk can hold, zip packages a reader can open

# Most file systems (ext4, NTFS, APFS) take at most 255 bytes in one file name.
MAX_NAME_BYTES = 255


def shorten_name(name, max_bytes=MAX_NAME_BYTES):
    """``name`` cut to ``max_bytes`` of UTF-8, at a character boundary, keeping its extension."""
    name = PurePath(name.replace("\\", "/")).name or name
    if len(name.encode()) <= max_bytes:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension.encode()) > 16:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    room = max_bytes - len(suffix.encode())
    stem = stem.encode()[:room].decode(errors="ignore").rstrip(" .")
    return f"{stem}{suffix}"


def storage_name(name, max_chars=60):
    """A name to store an upload under: ASCII, short, its extension kept (the name the user
    gave is kept in the database and given back on download)."""
    from django.utils.text import slugify

    from .search import fold

    path = PurePath(name)
    extension = "".join(c for c in path.suffix.lower() if c.isascii() and (c.isalnum() or c == "."))
    return f"{slugify(fold(path.stem))[:max_chars] or 'file'}{extension[:16]}"


class ZipRefused(Exception):
    """A zip package refused by ``check_zip_package``; ``reason`` says why."""

    def __init__(self, reason, count=0):
        super().__init__(reason)
        self.reason, self.count = reason, count


def check_zip_package(fileobj, *, max_members, max_unpacked_bytes):
    """The members of a zip package, read from its central directory only, once their count
    and the sizes they declare unpacked are within bounds. Nothing is inflated.

    Raises ``ZipRefused`` with reason ``"unreadable"``, ``"members"`` or ``"unpacked"``.
    (zipfile never inflates a member beyond its declared size, so the declared sizes bound
    what any later reading of the package unpacks.)
    """
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ZipRefused("unreadable") from None
    finally:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
    if len(members) > max_members:
        raise ZipRefused("members", len(members))
    if sum(member.file_size for member in members) > max_unpacked_bytes:
        raise ZipRefused("unpacked")
    return members


def check_office_package(upload, folder):
    """Whether an uploaded Office Open XML package (docx, xlsx) holds ``folder``; raises a
    ValidationError naming the file when its zip directory is beyond the evidence bounds."""
    name = upload.name
    try:
        members = check_zip_package(
            upload,
            max_members=settings.EVIDENCE_MAX_ZIP_MEMBERS,
            max_unpacked_bytes=settings.EVIDENCE_MAX_UNPACKED_BYTES,
        )
    except ZipRefused as refused:
        if refused.reason == "members":
            raise ValidationError(
                _("“%(name)s” is made of %(count)s parts; a document may have at most %(max)s.")
                % {
                    "name": name,
                    "count": number_format(refused.count, force_grouping=True),
                    "max": number_format(settings.EVIDENCE_MAX_ZIP_MEMBERS, force_grouping=True),
                }
            ) from None
        if refused.reason == "unpacked":
            raise ValidationError(
                _(
                    "“%(name)s” would be more than %(max)s once unpacked, more than a document "
                    "may be. Save it again without embedded files, or send it as a PDF."
                )
                % {"name": name, "max": filesizeformat(settings.EVIDENCE_MAX_UNPACKED_BYTES)}
            ) from None
        return False
    return any(member.filename.startswith(folder) for member in members)
