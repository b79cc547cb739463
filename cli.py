"""`signpost`: the project's command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence


def _build_spacy(args: argparse.Namespace) -> int:
    from bot.spacy_pipeline import build_and_save

    path = build_and_save(args.output)
    print(f"spaCy pipeline written to {path}")
    return 0


def _place(args: argparse.Namespace) -> int:
    from directory.gazetteer import load_default

    resolution = load_default().resolve(" ".join(args.text))
    if resolution is None:
        print("No place found in Kirklees or Calderdale for that text.", file=sys.stderr)
        return 1
    print(json.dumps(resolution.__dict__, indent=2))
    return 0


def _crisis_check(args: argparse.Namespace) -> int:
    from bot.nlu.crisis_cues import load_default

    cue = load_default().check(" ".join(args.text))
    print(json.dumps({"crisis": cue is not None, "cue": cue.cue if cue else None,
                      "matched": cue.matched if cue else None}))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="signpost", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    spacy_cmd = commands.add_parser("build-spacy", help="build the NLU's spaCy pipeline from the gazetteer")
    spacy_cmd.add_argument("--output", default="build/spacy_signpost")
    spacy_cmd.set_defaults(func=_build_spacy)

    place_cmd = commands.add_parser("place", help="resolve a town, village or postcode to a point")
    place_cmd.add_argument("text", nargs="+")
    place_cmd.set_defaults(func=_place)

    crisis_cmd = commands.add_parser("crisis-check", help="show whether the crisis safety net fires")
    crisis_cmd.add_argument("text", nargs="+")
    crisis_cmd.set_defaults(func=_crisis_check)

    from directory.cli import add_parser as add_directory_parser

    add_directory_parser(commands)

    from web.cli import add_parsers as add_web_parsers

    add_web_parsers(commands)

    from directory.insights_cli import add_parser as add_insights_parser

    add_insights_parser(commands)
    from ops.retention import add_parser as add_purge_parser

    add_purge_parser(commands)
    from ops.production import add_parser as add_production_parser

    add_production_parser(commands)
    from ops.local_token import add_parser as add_local_token_parser
    from ops.twilio_sim import add_parser as add_twilio_sim_parser

    add_local_token_parser(commands)
    add_twilio_sim_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from directory.cli import EXIT_NO_DIRECTORY
    from directory.health import NoDirectory

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except NoDirectory as why:
        print(why, file=sys.stderr)
        return EXIT_NO_DIRECTORY


if __name__ == "__main__":
    sys.exit(main())
