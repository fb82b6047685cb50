"""Creating an account, signing in and refreshing tokens: straight through to auth_service."""

from __future__ import annotations

from gateway.adapters.auth_client import AuthClient
from gateway.domain.model import Account, TokenPair
from gateway.domain.requests import Credentials, SignIn


async def create_account(auth: AuthClient, credentials: Credentials) -> Account:
    return await auth.create_account(credentials)


async def sign_in(auth: AuthClient, request: SignIn) -> TokenPair:
    return await auth.sign_in(request)


async def refresh(auth: AuthClient, refresh_token: str) -> TokenPair:
    return await auth.refresh_token(refresh_token)
