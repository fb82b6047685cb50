"""`python -m auth_service` starts the server; `python -m auth_service keys ...` manages signing keys."""

import asyncio
import sys


def run() -> None:
    if len(sys.argv) > 1:
        from auth_service.cli import main as cli

        sys.exit(cli(sys.argv[1:]))
    from auth_service.entrypoints.server import main

    asyncio.run(main())


run()
