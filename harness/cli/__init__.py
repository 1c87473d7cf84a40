"""``asa-harness``: run scenarios, start the virtual ASA, probe a TLS endpoint, audit a
device against the oracle, boot a replica of a production configuration.

Each sub-command lives in its own module and registers itself through ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from harness.cli import audit, emulator, probe, replica, run

SUBCOMMANDS = (run, emulator, probe, audit, replica)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asa-harness",
        description=(
            "End-to-end tests of Cisco ASA certificate configuration for AnyConnect: "
            "scenarios drive the ASA over SSH, a TLS probe checks what it really serves."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for module in SUBCOMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments, extra = parser.parse_known_args(argv)
    handler = arguments.handler
    if extra and not getattr(arguments, "accepts_extra", False):
        parser.error(f"unrecognised arguments: {' '.join(extra)}")
    try:
        return int(handler(arguments, extra))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
