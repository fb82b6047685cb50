"""The canary's settings: environment variables, read the common.config way.

CANARY_API_URL (http://127.0.0.1:8080: where clients go), CANARY_VALIDATOR_URLS
("gateway-1=http://10.0.0.1:8080,gateway-2=..."; default: the API URL, named "gateway"),
CANARY_INTERVAL_SECONDS (5), CANARY_EMAIL (canary@remotesignout.invalid), CANARY_PASSWORD_FILE (read by
canary.__main__; default <data dir>/secrets/canary_password, which tools.local_secrets makes for local runs
and `make compose-secrets` for compose), CANARY_PROPAGATION_TIMEOUT_SECONDS (10),
CANARY_REQUEST_TIMEOUT_SECONDS (5), CANARY_METRICS_PORT (9104; 0: no metrics server), METRICS_HOST (127.0.0.1).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import field_validator
from pydantic_settings import NoDecode

from common.config import ProcessSettings, env

Validators = tuple[tuple[str, str], ...]


def parse_validators(raw: str) -> Validators:
    """(name, base URL) pairs from "gateway-1=http://a:8080,gateway-2=http://b:8080"."""
    pairs = []
    for entry in (part.strip() for part in raw.split(",")):
        if not entry:
            continue
        name, sep, url = entry.partition("=")
        if not sep or not name.strip() or not url.strip().startswith(("http://", "https://")):
            raise SystemExit("CANARY_VALIDATOR_URLS must be 'name=http://host:port,name2=http://host2:port'")
        pairs.append((name.strip(), url.strip().rstrip("/")))
    return tuple(pairs)


class Settings(ProcessSettings):
    api_url: str = env("CANARY_API_URL", "http://127.0.0.1:8080")
    validators: Annotated[Validators, NoDecode] = env("CANARY_VALIDATOR_URLS", ())
    interval_seconds: float = env("CANARY_INTERVAL_SECONDS", 5.0, gt=0)
    email: str = env("CANARY_EMAIL", "canary@remotesignout.invalid")
    propagation_timeout_seconds: float = env("CANARY_PROPAGATION_TIMEOUT_SECONDS", 10.0, gt=0)
    request_timeout_seconds: float = env("CANARY_REQUEST_TIMEOUT_SECONDS", 5.0, gt=0)
    metrics_host: str = env("METRICS_HOST", "127.0.0.1")
    metrics_port: int = env("CANARY_METRICS_PORT", 9104, ge=0)

    @field_validator("validators", mode="before")
    @classmethod
    def _parse_validators(cls, value: object) -> object:
        return parse_validators(value) if isinstance(value, str) else value

    @property
    def probed(self) -> Validators:
        """The validators probed: the configured ones, or the API URL itself as "gateway"."""
        return self.validators or (("gateway", self.api_url.rstrip("/")),)
