"""Account settings that revoke: changing the password and closing the account.

auth_service checks the password and revokes durably; the revocation then fans
out exactly as a sign-out does.
"""

from __future__ import annotations

from gateway.domain.account_requests import PasswordChangeRequest
from gateway.domain.model import Caller, PasswordChange, SignOutResult
from gateway.service_layer.sign_out import SignOutBackends, propagate


async def change_password(backends: SignOutBackends, caller: Caller, request: PasswordChangeRequest,
                          started: float) -> PasswordChange:
    revocation = await backends.auth.change_password(
        caller, request.current_password, request.new_password, request.sign_out_other_devices
    )
    if revocation is None:
        return PasswordChange(None)
    result = await propagate(backends, revocation, started)
    return PasswordChange(result.revocation, result.propagation)


async def close_account(backends: SignOutBackends, caller: Caller, password: str, started: float) -> SignOutResult:
    revocation = await backends.auth.close_account(caller, password)
    return await propagate(backends, revocation, started)
