"""`python -m <service> migrate`: upgrade that service's database schema to this release's head, once,
before its replicas start (they run with MIGRATE_ON_START=false). Safe to run from several places at
once: on PostgreSQL the upgrade waits for the history's advisory lock (common.migrations).

Prints one line, where the schema was and where it is now. Exit codes: 0 done (or nothing to do),
1 the database cannot be migrated (unreachable, a schema this release does not know, ...), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from common.migrations import History, upgrade


def main(argv: list[str], history: History, database_url: Callable[[], str]) -> int:
    """The command line of a service that has no other command than `migrate` (device, parental)."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {history.service}",
        description=f"Without arguments: start {history.service}. `migrate`: upgrade its database schema.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add_parser(commands, history)
    parser.parse_args(argv)
    return migrate(history, database_url())


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser], history: History) -> None:
    commands.add_parser(
        "migrate",
        help=f"upgrade {history.service}'s database schema to this release's head (run once before replicas start)",
    )


def migrate(history: History, database_url: str) -> int:
    try:
        done = upgrade(database_url, history)
    except SystemExit as refused:
        print(f"{history.service}: {refused.code}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"{history.service}: the migration failed: {error}", file=sys.stderr)
        return 1
    print(done.describe(history.service))
    return 0
