"""python -m device_service: serve DeviceService on DEVICE_ADDRESS (settings: device_service.config);
`python -m device_service migrate` upgrades its database schema (common.migrate_command)."""

from __future__ import annotations

import sys

from common.runner import run


def main() -> None:
    if len(sys.argv) > 1:
        from common import migrate_command
        from device_service.adapters.migrations import HISTORY
        from device_service.config import Config

        sys.exit(migrate_command.main(sys.argv[1:], HISTORY, lambda: Config.from_env().database_url))
    from device_service.entrypoints import server

    run("device_service", server.main)


if __name__ == "__main__":
    main()
