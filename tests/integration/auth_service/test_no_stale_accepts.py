"""After a revoking call has answered, no validation accepts the token: counted, must be 0."""

import asyncio
import random
import time

import grpc
from grpc import aio
from remotesignout.auth.v1 import auth_pb2 as pb

PASSWORD = "correct horse battery"
SESSIONS = 60
WORKERS = 32
MIN_VALIDATIONS = 2000


async def test_no_validation_accepts_a_token_after_its_revocation_answered(auth):
    account = await auth.CreateAccount(pb.CreateAccountRequest(email="load@example.com", password=PASSWORD))
    signed = []
    for n in range(SESSIONS):
        device = pb.Device(client_id=f"c{n}", name=f"Device {n}", type=pb.DEVICE_TYPE_PHONE)
        signed.append(await auth.SignIn(pb.SignInRequest(email="load@example.com", password=PASSWORD, device=device)))
    revoked_answer_at: dict[str, float] = {}
    results: list[tuple[str, float, bool]] = []
    done = asyncio.Event()

    async def validate_until_enough(seed: int) -> None:
        rng = random.Random(seed)
        while not (done.is_set() and len(results) >= MIN_VALIDATIONS):
            target = rng.choice(signed)
            sent = time.perf_counter()
            try:
                await auth.ValidateToken(pb.ValidateTokenRequest(access_token=target.access_token))
                results.append((target.session_id, sent, True))
            except aio.AioRpcError as error:
                assert error.code() == grpc.StatusCode.UNAUTHENTICATED
                results.append((target.session_id, sent, False))

    async def revoke_half() -> None:
        for target in signed[: SESSIONS // 2]:
            await asyncio.sleep(0.03)
            await auth.RevokeSessions(
                pb.RevokeSessionsRequest(
                    account_id=account.account_id,
                    scope=pb.REVOCATION_SCOPE_SESSION,
                    reason=pb.REVOCATION_REASON_REMOTE_SIGN_OUT,
                    session_id=target.session_id,
                )
            )
            revoked_answer_at[target.session_id] = time.perf_counter()
        done.set()

    # Counts, not durations, end the run, so a slow machine makes it longer, not weaker.
    await asyncio.gather(revoke_half(), *[validate_until_enough(seed) for seed in range(WORKERS)])
    stale = [r for r in results if r[2] and r[0] in revoked_answer_at and r[1] > revoked_answer_at[r[0]]]
    after_revocation = [r for r in results if r[0] in revoked_answer_at and r[1] > revoked_answer_at[r[0]]]
    print(
        f"\nstale accepts: {len(stale)} of {len(results)} validations "
        f"({len(after_revocation)} sent after their token's revocation answered) "
        f"during {len(revoked_answer_at)} revocations"
    )
    assert len(results) >= MIN_VALIDATIONS
    assert len(after_revocation) > 100  # the test really exercised revoked tokens
    assert stale == []
    survivors = {s.session_id for s in signed[SESSIONS // 2 :]}
    assert all(accepted for sid, _, accepted in results if sid in survivors)
