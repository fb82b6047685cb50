"""schemathesis against the running suite's /openapi.json, every check on.

The four real processes run (tools.supervisor, in demo mode), and the contract is
read from the gateway at run time: an operation or a documented answer that a
route gains is fuzzed as documented, with nothing to change here. schemathesis's
engine (what `st run` drives) runs its phases (examples, coverage, fuzzing,
stateful) with every check, in two runs:

- every operation that ends no session: one throw-away account for the run, a
  throw-away device of it signed in for each batch of BATCH cases, and the demo
  OAuth client on /oauth2/*;
- the operations that end sessions or the account (sign-out, sign-out-all, sign a
  device out, remove a device, close the account, change the password): each case
  with a session of its own, so that no case signs another case's token out.

schemathesis generates the cases of an operation before it sends them, so a case
carries a placeholder token; a `before_call` hook swaps in the real credentials
as the case is sent: the session's token, and the account password in the body
fields that take it (a credential, which the fuzzer cannot know; without it every
parental-control change would stop at 401 and the wrong passwords would throttle
the account).

Bounded by count (MAX_EXAMPLES per operation, phase and mode), a fixed seed with
Hypothesis derandomized, a timeout per request and a time budget per run.
`FUZZ_MAX_EXAMPLES` and `FUZZ_SEED` (a number) fuzz deeper or elsewhere.

Some rules of the API are beyond JSON Schema. Each is one narrow Rule (RULES, with
its reason): a `filter_failure` hook drops the failure of that one check only for
the requests the rule covers, and only when the server gave the clear 4xx the rule
calls for; every other check still runs on them.
"""

from __future__ import annotations

import base64
import collections
import os
import pathlib
import re
import time
import unicodedata
import urllib.parse
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import pytest
import schemathesis
import schemathesis.hooks
from schemathesis.core.failures import Failure
from schemathesis.engine import StopReason, events, from_schema

from tests.fuzz.harness import DEMO_CLIENT, Account, Gateway, running_suite

SEED = int(os.environ.get("FUZZ_SEED", "20261125"))
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "5"))  # per operation, phase and generation mode
REQUEST_TIMEOUT_SECONDS = 20.0
RUN_BUDGET_SECONDS = 150.0  # a run still going then stops, and its test fails
BATCH = 25  # cases per throw-away device in the run that ends no session
# Operations that end a session or the account: their own run, a session of its own per case.
DESTRUCTIVE = ("signOut", "signOutAll", "signOutDevice", "removeDevice", "closeAccount", "changePassword")
PLACEHOLDER = "Bearer placeholder-until-the-case-is-sent"
BASIC = "Basic " + base64.b64encode(":".join(DEMO_CLIENT).encode()).decode()
# Body fields that take the account password (a new password is the fuzzer's to choose).
ACCOUNT_PASSWORD = ("password", "current_password")


def config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "workers": 1,
            "request-timeout": REQUEST_TIMEOUT_SECONDS,
            # An SSE stream lasts as long as its session: read its first event (`ready`), then hang up.
            "max-stream-events": 1,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none", "mode": "all"},
            # Every check, and one more: no answer slower than the request timeout.
            "checks": {"enabled": True, "max_response_time": REQUEST_TIMEOUT_SECONDS},
        }
    )


# --- who calls --------------------------------------------------------------------------------------------------


def _schemes(case: Any) -> set[str]:
    requirements = case.operation.definition.raw.get("security", [{"bearer": []}])
    return {name for requirement in requirements for name in requirement}


class Credentials:
    """The auth provider of a run (schemathesis instantiates it without arguments): the demo OAuth client on
    /oauth2/*, a placeholder bearer token elsewhere (the session comes as the case is sent), nothing on public
    operations."""

    def get(self, case: Any, context: Any) -> str | None:
        schemes = _schemes(case)
        if "oauthClient" in schemes:
            return BASIC
        return PLACEHOLDER if "bearer" in schemes else None

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": data}


class Sessions(Protocol):
    def next(self) -> tuple[str, Account]:
        """The access token a case is sent with, and its account."""
        ...


