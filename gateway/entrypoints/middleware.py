"""The edge's safety net: every error becomes {"error": {...}} JSON, never a stack trace."""

from __future__ import annotations

import logging
import time

import grpc
from aiohttp import web
from aiohttp.typedefs import Handler

from common.errors import DomainError
from gateway import http_errors

log = logging.getLogger(__name__)

ARRIVED_AT = web.RequestKey("arrived_at", float)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    request[ARRIVED_AT] = time.perf_counter()
    try:
        return await handler(request)
    except grpc.aio.AioRpcError as error:
        return http_errors.from_rpc_error(error)
    except DomainError as error:
        return http_errors.from_domain_error(error)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return http_errors.from_http_exception(error)
    except Exception:
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return http_errors.unexpected()
