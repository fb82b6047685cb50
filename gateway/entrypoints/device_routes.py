"""Routes of one device: remove, allow, its streaming activity; viewing activity; downloads."""

from __future__ import annotations

from aiohttp import web

from gateway.domain import json_activity
from gateway.domain import json_shapes as shapes
from gateway.domain.account_requests import DownloadRequest, ViewingActivityQuery
from gateway.domain.model import Caller
from gateway.domain.requests import PageRequest
from gateway.entrypoints.auth import account_settings, authenticated, backends, json_body
from gateway.entrypoints.middleware import ARRIVED_AT
from gateway.service_layer import devices, downloads, removal


@account_settings
async def remove_device(request: web.Request, caller: Caller) -> web.Response:
    result = await removal.remove_device(backends(request), caller, request.match_info["device_id"],
                                         request[ARRIVED_AT])
    return web.json_response(shapes.device_removal_json(result))


@account_settings
async def allow_device(request: web.Request, caller: Caller) -> web.Response:
    device = await devices.allow_device(backends(request).device, caller, request.match_info["device_id"])
    return web.json_response({"device": shapes.device_json(device)})


@account_settings
async def device_activity(request: web.Request, caller: Caller) -> web.Response:
    page = PageRequest.from_query(dict(request.query))
    found = await devices.streaming_activity(backends(request).device, caller, request.match_info["device_id"], page)
    return web.json_response(json_activity.streaming_activity_json(found))


@account_settings
async def viewing_activity(request: web.Request, caller: Caller) -> web.Response:
    query = ViewingActivityQuery.from_query(dict(request.query))
    found = await devices.viewing_activity(backends(request).device, caller, query)
    return web.json_response(json_activity.viewing_activity_json(found))


@authenticated
async def record_download(request: web.Request, caller: Caller) -> web.Response:
    body = DownloadRequest.from_json(await json_body(request))
    download = await downloads.record_download(backends(request), caller, body)
    return web.json_response({"download": json_activity.download_json(download)}, status=201)


@authenticated
async def list_downloads(request: web.Request, caller: Caller) -> web.Response:
    page = PageRequest.from_query(dict(request.query))
    found = await downloads.list_downloads(backends(request).device, caller, page)
    return web.json_response(json_activity.download_page_json(found))


@authenticated
async def download_license(request: web.Request, caller: Caller) -> web.Response:
    found = await downloads.check_license(backends(request).device, caller, request.match_info["download_id"])
    return web.json_response(json_activity.license_json(found))


ROUTES = [
    web.delete("/v1/devices/{device_id}", remove_device),
    web.post("/v1/devices/{device_id}/allow", allow_device),
    web.get("/v1/devices/{device_id}/activity", device_activity, allow_head=False),
    web.get("/v1/activity", viewing_activity, allow_head=False),
    web.post("/v1/downloads", record_download),
    web.get("/v1/downloads", list_downloads, allow_head=False),
    web.get("/v1/downloads/{download_id}/license", download_license, allow_head=False),
]
