"""Where the access-token signing keys live: a directory of files, outside every database.

    $AUTH_SIGNING_KEYS_DIR            (default <data dir>/secrets/signing_keys), mode 0700
      manifest.json                   every key ever made, oldest first, and when it was retired
      <kid>.pem                       one Ed25519 private key (PKCS#8 PEM), mode 0600, per active key
      .lock                           serialises `keys rotate` / `keys retire`

manifest.json is {"version": 1, "keys": [{"kid", "created_at", "retired_at"}, ...]}. Key ids
sort by creation time. The newest active key signs; every active key verifies. Retiring a key
marks it in the manifest, then deletes its private key. Each change replaces manifest.json
atomically (write, fsync, rename), so a running auth_service notices it by one stat() of that
file (`KeyWatcher`) and reloads the keys.

auth_service never creates a key itself: with no usable key it refuses to start, naming
AUTH_SIGNING_KEYS_DIR and the fix. `make run` and the tests call `ensure_signing_key` first;
`python -m auth_service keys rotate|retire|list` manages the keys (auth_service.cli).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import fcntl
import json
import logging
import os
import pathlib
import re
import secrets
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auth_service.adapters.access_tokens import (
    DEFAULT_CACHE_SIZE,
    DEFAULT_CLOCK_SKEW_SECONDS,
    AccessTokenCodec,
    SigningKey,
)
from common.settings import data_dir

log = logging.getLogger(__name__)

VARIABLE = "AUTH_SIGNING_KEYS_DIR"
MANIFEST = "manifest.json"
LOCK = ".lock"
MANIFEST_VERSION = 1
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
CLI = "python -m auth_service keys"


class KeyDirectoryError(Exception):
    """The key directory cannot be used as it is; the message says why and what to do (one line)."""


class UnknownKeyError(KeyDirectoryError):
    """`keys retire` named a key id that is not in the manifest."""


class LastKeyError(KeyDirectoryError):
    """`keys retire` would leave no key to sign with."""


@dataclass(frozen=True)
class KeyEntry:
    """One line of manifest.json."""

    kid: str
    created_at: str
    retired_at: str | None = None

    @property
    def active(self) -> bool:
        return self.retired_at is None


def signing_keys_dir(env: Mapping[str, str] | None = None) -> pathlib.Path:
    """$AUTH_SIGNING_KEYS_DIR, or `<data dir>/secrets/signing_keys`, read from `env` (default: ours)."""
    env = os.environ if env is None else env
    if env.get(VARIABLE):
        return pathlib.Path(env[VARIABLE])
    base = pathlib.Path(env["REMOTESIGNOUT_DATA_DIR"]) if env.get("REMOTESIGNOUT_DATA_DIR") else data_dir()
    return base / "secrets" / "signing_keys"


def ensure_signing_key(directory: pathlib.Path) -> None:
    """Create a first signing key in `directory` unless it holds an active one (for `make run` and tests).

    A directory that is there but unusable is left alone: auth_service then refuses
    to start and says why.
    """
    try:
        entries = read_manifest(directory)
    except KeyDirectoryError:
        return
    if not any(entry.active for entry in entries):
        rotate(directory)


def read_manifest(directory: pathlib.Path) -> list[KeyEntry]:
    """The manifest's entries, oldest first; [] when there is no directory or no manifest yet."""
    path = directory / MANIFEST
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError:
        return []
    except OSError as error:
        raise KeyDirectoryError(f"cannot read {path} ({error.strerror}); fix its permissions") from None
    except ValueError:
        raise _malformed_manifest(path, "not JSON") from None
    if (
        not isinstance(document, dict)
        or document.get("version") != MANIFEST_VERSION
        or not isinstance(document.get("keys"), list)
    ):
        raise _malformed_manifest(path, f'not {{"version": {MANIFEST_VERSION}, "keys": [...]}}')
    entries: list[KeyEntry] = []
    for item in document["keys"]:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("kid"), str)
            or not KEY_ID.fullmatch(item["kid"])
            or not isinstance(item.get("created_at"), str)
            or not isinstance(item.get("retired_at"), str | None)
        ):
            raise _malformed_manifest(path, f"bad entry {json.dumps(item)[:80]}")
        if any(entry.kid == item["kid"] for entry in entries):
            raise _malformed_manifest(path, f"key {item['kid']} is listed twice")
        entries.append(KeyEntry(item["kid"], item["created_at"], item["retired_at"]))
    return entries


