"""The push baseline: a bare aiohttp Server-Sent Events server, in its own process.

    python -m benchmarks.sse_echo

GET /v1/events holds a stream (headers, then `event: ready`); POST /broadcast writes
one `event: revoked` frame, the size of the gateway's, to every open stream. No
token, no lookup, no event ids: what any aiohttp process pays to push one message to
N streams. Prints {"port": ...} once listening; serves until stdin closes.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from typing import cast

from aiohttp import web

FRAME = (
    b'id: 0000000000000000.1\nevent: revoked\ndata: {"sequence":1,"scope":"all","reason":"sign_out_all",'
    b'"session_id":null,"device_id":null,"revoked_at":"2026-11-25T19:55:00.000000Z"}\n\n'
)
HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}


def app() -> web.Application:
    open_streams: set[asyncio.Queue[bytes]] = set()

    async def events(request: web.Request) -> web.StreamResponse:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        response = web.StreamResponse(headers=HEADERS)
        await response.prepare(request)
        await response.write(b"retry: 2000\nid: 0000000000000000.0\nevent: ready\ndata: {}\n\n")
        open_streams.add(queue)
        try:
            while True:
                await response.write(await queue.get())
        except ConnectionError:
            pass
        finally:
            open_streams.discard(queue)
        return response

    async def broadcast(request: web.Request) -> web.Response:
        for queue in open_streams:
            queue.put_nowait(FRAME)
        return web.json_response({"streams": len(open_streams)})

    application = web.Application()
    application.router.add_get("/v1/events", events)
    application.router.add_post("/broadcast", broadcast)
    return application


async def main() -> None:
    runner = web.AppRunner(app(), handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    stdin = cast(io.BufferedReader, sys.stdin.buffer)
    loop.add_reader(sys.stdin.fileno(), lambda: stopping.set() if not stdin.read1(1) else None)
    print(json.dumps({"port": port}), flush=True)
    await stopping.wait()
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
