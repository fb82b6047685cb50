"""Account settings that revoke: the password and closing the account."""

from __future__ import annotations

from aiohttp import web

from gateway.domain import json_shapes as shapes
from gateway.domain.account_requests import PasswordChangeRequest
from gateway.domain.model import Caller
from gateway.domain.requests import password_from_json
from gateway.entrypoints.auth import account_settings, backends, json_body
from gateway.entrypoints.middleware import ARRIVED_AT
from gateway.service_layer import account


@account_settings
async def change_password(request: web.Request, caller: Caller) -> web.Response:
    body = PasswordChangeRequest.from_json(await json_body(request))
    result = await account.change_password(backends(request), caller, body, request[ARRIVED_AT])
    return web.json_response(shapes.password_change_json(result))


@account_settings
async def close_account(request: web.Request, caller: Caller) -> web.Response:
    password = password_from_json(await json_body(request))
    result = await account.close_account(backends(request), caller, password, request[ARRIVED_AT])
    return web.json_response(shapes.sign_out_json(result))


ROUTES = [
    web.post("/v1/password", change_password),
    web.post("/v1/account/close", close_account),
]