class Batches:
    """One throw-away account for the run (what a case creates, a later case finds) and a new device of it for
    each batch of BATCH cases."""

    def __init__(self, api: Gateway) -> None:
        self.api, self.token, self.uses = api, "", 0
        self.account: Account | None = None

    def next(self) -> tuple[str, Account]:
        if self.account is None:
            self.account = self.api.new_account()
        if not self.token or self.uses >= BATCH:
            self.token, self.uses = self.api.sign_in(self.account).access_token, 0
        self.uses += 1
        return self.token, self.account


class OwnSessions:
    """A session of its own for each case: a new device of the current account, or of a new account once a
    case has closed that one or changed its password."""

    def __init__(self, api: Gateway) -> None:
        self.api = api
        self.account: Account | None = None

    def next(self) -> tuple[str, Account]:
        device = self.api.try_sign_in(self.account) if self.account is not None else None
        if self.account is None or device is None:
            self.account = self.api.new_account()
            device = self.api.sign_in(self.account)
        return device.access_token, self.account


def send_as(sessions: Sessions) -> Callable[..., None]:
    """A `before_call` hook: a case holding the placeholder goes with the next session's token, and the account
    password in each field that takes it and holds a valid value (an invalid one is what a negative case is
    about, so it stays)."""

    def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
        if (case.headers or {}).get("Authorization") != PLACEHOLDER:
            return
        token, account = sessions.next()
        case.headers["Authorization"] = f"Bearer {token}"
        if isinstance(case.body, dict):
            for name in ACCOUNT_PASSWORD:
                value = case.body.get(name)
                if isinstance(value, str) and 1 <= len(value) <= 128:
                    case.body[name] = account.password

    return before_call


# --- the rules JSON Schema cannot state -----------------------------------------------------------------------


def _positive(case: Any) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def _operation_id(case: Any) -> str:
    return str(case.operation.definition.raw.get("operationId", ""))


def _body(case: Any) -> dict[str, Any]:
    return case.body if isinstance(case.body, dict) else {}


def _answer(response: Any) -> tuple[int, str, str]:
    """(status, error code, message) of an error answer; (status, "", "") for anything else."""
    try:
        body = response.json()
        if isinstance(body.get("error"), str):  # RFC 6749's shape, under /oauth2/
            return response.status_code, body["error"], str(body.get("error_description", ""))
        error = body["error"]
        return response.status_code, str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return response.status_code, "", ""


@dataclass(frozen=True)
class Rule:
    """A rule of the API that JSON Schema cannot state, so that requests the schema calls valid break it.

    `covers` picks out exactly those requests, by the request alone; `answer` is the
    clear 4xx the server must give them. For them, and only them, the failure of
    `check` is dropped, and only when the answer is that 4xx.
    """

    name: str
    why: str
    covers: Callable[[Any], bool]
    answer: Callable[[tuple[int, str, str]], bool]
    check: str = "positive_data_acceptance"


def _sends_page_token(case: Any) -> bool:
    return bool((case.query or {}).get("page_token"))


def _plays_without_profile(case: Any) -> bool:
    return _operation_id(case) in ("startPlayback", "createDownload") and not _body(case).get("profile_id")


def _windows(case: Any) -> list[Any]:
    windows = _body(case).get("windows") if _operation_id(case) == "setViewingSchedule" else None
    return windows if isinstance(windows, list) else []


def _has_backwards_window(case: Any) -> bool:
    return any(
        isinstance(w, dict)
        and isinstance(w.get("start_minute"), int | float)
        and isinstance(w.get("end_minute"), int | float)
        and w["end_minute"] <= w["start_minute"]
        for w in _windows(case)
    )


def _names_unknown_time_zone(case: Any) -> bool:
    return bool(_windows(case)) and _body(case).get("time_zone") not in zoneinfo.available_timezones()


NEW_PASSWORD = {"createAccount": "password", "changePassword": "new_password"}


def _new_password(case: Any) -> str | None:
    value = _body(case).get(NEW_PASSWORD.get(_operation_id(case), ""))
    return value if isinstance(value, str) else None


