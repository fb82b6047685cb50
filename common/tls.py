"""Mutual TLS for every internal gRPC channel: a process's certificate, key and CA.

A process reads three PEM files, from environment variables or, when they are
unset, from the local PKI folder that `make run` and the tests create
(common.pki; `$TLS_DIR`, default `<data dir>/secrets/pki`):

    TLS_CA_FILE              the CA that signs every certificate of the suite
    <PREFIX>_TLS_CERT_FILE   this process's certificate (URI SAN spiffe://remotesignout/<process>)
    <PREFIX>_TLS_KEY_FILE    its private key

PREFIX is AUTH, DEVICE, PARENTAL, GATEWAY or OPERATOR. A missing or malformed
file, or a certificate that is not this process's, stops the process with a
message that names the file: there is no plaintext fallback.

Servers require a client certificate signed by the CA. Clients check that the
server's certificate names the process they meant to reach (`auth-service`, and
so on, whatever host name the address uses), and reach every replica an address
names, round robin, retrying only idempotent calls (common.balancing). Every
call on a channel made here is counted and timed (common.client_metrics).
"""

from __future__ import annotations

import datetime
import os
import pathlib
from dataclasses import dataclass

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from grpc import aio

from common import balancing
from common.client_metrics import client_interceptors
from common.pki import host_name, spiffe_id
from common.settings import data_dir

PREFIXES = {
    "auth_service": "AUTH",
    "device_service": "DEVICE",
    "parental_service": "PARENTAL",
    "gateway": "GATEWAY",
    "operator": "OPERATOR",
}
CHANNEL_OPTIONS = [
    ("grpc.enable_retries", 1),
    # Reconnect quickly (100 ms, backing off to 2 s) so a restarted service is
    # reachable again within moments, not after grpc's default minute-long backoff.
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 2000),
]

CLIENT_METRICS = client_interceptors()
"""The same interceptors on every channel of the process: each method's series are made once."""


def pki_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("TLS_DIR") or data_dir() / "secrets" / "pki")


def _read(variable: str, default: pathlib.Path) -> tuple[pathlib.Path, bytes]:
    path = pathlib.Path(os.environ.get(variable) or default)
    try:
        return path, path.read_bytes()
    except OSError as error:
        raise SystemExit(
            f"{variable}: cannot read {path} ({error.strerror}). Every gRPC channel of the suite is mutual TLS: "
            "give each process its certificate, key and the CA (README, 'Security model'), "
            "or run `python -m common.pki` for a local throw-away CA."
        ) from None


@dataclass(frozen=True)
class TlsIdentity:
    """One process's TLS material, checked when loaded."""

    process: str
    ca: bytes
    cert: bytes
    key: bytes

    @staticmethod
    def from_env(process: str) -> TlsIdentity:
        prefix, folder = PREFIXES[process], pki_dir()
        ca_path, ca = _read("TLS_CA_FILE", folder / "ca.crt")
        cert_path, cert = _read(f"{prefix}_TLS_CERT_FILE", folder / f"{process}.crt")
        key_path, key = _read(f"{prefix}_TLS_KEY_FILE", folder / f"{process}.key")
        _check(process, ca_path, ca, cert_path, cert, key_path, key)
        return TlsIdentity(process, ca, cert, key)

    @staticmethod
    def from_dir(process: str, directory: pathlib.Path) -> TlsIdentity:
        """The material `common.pki.ensure_local_pki(directory)` made for `process`."""
        ca, cert, key = (directory / name for name in ("ca.crt", f"{process}.crt", f"{process}.key"))
        material = ca.read_bytes(), cert.read_bytes(), key.read_bytes()
        _check(process, ca, material[0], cert, material[1], key, material[2])
        return TlsIdentity(process, *material)

    def server_credentials(self) -> grpc.ServerCredentials:
        return grpc.ssl_server_credentials([(self.key, self.cert)], root_certificates=self.ca, require_client_auth=True)

    def channel_credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca, private_key=self.key, certificate_chain=self.cert
        )

    def channel(self, address: str, peer: str, options: list[tuple[str, object]] | None = None) -> aio.Channel:
        """A mutual-TLS channel to every replica `address` names (common.balancing: one host:port, a
        comma-separated list or a `dns:///` target), round robin, that only talks to servers certified
        as `peer`. Its calls are counted and timed (common.client_metrics)."""
        return aio.secure_channel(
            _target(address, peer),
            self.channel_credentials(),
            options=[*self._options(peer), *(options or [])],
            interceptors=CLIENT_METRICS,
        )

    def sync_channel(self, address: str, peer: str) -> grpc.Channel:
        """The blocking twin of `channel` (health probes, tools)."""
        return grpc.secure_channel(_target(address, peer), self.channel_credentials(), options=self._options(peer))

    @staticmethod
    def _options(peer: str) -> list[tuple[str, object]]:
        # Every replica of `peer` holds a certificate naming it (`auth-service`, ...): the name checked is
        # the process's, whatever address each replica has.
        return [*CHANNEL_OPTIONS, *balancing.channel_options(), ("grpc.ssl_target_name_override", host_name(peer))]


def _target(address: str, peer: str) -> str:
    """The grpc target of `address`; a malformed one stops the process with one line naming the setting."""
    try:
        return balancing.target(address)
    except ValueError as error:
        raise SystemExit(f"{PREFIXES.get(peer, peer.upper())}_ADDRESS: {error}") from None


def _check(
    process: str,
    ca_path: pathlib.Path,
    ca: bytes,
    cert_path: pathlib.Path,
    cert: bytes,
    key_path: pathlib.Path,
    key: bytes,
) -> None:
    """Refuse material that cannot work, with a message naming the file."""
    try:
        x509.load_pem_x509_certificates(ca)
    except ValueError:
        raise SystemExit(f"{ca_path}: not a PEM certificate (TLS_CA_FILE)") from None
    try:
        certificate = x509.load_pem_x509_certificate(cert)
    except ValueError:
        raise SystemExit(f"{cert_path}: not a PEM certificate") from None
    try:
        private_key = serialization.load_pem_private_key(key, password=None)
    except (ValueError, TypeError):
        raise SystemExit(f"{key_path}: not an unencrypted PEM private key") from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if private_key.public_key().public_bytes(
        serialization.Encoding.PEM, public
    ) != certificate.public_key().public_bytes(serialization.Encoding.PEM, public):
        raise SystemExit(f"{key_path}: this key does not belong to the certificate {cert_path}")
    if certificate_identity(certificate) != spiffe_id(process):
        raise SystemExit(
            f"{cert_path}: the certificate's identity is {certificate_identity(certificate)!r}, "
            f"not {spiffe_id(process)!r}"
        )
    if certificate.not_valid_after_utc <= datetime.datetime.now(datetime.UTC):
        raise SystemExit(f"{cert_path}: the certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}")


def certificate_identity(certificate: x509.Certificate) -> str:
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ""
    uris = [uri for uri in names.get_values_for_type(x509.UniformResourceIdentifier) if uri.startswith("spiffe://")]
    return uris[0] if len(uris) == 1 else ""
