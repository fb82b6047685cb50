"""python -m parental_service: serve ParentalService on PARENTAL_ADDRESS (settings: parental_service.config)."""

from __future__ import annotations

from common.runner import run
from parental_service.entrypoints import server


def main() -> None:
    run("parental_service", server.main)


if __name__ == "__main__":
    main()