def _nfkc_length(case: Any) -> int:
    return len(unicodedata.normalize("NFKC", _new_password(case) or ""))


NOT_TEXT = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _sends_text_that_is_not_text(case: Any) -> bool:
    path = [urllib.parse.unquote(text) for text in _strings(case.path_parameters or {})]  # may come encoded
    texts = [*_strings(case.body or {}), *_strings(case.query or {}), *path]
    return any(NOT_TEXT.search(text) for text in texts)


RULES = (
    Rule(
        "string_that_is_not_text",
        "Every declared string must be text: no control character, no lone surrogate. /openapi.json states it as "
        "each string's pattern (and propertyNames), but the case generator does not hold to a pattern with those "
        "character ranges; such a request must get exactly 400 invalid_text (invalid_request under /oauth2/).",
        _sends_text_that_is_not_text,
        lambda answer: answer[:2] in ((400, "invalid_text"), (400, "invalid_request")),
    ),
    Rule(
        "unissued_page_token",
        "A page token is opaque: only a next_page_token the server gave out is one. The schema states its alphabet "
        "and length (the gateway checks both); which strings the server issued it cannot state.",
        _sends_page_token,
        lambda answer: answer[:2] == (422, "invalid_argument") and "page_token" in answer[2],
    ),
    Rule(
        "profile_for_unscoped_token",
        "profile_id may be left out once the device has selected a profile, not before: the schema describes the "
        "body, not the token it comes with (the tokens here are unscoped, the account holder's).",
        _plays_without_profile,
        lambda answer: (
            answer == (422, "invalid_argument", "'profile_id' is required until this device selects a profile.")
        ),
    ),
    Rule(
        "window_ends_before_it_starts",
        "A viewing window's end_minute must come after its start_minute: JSON Schema compares no two fields.",
        _has_backwards_window,
        lambda answer: (
            answer[:2] == (422, "invalid_argument")
            and re.fullmatch(r"'windows\[\d+\]\.end_minute' must be after start_minute\.", answer[2]) is not None
        ),
    ),
    Rule(
        "unknown_time_zone",
        "A schedule with windows names a time zone of the IANA database: some 600 names that change with each "
        "tzdata release. The schema states the field's length; the service checks the name.",
        _names_unknown_time_zone,
        lambda answer: answer[:2] == (422, "invalid_time_zone"),
    ),
    Rule(
        "unissued_refresh_token",
        "A refresh token is opaque: only one the server issued, and not yet spent, is one. The schema states its "
        "length; which strings the server issued it cannot state (RFC 6749's invalid_grant).",
        lambda case: _operation_id(case) == "oauth2Token",
        lambda answer: answer[:2] == (400, "invalid_grant"),
    ),
    Rule(
        "password_too_short_once_normalized",
        "A new password's length counts after Unicode NFKC normalisation (NIST SP 800-63B); JSON Schema's "
        "minLength and maxLength count the code points sent.",
        lambda case: _new_password(case) is not None and not 8 <= _nfkc_length(case) <= 128,
        lambda answer: answer[0] in (400, 422) and answer[1] in ("password_too_short", "password_too_long"),
    ),
    Rule(
        "password_too_common",
        "A new password must not be one of the most common passwords: a list of thousands of words, which the "
        "schema does not carry.",
        lambda case: _new_password(case) is not None,
        lambda answer: answer[0] in (400, 422) and answer[1] == "password_too_common",
    ),
)


def filter_failure_by(rules: tuple[Rule, ...], taken: collections.Counter[str]) -> Callable[..., bool]:
    """A `filter_failure` hook: keep every failure but a rule's, on a request the rule covers, answered as the
    rule says; count the ones dropped by rule in `taken`."""

    def filter_failure(context: Any, failure: Failure, case: Any, response: Any) -> bool:
        if not _positive(case):
            return True
        for rule in rules:
            if rule.check in failure.checks and rule.covers(case) and rule.answer(_answer(response)):
                taken[rule.name] += 1
                return False
        return True

    return filter_failure


