"""python -m parental_service: serve ParentalService on PARENTAL_ADDRESS (settings: parental_service.config);
`python -m parental_service migrate` upgrades its database schema (common.migrate_command)."""

from __future__ import annotations

import sys

from common.runner import run


def main() -> None:
    if len(sys.argv) > 1:
        from common import migrate_command
        from parental_service.adapters.migrations import HISTORY
        from parental_service.config import Config

        # Migrating reads no secret: the PIN pepper's file need not be there.
        url = lambda: Config.from_env(pin_pepper=b"").database_url  # noqa: E731
        sys.exit(migrate_command.main(sys.argv[1:], HISTORY, url))
    from parental_service.entrypoints import server

    run("parental_service", server.main)


if __name__ == "__main__":
    main()
