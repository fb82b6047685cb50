from auth_service.domain.revocation_index import RevocationIndex
from common.revocation import Reason, Revocation, Scope


def revocation(scope: Scope, at: int, session_id: str = "", device_id: str = "", account: str = "a1") -> Revocation:
    return Revocation(1, account, scope, Reason.SIGN_OUT_ALL, session_id, device_id, at)


def test_a_session_is_valid_until_something_revokes_it():
    assert RevocationIndex().revoked_reason("a1", "s1", "d1", 100) is None


def test_revoking_one_session_leaves_the_others_valid():
    index = RevocationIndex()
    index.apply(revocation(Scope.SESSION, 200, session_id="s1", device_id="d1"))
    assert index.revoked_reason("a1", "s1", "d1", 100) is Reason.SIGN_OUT_ALL
    assert index.revoked_reason("a1", "s2", "d1", 150) is None


def test_sign_out_all_revokes_sessions_created_before_it_but_not_after():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL, 200))
    assert index.revoked_reason("a1", "s1", "d1", 199) is not None
    assert index.revoked_reason("a1", "s9", "d1", 201) is None


def test_sign_out_all_of_one_account_does_not_touch_another_account():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL, 200, account="a1"))
    assert index.revoked_reason("a2", "s1", "d1", 100) is None


def test_all_others_keeps_the_callers_session():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL_OTHERS, 200, session_id="keep"))
    assert index.revoked_reason("a1", "keep", "d1", 100) is None
    assert index.revoked_reason("a1", "other", "d2", 100) is not None


def test_a_later_all_others_from_another_session_revokes_the_first_survivor():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL_OTHERS, 200, session_id="first"))
    index.apply(revocation(Scope.ALL_OTHERS, 300, session_id="second"))
    assert index.revoked_reason("a1", "first", "d1", 100) is not None
    assert index.revoked_reason("a1", "second", "d2", 250) is None


def test_a_device_cutoff_is_scoped_to_the_account():
    index = RevocationIndex()
    index.apply(revocation(Scope.DEVICE, 200, device_id="d1", account="a1"))
    assert index.revoked_reason("a1", "s1", "d1", 100) is not None
    assert index.revoked_reason("a2", "s2", "d1", 100) is None
    assert index.revoked_reason("a1", "s3", "d1", 300) is None


def test_forgetting_old_single_session_entries_keeps_recent_ones():
    index = RevocationIndex()
    index.apply(revocation(Scope.SESSION, 100, session_id="old"))
    index.apply(revocation(Scope.SESSION, 500, session_id="new"))
    assert index.forget_sessions_revoked_before(300) == 1
    assert index.revoked_reason("a1", "old", "d", 50) is None
    assert index.revoked_reason("a1", "new", "d", 50) is not None


def test_a_clock_stepping_back_never_revives_a_revoked_session():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL, 500))
    index.apply(revocation(Scope.ALL_OTHERS, 300, session_id="keep"))  # the clock went back
    assert index.revoked_reason("a1", "s1", "d1", 400) is not None
    assert index.revoked_reason("a1", "keep", "d1", 450) is None
    index.apply(revocation(Scope.DEVICE, 900, device_id="d1"))
    index.apply(revocation(Scope.DEVICE, 100, device_id="d1"))
    assert index.revoked_reason("a1", "s2", "d1", 800) is not None
