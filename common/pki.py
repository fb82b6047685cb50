"""A throw-away local certificate authority for `make run`, `make cluster` and the tests.

Every process of the suite has an identity, the URI SAN of its certificate:
`spiffe://remotesignout/<process>`. A server certificate also names the process
as a DNS SAN with hyphens (`auth-service`), which is what clients check when they
connect (common.tls), plus `localhost` and 127.0.0.1.

`ensure_local_pki(directory)` creates `ca.crt`/`ca.key` and `<process>.crt`/
`<process>.key` for every process once and reuses them on every later start.
Private keys are written with mode 0600 in a 0700 folder. A deployment does not
use this module: it mounts certificates from its own CA (README, "Security model").
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import pathlib
from collections.abc import Iterable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SPIFFE_PREFIX = "spiffe://remotesignout/"
# The processes that hold a certificate. `operator` is for health probes and tools:
# it may call grpc.health.v1 (and reflection where enabled), nothing else.
PROCESSES = ("auth_service", "device_service", "parental_service", "gateway", "operator")
VALID_DAYS = 825
CA_FILES = ("ca.crt", "ca.key")


def spiffe_id(process: str) -> str:
    return SPIFFE_PREFIX + process


def host_name(process: str) -> str:
    """The DNS name a server certificate carries for `process`: `auth-service`."""
    return process.replace("_", "-")


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_secret(path: pathlib.Path, data: bytes) -> None:
    """Write `data` to `path` readable by its owner only (0600), never wider even for a moment."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)


def new_ca(common_name: str = "remote-signout local CA") -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = _new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue(
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    process: str,
    *,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    identity: str | None = None,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A certificate for `process`, usable as both server and client certificate.

    `identity` replaces its URI SAN (tests: "" for a certificate with no suite identity).
    """
    key = _new_key()
    now = datetime.datetime.now(datetime.UTC)
    uri = spiffe_id(process) if identity is None else identity
    names: list[x509.GeneralName] = [
        *([x509.UniformResourceIdentifier(uri)] if uri else []),
        x509.DNSName(host_name(process)),
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, process)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(minutes=5))
        .not_valid_after(not_after or now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def write_pair(directory: pathlib.Path, stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    write_secret(directory / f"{stem}.key", _pem_key(key))
    (directory / f"{stem}.crt").write_bytes(_pem_cert(cert))


def load_ca(directory: pathlib.Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate((directory / "ca.crt").read_bytes())
    key = serialization.load_pem_private_key((directory / "ca.key").read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SystemExit(f"{directory / 'ca.key'}: expected an EC private key")
    return cert, key


def ensure_local_pki(directory: pathlib.Path, processes: Iterable[str] = PROCESSES) -> pathlib.Path:
    """Create the local CA and a key pair per process under `directory`, once; return `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    if not all((directory / name).exists() for name in CA_FILES):
        cert, key = new_ca()
        write_pair(directory, "ca", cert, key)
    ca_cert, ca_key = load_ca(directory)
    for process in processes:
        if not ((directory / f"{process}.crt").exists() and (directory / f"{process}.key").exists()):
            write_pair(directory, process, *issue(ca_cert, ca_key, process))
    return directory


def main() -> None:
    """`python -m common.pki [DIR]`: create (or keep) the local CA and certificates."""
    import sys

    from common.settings import data_dir

    target = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else data_dir() / "secrets" / "pki"
    print(ensure_local_pki(target))


if __name__ == "__main__":
    main()
