"""`python -m auth_service keys rotate|retire KID|list`: manage the access-token signing keys;
`python -m auth_service migrate`: upgrade the database schema (common.migrate_command).

The directory is $AUTH_SIGNING_KEYS_DIR (default `<data dir>/secrets/signing_keys`).
A running auth_service notices every change within AUTH_KEYS_RELOAD_SECONDS.
Exit codes: 0 done, 1 the key directory (or the database) is unusable, 2 bad usage (an unknown KID).
"""

from __future__ import annotations

import argparse
import sys

from auth_service.adapters import signing_keys
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.signing_keys import KeyDirectoryError, LastKeyError, UnknownKeyError
from common import migrate_command

USAGE_ERROR = 2


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auth_service",
        description="Without arguments: start auth_service. `keys ...`: manage its signing keys. `migrate`: "
        "upgrade its database schema.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    keys = commands.add_parser("keys", help="manage the access-token signing keys")
    actions = keys.add_subparsers(dest="action", required=True)
    actions.add_parser("rotate", help="make a new key; new tokens use it, older keys still verify")
    retire = actions.add_parser("retire", help="refuse every token of KID at once (running servers too)")
    retire.add_argument("kid", metavar="KID")
    actions.add_parser("list", help="every key, oldest first, and its state")
    migrate_command.add_parser(commands, HISTORY)
    args = parser.parse_args(argv)
    if args.command == "migrate":
        from auth_service.config import Config

        # Migrating reads no secret: the refresh-token key's file need not be there.
        return migrate_command.migrate(HISTORY, Config.from_env(refresh_token_key=b"").database_url)

    directory = signing_keys.signing_keys_dir()
    try:
        if args.action == "rotate":
            key = signing_keys.rotate(directory)
            print(
                f"{key.key_id} now signs new access tokens. Older keys verify until retired: retire one "
                f"once the tokens it signed have expired (ACCESS_TOKEN_TTL_SECONDS from now)"
            )
        elif args.action == "retire":
            entry = signing_keys.retire(directory, args.kid)
            print(f"{entry.kid} retired at {entry.retired_at}; its tokens are refused")
        else:
            print(listing(signing_keys.read_manifest(directory), directory))
    except (UnknownKeyError, LastKeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except KeyDirectoryError as error:
        print(f"error: {signing_keys.VARIABLE}: {error}", file=sys.stderr)
        return 1
    return 0


def listing(entries: list[signing_keys.KeyEntry], directory: object) -> str:
    if not entries:
        return f"no signing key in {directory}"
    active = [entry.kid for entry in entries if entry.active]
    rows = [("KID", "STATE", "CREATED", "RETIRED")]
    for entry in entries:
        state = "retired" if not entry.active else ("signs" if entry.kid == active[-1] else "verifies")
        rows.append((entry.kid, state, entry.created_at, entry.retired_at or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )
