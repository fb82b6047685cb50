"""The demo household of `make run`: four profiles on four devices, and what each may watch."""

from __future__ import annotations

from tools.demo import HOUSEHOLD, seed, seed_household
from tools.json_http import call

CLUSTER_TOO = True  # also run against the cluster (tests/e2e/conftest.py)

SAMPLES = {
    "all": "t-puddle-jumpers",
    "7+": "t-robo-rangers",
    "13+": "t-hallway-legends",
    "16+": "t-cold-harbour",
    "18+": "t-the-cartel-ledger",
}
EXPECTED_ALLOWED = {"Alice": 5, "Sam": 4, "Jo": 3, "Robin": 2}  # ratings up to the profile's level


def test_the_demo_household_shows_on_the_device_list_and_gets_the_right_decisions(suite) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    account = seed(base)
    profile_ids = seed_household(base, account)
    owner = account.access_tokens["Living room TV"]
    devices = {d["name"]: d for d in call(base, "GET", "/v1/devices", token=owner).body["devices"]}
    for name, _kind, _level, device, _title in HOUSEHOLD:
        assert devices[device]["last_profile_name"] == name
        assert devices[device]["last_title"] and devices[device]["last_watched_at"]

    probe = call(
        base,
        "POST",
        "/v1/sign-in",
        {
            "email": "demo@example.com",
            "password": "demo-password-1",
            "device": {"client_id": "decision-probe", "name": "Probe", "type": "computer"},
        },
    ).body["access_token"]
    table = []
    for name, profile_id in profile_ids.items():
        scoped = call(base, "POST", f"/v1/profiles/{profile_id}/select", {}, token=probe).body["access_token"]
        row = []
        for _rating, title_id in SAMPLES.items():
            decision = call(base, "POST", "/v1/playback", {"title_id": title_id}, token=scoped).body
            row.append("allow" if decision["allowed"] else f"deny: {decision['reason']}")
        table.append((name, row))
        assert row.count("allow") == EXPECTED_ALLOWED[name], (name, row)
    print("\nprofile  " + "  ".join(f"{rating:>14}" for rating in SAMPLES))
    for name, row in table:
        print(f"{name:8} " + "  ".join(f"{cell:>14}" for cell in row))
