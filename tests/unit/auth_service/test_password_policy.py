"""New passwords per NIST SP 800-63B: NFKC, 8 to 128 characters, not a common password, no composition rules."""

import pytest

from auth_service.adapters.common_passwords import COMMON_PASSWORDS_PATH, load_password_policy
from auth_service.domain.password_policy import PasswordPolicy
from common import passwords
from common.errors import InvalidArgument
from tests.unit.auth_service.conftest import device

PASSWORD = "correct horse battery"


def fullwidth(text):
    """The same letters as typed on a fullwidth (East Asian) keyboard layout."""
    return "".join(" " if c == " " else chr(ord(c) + 0xFEE0) for c in text)


async def refused(call):
    with pytest.raises(InvalidArgument) as error:
        await call
    return error.value.reason


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password", "password_too_common"),
        ("12345678", "password_too_common"),
        (" " * 8, "password_too_short"),
        ("Password", "password_too_common"),  # compared in lower case
        (" password ", "password_too_common"),  # surrounding spaces ignored
        (fullwidth("password"), "password_too_common"),  # fullwidth: NFKC makes it "password"
        ("qwertyuiop", "password_too_common"),
        ("short", "password_too_short"),
        ("  seven  ", "password_too_short"),  # 5 characters between the spaces
        ("e\u0301" * 4 + "x" * 3, "password_too_short"),  # 11 as typed, 7 once NFKC composes each é
        ("\ufdfa" * 8, "password_too_long"),  # 8 as typed, 144 once NFKC expands each ligature
        ("x" * 129, "password_too_long"),
        ("x" * 5000, "password_too_long"),
    ],
)
async def test_a_new_account_refuses_the_password(app, password, reason):
    assert await refused(app.create_account("ann@example.com", password)) == reason


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "tr0ub4dor&3x",
        "abcdefgh-not-common",
        "nocomposition",  # no digit, symbol or capital needed
        "x" * 128,
        "\u00e9" * 8,
        "パスワードは長いほうがいい",
    ],
)
async def test_a_new_account_accepts_the_password(app, password):
    await app.create_account("ann@example.com", password)


async def test_a_password_change_applies_the_same_policy(app):
    account = await app.create_account("ann@example.com", PASSWORD)
    for new, reason in (
        ("password", "password_too_common"),
        (" " * 8, "password_too_short"),
        ("y" * 129, "password_too_long"),
    ):
        assert await refused(app.change_password(account.account_id, "s", PASSWORD, new, True)) == reason
    await app.verify_password(account.account_id, PASSWORD)  # unchanged


async def test_the_normalised_password_is_hashed_so_either_form_signs_in(app):
    await app.create_account("ann@example.com", fullwidth("correct horse"))  # fullwidth
    await app.sign_in("ann@example.com", "correct horse", device(1), "")
    await app.sign_in("ann@example.com", fullwidth("correct horse"), device(2), "")


async def test_a_hash_stored_before_normalisation_still_verifies(app, database):
    account = await app.create_account("ann@example.com", PASSWORD)
    typed = fullwidth("correct horse")
    database.accounts[account.account_id].password_hash = passwords.hash_secret(typed)  # as typed, not NFKC
    await app.verify_password(account.account_id, typed)


def test_the_shipped_list_has_the_10000_most_common_passwords_and_names_its_source():
    policy = load_password_policy()
    assert len(policy.common) == 10_000
    assert {"123456", "password", "12345678", "qwerty", "iloveyou"} <= policy.common
    header = COMMON_PASSWORDS_PATH.read_text(encoding="utf-8").partition("\n\n")[0]
    assert "Django 5.2.19" in header and "Royce Williams" in header
    first = COMMON_PASSWORDS_PATH.read_text(encoding="utf-8").partition("\n\n")[2].splitlines()[:3]
    assert first == ["123456", "123456789", "qwerty"]  # most common first


def test_a_truncated_list_is_refused(tmp_path):
    short = tmp_path / "common.txt"
    short.write_text("header\n\npassword\n123456\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected 10000"):
        load_password_policy.__wrapped__(short)


def test_the_policy_returns_the_normalised_form():
    assert PasswordPolicy().check(fullwidth("correct horse")) == "correct horse"
