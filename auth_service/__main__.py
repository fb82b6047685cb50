"""`python -m auth_service` starts the server; `python -m auth_service keys ...` manages signing keys."""

from __future__ import annotations

import sys

from common.runner import run


def main() -> None:
    if len(sys.argv) > 1:
        from auth_service.cli import main as cli

        sys.exit(cli(sys.argv[1:]))
    from auth_service.entrypoints.server import run_service

    run("auth_service", run_service)


if __name__ == "__main__":
    main()