def load_signing_keys(directory: pathlib.Path) -> list[SigningKey]:
    """The active keys, oldest first (the last one signs); KeyDirectoryError if there is none or one is bad."""
    _check_directory(directory)
    entries = read_manifest(directory)
    active = [entry for entry in entries if entry.active]
    if not entries:
        raise KeyDirectoryError(f"no signing key in {directory}; create one with `{CLI} rotate`")
    if not active:
        raise KeyDirectoryError(f"every key in {directory} is retired; create one with `{CLI} rotate`")
    return [_read_key(directory, entry.kid) for entry in active]


def load_signing_keys_or_exit(directory: pathlib.Path) -> list[SigningKey]:
    """`load_signing_keys`, or SystemExit with a one-line message naming AUTH_SIGNING_KEYS_DIR and the fix
    (common.runner prints it as `auth_service cannot start: <message>`)."""
    try:
        return load_signing_keys(directory)
    except KeyDirectoryError as error:
        raise SystemExit(f"{VARIABLE}: {error}") from None  # common.runner says "auth_service cannot start: "


def load_codec(
    directory: pathlib.Path,
    ttl_seconds: int,
    *,
    clock_skew_seconds: int = DEFAULT_CLOCK_SKEW_SECONDS,
    cache_size: int = DEFAULT_CACHE_SIZE,
) -> tuple[AccessTokenCodec, KeyWatcher]:
    """A codec with the directory's keys, and the watcher that keeps it up to date; exits if there is no key."""
    seen = manifest_signature(directory)  # before reading: a change made meanwhile is reloaded later
    codec = AccessTokenCodec(
        load_signing_keys_or_exit(directory), ttl_seconds, clock_skew_seconds=clock_skew_seconds, cache_size=cache_size
    )
    return codec, KeyWatcher(directory, codec, seen)


def rotate(directory: pathlib.Path) -> SigningKey:
    """Make a new key and make it the signing key; older keys keep verifying until retired."""
    if not directory.exists():
        directory.mkdir(parents=True)
        os.chmod(directory, 0o700)
    with _locked(directory):
        entries = read_manifest(directory)
        key = SigningKey.generate()
        pem = key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _write_atomically(directory / f"{key.key_id}.pem", pem)
        _write_manifest(directory, [*entries, KeyEntry(key.key_id, _now())])
    return key


def retire(directory: pathlib.Path, kid: str) -> KeyEntry:
    """Retire `kid`: running servers refuse its tokens from their next reload on; its private key is deleted."""
    if not KEY_ID.fullmatch(kid):
        raise UnknownKeyError(f"{kid!r} is not a key id; `{CLI} list` shows them")
    if not directory.is_dir():
        raise UnknownKeyError(f"no key {kid}: {directory} does not exist")
    with _locked(directory):
        entries = read_manifest(directory)
        entry = next((e for e in entries if e.kid == kid), None)
        if entry is None:
            raise UnknownKeyError(f"no key {kid} in {directory}; `{CLI} list` shows them")
        if not entry.active:
            return entry
        if [e.kid for e in entries if e.active] == [kid]:
            raise LastKeyError(f"{kid} is the only active key; run `{CLI} rotate` first, then retire it")
        retired = KeyEntry(entry.kid, entry.created_at, _now())
        _write_manifest(directory, [retired if e.kid == kid else e for e in entries])
        (directory / f"{kid}.pem").unlink(missing_ok=True)
    return retired


def manifest_signature(directory: pathlib.Path) -> tuple[int, ...] | None:
    """What changes whenever manifest.json is replaced (one stat(); None if there is none)."""
    try:
        info = os.stat(directory / MANIFEST)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size


