"""Routes of profiles, their parental controls, the catalogue and playback."""

from __future__ import annotations

from aiohttp import web

from gateway.domain import json_parental
from gateway.domain import json_shapes as shapes
from gateway.domain.model import Caller
from gateway.domain.parental_requests import (
    MaturityChange,
    PlaybackRequest,
    name_from_json,
    pin_from_json,
    schedule_from_json,
    title_id_from_json,
)
from gateway.domain.requests import PageRequest, password_from_json
from gateway.entrypoints.auth import account_settings, authenticated, backends, json_body
from gateway.service_layer import playback, profiles


def _profile_id(request: web.Request) -> str:
    return request.match_info["profile_id"]


@authenticated
async def select_profile(request: web.Request, caller: Caller) -> web.Response:
    body = await json_body(request) if request.can_read_body else {}
    profile, access_token, expires_in = await profiles.select_profile(
        backends(request), caller, _profile_id(request), pin_from_json(body, required=False))
    return web.json_response({"profile": shapes.profile_json(profile), "access_token": access_token,
                              "token_type": "Bearer", "expires_in": expires_in})


@account_settings
async def rename_profile(request: web.Request, caller: Caller) -> web.Response:
    name = name_from_json(await json_body(request))
    profile = await profiles.rename_profile(backends(request), caller, _profile_id(request), name)
    return web.json_response({"profile": shapes.profile_json(profile)})


@account_settings
async def delete_profile(request: web.Request, caller: Caller) -> web.Response:
    change = await profiles.delete_profile(backends(request), caller, _profile_id(request))
    return web.json_response(json_parental.change_json(change))


@account_settings
async def get_rules(request: web.Request, caller: Caller) -> web.Response:
    rules = await profiles.get_rules(backends(request), caller, _profile_id(request))
    return web.json_response(json_parental.rules_json(rules))


@account_settings
async def set_maturity(request: web.Request, caller: Caller) -> web.Response:
    body = MaturityChange.from_json(await json_body(request))
    change = await profiles.set_maturity_level(backends(request), caller, _profile_id(request), body.maturity_level,
                                               body.password)
    return web.json_response(json_parental.change_json(change))


@account_settings
async def set_pin(request: web.Request, caller: Caller) -> web.Response:
    body = await json_body(request)
    pin, password = pin_from_json(body), password_from_json(body)
    change = await profiles.set_pin(backends(request), caller, _profile_id(request), pin, password)
    return web.json_response(json_parental.change_json(change))


@account_settings
async def remove_pin(request: web.Request, caller: Caller) -> web.Response:
    password = password_from_json(await json_body(request))
    change = await profiles.remove_pin(backends(request), caller, _profile_id(request), password)
    return web.json_response(json_parental.change_json(change))


@account_settings
async def unlock_profile(request: web.Request, caller: Caller) -> web.Response:
    password = password_from_json(await json_body(request))
    change = await profiles.unlock(backends(request), caller, _profile_id(request), password)
    return web.json_response(json_parental.change_json(change))


@account_settings
async def block_title(request: web.Request, caller: Caller) -> web.Response:
    body = await json_body(request)
    title_id, password = title_id_from_json(body), password_from_json(body)
    change = await profiles.block_title(backends(request), caller, _profile_id(request), title_id, password)
    return web.json_response(json_parental.change_json(change), status=201)


@account_settings
async def unblock_title(request: web.Request, caller: Caller) -> web.Response:
    password = password_from_json(await json_body(request))
    change = await profiles.unblock_title(backends(request), caller, _profile_id(request),
                                          request.match_info["title_id"], password)
    return web.json_response(json_parental.change_json(change))


@account_settings
async def set_schedule(request: web.Request, caller: Caller) -> web.Response:
    body = await json_body(request)
    schedule, password = schedule_from_json(body), password_from_json(body)
    change = await profiles.set_schedule(backends(request), caller, _profile_id(request), schedule, password)
    return web.json_response(json_parental.change_json(change))


@authenticated
async def list_titles(request: web.Request, _caller: Caller) -> web.Response:
    page = PageRequest.from_query(dict(request.query))
    found = await profiles.list_titles(backends(request).parental, page)
    return web.json_response(json_parental.title_page_json(found))


@account_settings
async def list_audit_events(request: web.Request, caller: Caller) -> web.Response:
    query = dict(request.query)
    page = PageRequest.from_query(query)
    found = await profiles.list_audit_events(backends(request), caller, query.get("profile_id", "")[:128], page)
    return web.json_response(json_parental.audit_page_json(found))


@authenticated
async def start_playback(request: web.Request, caller: Caller) -> web.Response:
    body = PlaybackRequest.from_json(await json_body(request))
    decision = await playback.start_playback(backends(request), caller, body, request.remote or "")
    return web.json_response(json_parental.decision_json(decision))


@authenticated
async def stop_playback(request: web.Request, caller: Caller) -> web.Response:
    ended = await playback.stop_playback(backends(request), caller)
    return web.json_response({"ended": ended})


PROFILE = "/v1/profiles/{profile_id}"

ROUTES = [
    web.post(f"{PROFILE}/select", select_profile),
    web.patch(PROFILE, rename_profile),
    web.delete(PROFILE, delete_profile),
    web.get(f"{PROFILE}/rules", get_rules, allow_head=False),
    web.put(f"{PROFILE}/maturity", set_maturity),
    web.put(f"{PROFILE}/pin", set_pin),
    web.delete(f"{PROFILE}/pin", remove_pin),
    web.post(f"{PROFILE}/unlock", unlock_profile),
    web.post(f"{PROFILE}/blocked-titles", block_title),
    web.delete(f"{PROFILE}/blocked-titles/{{title_id}}", unblock_title),
    web.put(f"{PROFILE}/schedule", set_schedule),
    web.get("/v1/titles", list_titles, allow_head=False),
    web.get("/v1/audit-events", list_audit_events, allow_head=False),
    web.post("/v1/playback", start_playback),
    web.post("/v1/playback/stop", stop_playback),
]
