"""Writing files from commands: whole or not at all."""

import os
import tempfile
from pathlib import Path


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