class KeyWatcher:
    """Reloads the codec's keys when manifest.json changes: rotation and retirement without a restart.

    A directory that is unusable at reload (a malformed file) is logged and the
    previous keys are kept, except that keys the manifest says are retired are
    dropped all the same, as long as one key remains.
    """

    def __init__(self, directory: pathlib.Path, codec: AccessTokenCodec, seen: tuple[int, ...] | None) -> None:
        self.directory = directory
        self.codec = codec
        self._seen = seen

    def check(self) -> bool:
        """Reload if manifest.json changed since the last look; True if it did."""
        seen = manifest_signature(self.directory)
        if seen == self._seen:
            return False
        self._seen = seen
        self.reload()
        return True

    def reload(self) -> None:
        before = self.codec.key_ids()
        try:
            self.codec.replace_keys(load_signing_keys(self.directory))
        except KeyDirectoryError as error:
            retired = self._retired()
            keep = [key for key in self.codec.keys if key.key_id not in retired]
            if keep and len(keep) < len(self.codec.keys):
                self.codec.replace_keys(keep)
            log.error("%s: %s; keeping the keys %s", VARIABLE, error, ", ".join(self.codec.key_ids()))
            return
        if self.codec.key_ids() != before:
            log.info(
                "signing keys reloaded: %s signs, %s verify", self.codec.current.key_id, ", ".join(self.codec.key_ids())
            )

    def _retired(self) -> set[str]:
        try:
            return {entry.kid for entry in read_manifest(self.directory) if not entry.active}
        except KeyDirectoryError:
            return set()

    async def run(self, every_seconds: float) -> None:
        """Look every `every_seconds` until cancelled."""
        while True:
            await asyncio.sleep(every_seconds)
            try:
                self.check()
            except Exception:
                log.exception("reloading the signing keys failed; keeping %s", ", ".join(self.codec.key_ids()))


def _check_directory(directory: pathlib.Path) -> None:
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        raise KeyDirectoryError(f"{directory} does not exist; create a first key with `{CLI} rotate`") from None
    except OSError as error:
        raise KeyDirectoryError(f"cannot open {directory} ({error.strerror}); fix its permissions") from None
    if not stat.S_ISDIR(info.st_mode):
        raise KeyDirectoryError(f"{directory} is not a directory; point {VARIABLE} at the key directory")
    if info.st_mode & 0o022:
        raise KeyDirectoryError(
            f"{directory} is writable by other users (mode {_mode(info)}); run `chmod 700 {directory}`"
        )


def _read_key(directory: pathlib.Path, kid: str) -> SigningKey:
    path = directory / f"{kid}.pem"
    retire_hint = f"restore it, or retire the key with `{CLI} retire {kid}`"
    try:
        info = os.stat(path)
        data = path.read_bytes()
    except OSError as error:
        raise KeyDirectoryError(f"cannot read {path} ({error.strerror}); {retire_hint}") from None
    if info.st_mode & 0o077:
        raise KeyDirectoryError(f"{path} is open to other users (mode {_mode(info)}); run `chmod 600 {path}`")
    try:
        private_key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        private_key = None
    if not isinstance(private_key, Ed25519PrivateKey):
        raise KeyDirectoryError(f"{path} is not an unencrypted Ed25519 private key in PEM; {retire_hint}")
    return SigningKey(kid, private_key)


def _malformed_manifest(path: pathlib.Path, detail: str) -> KeyDirectoryError:
    return KeyDirectoryError(
        f"{path} is malformed ({detail}); restore it from a backup, or move the directory "
        f"away and run `{CLI} rotate` (access tokens then refresh)"
    )


def _mode(info: os.stat_result) -> str:
    return f"{stat.S_IMODE(info.st_mode):04o}"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _write_manifest(directory: pathlib.Path, entries: list[KeyEntry]) -> None:
    document = {
        "version": MANIFEST_VERSION,
        "keys": [{"kid": e.kid, "created_at": e.created_at, "retired_at": e.retired_at} for e in entries],
    }
    _write_atomically(directory / MANIFEST, (json.dumps(document, indent=2) + "\n").encode())


def _write_atomically(path: pathlib.Path, data: bytes) -> None:
    """Write a 0600 file under a temporary name, fsync, rename over `path`, fsync the directory."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    directory_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)


@contextlib.contextmanager
def _locked(directory: pathlib.Path) -> Iterator[None]:
    fd = os.open(directory / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
