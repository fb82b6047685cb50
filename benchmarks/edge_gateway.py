"""The processes of benchmark 10 (benchmarks.edge): the real gateway (`python -m gateway`), or (--bare-json PORT)
a bare aiohttp JSON answer."""

from __future__ import annotations

import sys

from aiohttp import web

BODY = {
    "session_id": "0b9f1c1e-3d4a-4c5b-8e6f-7a8b9c0d1e2f",
    "account_id": "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
    "device_id": "9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c",
    "created_at": "2026-11-25T19:55:00.000000Z",
    "last_used_at": "2026-11-25T20:10:00.000000Z",
    "expires_at": "2026-12-25T19:55:00.000000Z",
    "revoked": False,
}


def bare_json(port: int) -> None:
    async def answer(_request: web.Request) -> web.Response:
        return web.json_response(BODY)

    app = web.Application()
    app.router.add_get("/v1/session", answer)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


def gateway() -> None:
    import gateway.__main__ as entry

    entry.main()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--bare-json":
        bare_json(int(sys.argv[2]))
    else:
        gateway()
