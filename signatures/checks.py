"""``manage.py check`` reports signing settings that name files that are not there."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register()
def signing_files_exist(app_configs=None, **kwargs):
    problems = []
    for code, entry in settings.SIGNING_KEYS.items():
        for name in ("pkcs12_file", "pkcs11_module", "signer_image", "seal_image"):
            path = entry.get(name)
            if path and not Path(path).is_file():
                problems.append(checks.Warning(
                    f"The signing key {code!r} names {name} {path}, which is not a file.",
                    id="signatures.W001",
                ))
    for path in settings.SIGNING_TRUST_ROOTS:
        if not Path(path).exists():
            problems.append(checks.Warning(
                f"SIGNING_TRUST_ROOTS names {path}, which does not exist.", id="signatures.W002"
            ))
    url = settings.TIMESTAMP_URL
    if url and not url.startswith(("http://", "https://")):
        problems.append(checks.Error(
            f"TIMESTAMP_URL must be an http:// or https:// address, not {url!r}.",
            id="signatures.E001",
        ))
    return problems
