"""`signpost users add` and `signpost web`."""

from __future__ import annotations

import argparse
import getpass
import sys

from web.models import ROLES


def cmd_users_add(args) -> int:
    from directory.db import make_engine
    from directory.migrate import upgrade
    from web.users import UserError, UserStore

    upgrade(args.database_url)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (at least 12 characters): ")
        if getpass.getpass("Again: ") != password:
            print("The passwords do not match.", file=sys.stderr)
            return 2
    try:
        UserStore(make_engine(args.database_url)).add(args.username, password, args.role)
    except UserError as error:
        print(f"Not added: {error}", file=sys.stderr)
        return 2
    print(f"Added {args.username.strip().lower()} ({args.role}).")
    return 0


def cmd_web(args) -> int:
    from aiohttp import web

    from directory.db import make_engine
    from directory.migrate import upgrade
    from directory.repository import Directory
    from web.app import create_app

    upgrade(args.database_url)
    app = create_app(Directory(make_engine(args.database_url)))
    web.run_app(app, host=args.host, port=args.port)
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser("users", help="web app accounts")
    users.add_argument("--database-url")
    sub = users.add_subparsers(dest="users_command", required=True)
    add = sub.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=list(ROLES))
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=cmd_users_add)

    serve = commands.add_parser("web", help="serve the maintainers' and champions' web app")
    serve.add_argument("--database-url")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.set_defaults(func=cmd_web)
