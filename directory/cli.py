"""`signpost directory ...`: the maintainers' command line for the service directory."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Optional

import yaml

EXIT_INVALID = 2
EXIT_STALE = 3
EXIT_NOT_FOUND = 4
EXIT_NO_DIRECTORY = 5


def _directory(args: argparse.Namespace):
    """The existing directory; never creates one (`init`, `seed` and `import` do, on purpose),
    so a mistyped read cannot leave an empty database that the servers would then serve."""
    from directory.health import open_existing

    return open_existing(args.database_url)


def _actor(args: argparse.Namespace) -> str:
    return args.actor or os.environ.get("SIGNPOST_ACTOR") or f"cli:{getpass.getuser()}"


def _print_service(plain: dict) -> None:
    from directory import phones

    print(f"{plain['name']}  [{plain['status']}]  id {plain['id']}  version {plain['version']}")
    if plain.get("description"):
        print(f"  {plain['description']}")
    for phone in plain["phones"]:
        note = f" ({phone['note']})" if phone.get("note") else ""
        print(f"  {phone['kind']}: {phones.display(phone['number'])}{note}")
    if plain.get("url"):
        print(f"  web: {plain['url']}")
    hours = plain["hours"]
    if hours:
        text = hours if isinstance(hours, str) else "; ".join(
            f"{','.join(b['days'])} {b['opens']}-{b['closes']}" for b in hours)
        print(f"  hours: {text}")
    area = plain["area"]
    print(f"  area: {area if isinstance(area, str) else ', '.join(area)}")
    print(f"  topics: {', '.join(plain['topics'])}")
    for loc in plain["locations"]:
        print(f"  at: {', '.join(x for x in (loc['name'], loc['address'], loc['place'], loc['postcode']) if x)}")
    print(f"  source: {plain['source']}" + (f" ({plain['source_note']})" if plain.get("source_note") else ""))
    review = "  DUE FOR REVIEW" if plain.get("review") else ""
    print(f"  verified {plain['verified']} by {plain['verified_by']}{review}")


def _load_fields(args: argparse.Namespace) -> dict:
    """Fields from --file (YAML or JSON) and --set key=value pairs (value parsed as YAML)."""
    data: dict[str, Any] = {}
    if args.file:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        data.update(yaml.safe_load(text) or {})
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--set wants key=value, not {item!r}")
        data[key.strip()] = yaml.safe_load(value) if value.strip() else None
    return data


def cmd_init(args) -> int:
    from directory.migrate import upgrade

    upgrade(args.database_url)
    _directory(args).ensure_taxonomy()
    print("Directory database is up to date.")
    return 0


def cmd_seed(args) -> int:
    from directory.migrate import upgrade
    from directory.repository import SEED_FILE

    upgrade(args.database_url)
    report = _directory(args).seed(Path(args.file) if args.file else SEED_FILE, _actor(args))
    print(f"Seed: {report.summary()}")
    for label, why in report.skipped:
        print(f"  skipped {label}: {why}", file=sys.stderr)
    return 1 if report.skipped else 0


def cmd_search(args) -> int:
    from directory.search import PlaceNotFound, UnknownTopic, search

    try:
        results = search(_directory(args), topic=args.topic, place=args.place,
                         open_now=args.open_now, text=" ".join(args.text) or None, age=args.age,
                         limit=args.limit, offset=args.offset)
    except (PlaceNotFound, UnknownTopic) as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2, default=str))
        return 0
    if not results:
        print("No services found.")
    for number, result in enumerate(results, start=args.offset + 1):
        distance = "" if result.distance_miles is None else f", {result.distance_miles:.1f} miles"
        scope = "local" if result.local else "national"
        print(f"{number}. {result.service.name} ({scope}{distance}) - {result.status_line}")
        print(f"   id {result.service.id}")
    return 0


def cmd_show(args) -> int:
    from directory.repository import NotFound

    directory = _directory(args)
    try:
        plain = directory.get(args.id)
    except NotFound as error:
        print(error, file=sys.stderr)
        return EXIT_NOT_FOUND
    if args.json:
        print(json.dumps(plain, indent=2, default=str))
        return 0
    _print_service(plain)
    if args.history:
        for record in directory.history(args.id):
            print(f"  {record.at:%Y-%m-%d %H:%M} {record.action} by {record.actor}")
    return 0


def _changed(result: dict, verb: str) -> int:
    print(f"{verb} {result['name']} (id {result['id']}, now version {result['version']}).")
    return 0


def _guard(call):
    from directory.records import InvalidRecord
    from directory.repository import NotFound, StaleEdit

    try:
        return call()
    except InvalidRecord as error:
        print(f"Not saved: {error}", file=sys.stderr)
        return EXIT_INVALID
    except StaleEdit as error:
        print(f"Not saved: {error}", file=sys.stderr)
        print("Current version:", file=sys.stderr)
        print(json.dumps(error.current, indent=2, default=str), file=sys.stderr)
        return EXIT_STALE
    except NotFound as error:
        print(error, file=sys.stderr)
        return EXIT_NOT_FOUND


def cmd_add(args) -> int:
    data = _load_fields(args)
    data.setdefault("verified", date.today().isoformat())
    data.setdefault("verified_by", _actor(args))
    return _guard(lambda: _changed(_directory(args).create(data, _actor(args)), "Added"))


def cmd_update(args) -> int:
    changes = _load_fields(args)
    return _guard(lambda: _changed(
        _directory(args).update(args.id, changes, args.version, _actor(args)), "Updated"))


def cmd_retire(args) -> int:
    return _guard(lambda: _changed(_directory(args).retire(
        args.id, _actor(args), args.version, args.status, args.reason), "Retired"))


def cmd_verify(args) -> int:
    when = date.fromisoformat(args.date) if args.date else None
    return _guard(lambda: _changed(_directory(args).verify(
        args.id, _actor(args), when, args.source, args.version), "Verified"))


def cmd_review_due(args) -> int:
    due = _directory(args).review_due(args.days)
    if args.json:
        print(json.dumps(due, indent=2, default=str))
        return 0
    print(f"{len(due)} service(s) due for review (not verified in {args.days} days, or flagged):")
    for plain in due:
        why = "flagged" if plain["review"] else "old"
        print(f"  {plain['verified']}  {plain['name']}  ({why}; id {plain['id']})")
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() or total >= 50:
        step = max(total // 20, 1)
        if done == total or done % step == 0:
            print(f"  {done}/{total} services", file=sys.stderr, flush=True)


def cmd_import(args) -> int:
    from directory import csv_io, oruk
    from directory.migrate import migrated_directory

    directory = migrated_directory(args.database_url)
    path = Path(args.file)
    fmt = args.format or ("csv" if path.suffix.lower() == ".csv" else "oruk")
    try:
        if fmt == "csv":
            with path.open(newline="", encoding="utf-8-sig") as handle:
                rows = csv_io.read(handle)
            for row in rows:
                row["source"] = row.get("source") or args.source
            report = directory.load_services(rows, _actor(args), "import", progress=_progress)
            warnings: list[str] = []
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
            report, warnings = oruk.import_documents(directory, data, _actor(args), args.source,
                                                     progress=_progress)
    except (ValueError, OSError) as error:
        print(f"Import failed, nothing loaded: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Import: {report.summary()}")
    for label, why in report.skipped:
        print(f"  skipped {label}: {why}")
    for warning in warnings:
        print(f"  note: {warning}")
    return 0


def cmd_export(args) -> int:
    from directory import csv_io, oruk

    directory = _directory(args)
    if args.format == "csv":
        text = csv_io.to_string(oruk.export_plain(directory))
    else:
        text = json.dumps(oruk.export(directory), indent=2, ensure_ascii=False)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_coverage(args) -> int:
    from directory import coverage

    found = coverage.coverage(_directory(args))
    matrix = found.towns if args.towns else found.boroughs
    if args.csv:
        sys.stdout.write(coverage.csv_text(matrix))
        return 0
    print(coverage.text_table(matrix))
    print()
    print(coverage.unreachable_text(found.unreachable))
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("directory", help="keep the service directory (see README)")
    parser.add_argument("--database-url", help="default: DATABASE_URL, else build/directory.db")
    parser.add_argument("--actor", help="who is making the change (for the audit trail)")
    sub = parser.add_subparsers(dest="directory_command", required=True)

    sub.add_parser("init", help="create or migrate the database").set_defaults(func=cmd_init)
    p = sub.add_parser("seed", help="load the reviewed seed data (safe to repeat)")
    p.add_argument("--file", help="seed YAML (default directory/data/seed.yml)")
    p.set_defaults(func=cmd_seed)

    p = sub.add_parser("search", help="find services by need and place")
    p.add_argument("text", nargs="*")
    p.add_argument("--topic")
    p.add_argument("--place")
    p.add_argument("--open-now", action="store_true")
    p.add_argument("--age", type=int)
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print a JSON list of results")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="one service in full")
    p.add_argument("id", help="service id (UUID or seed slug)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--history", action="store_true", help="also list its audit trail")
    p.set_defaults(func=cmd_show)

    for name, func, help_text in (("add", cmd_add, "add a service"),
                                  ("update", cmd_update, "change a service")):
        p = sub.add_parser(name, help=help_text)
        if name == "update":
            p.add_argument("id")
            p.add_argument("--version", type=int, required=True,
                           help="the version you are editing (from show); a newer one refuses")
        p.add_argument("--file", help="fields as YAML or JSON (- for stdin)")
        p.add_argument("--set", action="append", metavar="KEY=VALUE", help="one field")
        p.set_defaults(func=func)

    p = sub.add_parser("retire", help="take a service out of answers (kept for history)")
    p.add_argument("id")
    p.add_argument("--version", type=int)
    p.add_argument("--status", default="defunct",
                   choices=["defunct", "inactive", "temporarily closed"])
    p.add_argument("--reason")
    p.set_defaults(func=cmd_retire)

    p = sub.add_parser("verify", help="record that a service was checked against its source")
    p.add_argument("id")
    p.add_argument("--version", type=int)
    p.add_argument("--date", help="YYYY-MM-DD (default today)")
    p.add_argument("--source", help="the web address checked, if it changed")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("review-due", help="services not verified recently, or flagged")
    p.add_argument("--days", type=int, default=182, help="age in days (default about 6 months)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review_due)

    p = sub.add_parser("coverage", help="services a resident can reach, need by borough or town")
    p.add_argument("--towns", action="store_true", help="need by main town instead of borough")
    p.add_argument("--csv", action="store_true", help="the matrix as CSV (gaps in a last column)")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("import", help="import ORUK 3.0 JSON or CSV")
    p.add_argument("file")
    p.add_argument("--format", choices=["oruk", "csv"])
    p.add_argument("--source", help="web address of the feed, for entries that carry no source")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export ORUK 3.0 JSON or CSV")
    p.add_argument("--format", choices=["oruk", "csv"], default="oruk")
    p.add_argument("--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
