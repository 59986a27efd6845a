"""The issuing keys: where each agency's signing key lives, never in the database.

``settings.SIGNING_KEYS`` maps an issuing agency's code to a key configuration; ``"default"``
serves every agency without one of its own (the environment fills it, see settings.py).
A configuration names a PKCS#12 file and its password, or a PKCS#11 module, token, key label
and PIN, and optionally the signer's signature image and the seal image (PNG) that go on the
signature block.
"""

from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT = "default"


class SigningError(Exception):
    """Signing cannot be done; the message says why, in the user's language."""


@dataclass(frozen=True)
class KeyConfig:
    pkcs12_file: str = ""
    pkcs12_password: str = ""
    pkcs11_module: str = ""
    pkcs11_token: str = ""
    pkcs11_key_label: str = ""
    pkcs11_pin: str = ""
    signer_image: str = ""
    seal_image: str = ""

    @classmethod
    def from_entry(cls, entry):
        known = {f.name for f in fields(cls)}
        unknown = set(entry) - known
        if unknown:
            raise SigningError(
                _("Unknown entries in a signing key configuration: %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            )
        return cls(**entry)

    @property
    def kind(self):
        return "pkcs12" if self.pkcs12_file else "pkcs11"

    @contextmanager
    def signer(self):
        """A pyHanko signer for this key; a PKCS#11 session is closed afterwards."""
        if self.pkcs12_file:
            yield self._pkcs12_signer()
            return
        session = self._pkcs11_session()
        try:
            from pyhanko.sign.pkcs11 import PKCS11Signer

            # Every certificate on the token goes into the signature: the issuing CA's too,
            # so that a verifier can build the chain to its root.
            yield PKCS11Signer(session, key_label=self.pkcs11_key_label, other_certs_to_pull=None)
        finally:
            session.close()

    def _pkcs12_signer(self):
        from pyhanko.sign.signers import SimpleSigner

        path = Path(self.pkcs12_file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SigningError(
                _("The signing key file %(path)s cannot be read: %(reason)s.")
                % {"path": path, "reason": error.strerror or error}
            ) from None
        password = self.pkcs12_password.encode() if self.pkcs12_password else None
        try:
            return SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password)
        except ValueError:
            raise SigningError(
                _("The signing key file %(path)s cannot be opened: wrong password, or not a "
                  "PKCS#12 file.") % {"path": path}
            ) from None

    def _pkcs11_session(self):
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import open_pkcs11_session

        criteria = TokenCriteria(label=self.pkcs11_token) if self.pkcs11_token else None
        try:
            return open_pkcs11_session(
                self.pkcs11_module, token_criteria=criteria, user_pin=self.pkcs11_pin or None
            )
        except (OSError, RuntimeError) as error:  # python-pkcs11's errors are RuntimeErrors
            raise SigningError(
                _("The PKCS#11 token %(token)s cannot be opened with %(module)s: %(reason)s.")
                % {
                    "token": self.pkcs11_token or "-",
                    "module": self.pkcs11_module,
                    "reason": str(error) or type(error).__name__,
                }
            ) from None


def key_for(agency_code=None):
    """The key configuration of the agency with ``agency_code``, else the default one."""
    keys = settings.SIGNING_KEYS
    entry = keys.get(agency_code) if agency_code else None
    if entry is None:
        entry = keys.get(DEFAULT)
    if entry is None:
        raise SigningError(
            _("No signing key is configured: set SIGNING_PKCS12_FILE or SIGNING_PKCS11_MODULE.")
        )
    return KeyConfig.from_entry(entry)


def signing_configured(agency_code=None):
    return bool(settings.SIGNING_KEYS.get(agency_code) or settings.SIGNING_KEYS.get(DEFAULT))