# --- a run ----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one run did."""

    name: str
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0
    stop_reason: StopReason | None = None
    cases: collections.Counter[str] = field(default_factory=collections.Counter)
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    rules_taken: collections.Counter[str] = field(default_factory=collections.Counter)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.name}: {sum(self.cases.values())} cases over {len(self.cases)} operations in {self.seconds:.1f} s "
            f"(seed {SEED}, max_examples {MAX_EXAMPLES}): {len(self.failures)} failures, {len(self.errors)} errors; "
            f"answers {dict(sorted(self.statuses.items()))}; rules taken {dict(self.rules_taken)}"
        )

    def record(self, recorder: Any) -> None:
        for case_id, node in recorder.cases.items():
            self.cases[node.value.operation.label] += 1
            interaction = recorder.interactions.get(case_id)
            if interaction is not None and interaction.response is not None:
                self.statuses[interaction.response.status_code] += 1
        for case_id, checks in recorder.checks.items():
            interaction = recorder.interactions.get(case_id)
            answer = interaction.response.content[:300] if interaction and interaction.response else b""
            self.failures += [
                f"{recorder.label}: {check.name}: {check.failure_info.failure.title}\n"
                f"{check.failure_info.code_sample}\n-> {answer!r}"
                for check in checks
                if check.failure_info is not None
            ]


def run(schema: Any, sessions: Sessions, name: str) -> Outcome:
    """Every phase of the engine over `schema`, each case sent as `sessions` says; what it did."""
    outcome = Outcome(name)
    schema.auth(refresh_interval=None)(Credentials)
    schema.hook(filter_failure_by(RULES, outcome.rules_taken))
    before_call = schemathesis.hook(send_as(sessions))  # schemathesis calls only global before_call hooks
    try:
        stream = from_schema(schema).execute()
        for event in stream:
            if time.monotonic() - outcome.started > RUN_BUDGET_SECONDS:
                stream.stop()
                outcome.errors.append(f"the run took longer than its budget of {RUN_BUDGET_SECONDS} s")
                break
            if isinstance(event, events.ScenarioFinished):
                outcome.record(event.recorder)
            elif isinstance(event, events.NonFatalError | events.FatalError):
                outcome.errors.append(f"{event!r}"[:2000])
            elif isinstance(event, events.EngineFinished):
                outcome.stop_reason = event.stop_reason
    finally:
        schemathesis.hooks.unregister(before_call)
    outcome.seconds = time.monotonic() - outcome.started
    print(outcome.summary())
    return outcome


def assert_clean(outcome: Outcome, operations: set[str]) -> None:
    assert not outcome.errors, "\n\n".join(outcome.errors)
    assert not outcome.failures, f"{len(outcome.failures)} failures:\n\n" + "\n\n".join(outcome.failures[:20])
    assert outcome.stop_reason is StopReason.COMPLETED, f"the run stopped early: {outcome.stop_reason}"
    untested = operations - set(outcome.cases)
    assert not untested, f"operations without a single case: {sorted(untested)}"


@pytest.fixture
def gateway(tmp_path: pathlib.Path) -> Iterator[Gateway]:
    """A suite of its own for each run: what one run leaves (throttles, bans) cannot change the other's answers."""
    with running_suite(tmp_path) as url:
        yield Gateway(url)


def contract(api: Gateway) -> Any:
    return schemathesis.openapi.from_url(f"{api.url}/openapi.json", config=config())


def labels(schema: Any) -> set[str]:
    return {result.ok().label for result in schema.get_all_operations()}


def test_every_operation_that_ends_no_session_keeps_its_contract(gateway: Gateway) -> None:
    schema = contract(gateway).exclude(operation_id=list(DESTRUCTIVE))
    assert len(labels(schema)) >= 30
    assert_clean(run(schema, Batches(gateway), "sessions kept"), labels(schema))


def test_every_operation_that_ends_a_session_keeps_its_contract(gateway: Gateway) -> None:
    schema = contract(gateway).include(operation_id=list(DESTRUCTIVE))
    assert len(labels(schema)) == len(DESTRUCTIVE)
    assert_clean(run(schema, OwnSessions(gateway), "sessions ended"), labels(schema))
