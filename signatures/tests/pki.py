"""The tests' own public key infrastructure, made with ``cryptography``: a root, an
intermediate, signers, a timestamp authority, and a stranger root nobody installed; and a
local RFC 3161 timestamp server on 127.0.0.1 answering with pyHanko's ``DummyTimeStamper``."""

import datetime
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = datetime.UTC
NOW = datetime.datetime.now(UTC).replace(microsecond=0)
YEAR = datetime.timedelta(days=365)


@dataclass
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    issuer: "Issued | None" = None

    @property
    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self):
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def key_pem(self):
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def chain(self):
        """The certificates above this one, up to (without) the root."""
        chain, issuer = [], self.issuer
        while issuer is not None and issuer.issuer is not None:
            chain.append(issuer)
            issuer = issuer.issuer
        return chain

    def pkcs12(self, password):
        return pkcs12.serialize_key_and_certificates(
            b"signer",
            self.key,
            self.cert,
            [issued.cert for issued in self.chain],
            serialization.BestAvailableEncryption(password.encode()),
        )


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name, organisation=""):
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def issue(issuer, common_name, *, organisation="", not_before=None, not_after=None, ca=False,
          timestamping=False):
    """A certificate for a new key, signed by ``issuer`` (None: self-signed root)."""
    key = _key()
    subject = _name(common_name, organisation)
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - YEAR)
        .not_valid_after(not_after or NOW + 5 * YEAR)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True}
    elif timestamping:
        usage = {"digital_signature": True}
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    else:
        usage = {"digital_signature": True, "content_commitment": True}
    flags = dict.fromkeys(
        ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
         "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"],
        False,
    )
    flags.update(usage)
    builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    cert = builder.sign(signing_key, hashes.SHA256())
    return Issued(key=key, cert=cert, issuer=issuer)


class TestPKI:
    """Everything the signature tests sign and check with, made once per test session."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self):
        self.root = issue(None, "CCHC Test Root CA", organisation="Ban Cơ yếu Chính phủ (thử)",
                          not_before=NOW - 10 * YEAR, not_after=NOW + 20 * YEAR, ca=True)
        self.intermediate = issue(self.root, "CCHC Test Issuing CA",
                                  organisation="Ban Cơ yếu Chính phủ (thử)",
                                  not_before=NOW - 9 * YEAR, not_after=NOW + 15 * YEAR, ca=True)
        self.signer = issue(self.intermediate, "Sở Nội vụ tỉnh Khánh Hòa",
                            organisation="Ủy ban nhân dân tỉnh Khánh Hòa",
                            not_before=datetime.datetime(2020, 1, 1, tzinfo=UTC))
        # An agency's own certificate, valid 2021–2022 only.
        self.justice = issue(
            self.intermediate, "Sở Tư pháp tỉnh Khánh Hòa",
            not_before=datetime.datetime(2021, 1, 1, tzinfo=UTC),
            not_after=datetime.datetime(2023, 1, 1, tzinfo=UTC),
        )
        self.expired = issue(self.intermediate, "Sở Y tế tỉnh Khánh Hòa",
                             organisation="Ủy ban nhân dân tỉnh Khánh Hòa",
                             not_before=NOW - 3 * YEAR, not_after=NOW - YEAR)
        self.tsa = issue(self.intermediate, "CCHC Test Timestamp Authority", timestamping=True)
        self.stranger_root = issue(None, "Unknown Root CA", not_before=NOW - 10 * YEAR,
                                   not_after=NOW + 20 * YEAR, ca=True)
        self.stranger = issue(self.stranger_root, "Sở Nội vụ tỉnh Khánh Hòa",
                              organisation="Ủy ban nhân dân tỉnh Khánh Hòa",
                              not_before=datetime.datetime(2020, 1, 1, tzinfo=UTC))


def asn1(issued):
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509

    cert = asn1_x509.Certificate.load(issued.der)
    key = keys.PrivateKeyInfo.load(issued.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return cert, key


class TimestampServer:
    """An RFC 3161 timestamp service on 127.0.0.1, in a thread of the test process."""

    def __init__(self, tsa, chain=()):
        from pyhanko.sign.timestamps import DummyTimeStamper

        cert, key = asn1(tsa)
        stamper = DummyTimeStamper(
            tsa_cert=cert, tsa_key=key, certs_to_embed=[asn1(c)[0] for c in chain]
        )
        self.requests = 0
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                from asn1crypto import tsp

                body = self.rfile.read(int(self.headers["Content-Length"]))
                server_self.requests += 1
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}/tsa"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
