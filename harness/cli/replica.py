"""``asa-harness replica --from running-config.txt``: boot a virtual ASA from a production
configuration and run it until SIGINT/SIGTERM (docs/replica.md).

On stderr it lists how each trustpoint is served (its own key from a PKCS#12 file, or a
REPLICA STAND-IN) and every configuration line the virtual ASA does not act on, with its
line number; then it prints the same JSON ready line as ``asa-harness emulator`` on stdout.
Secrets of the configuration are masked before anything is printed or served.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "replica",
        help="boot a virtual ASA from a saved production configuration",
        description=(
            "Boot a virtual ASA from a configuration saved with 'show running-config' (or "
            "'more system:running-config'): its interfaces, trustpoints and certificate "
            "chains, certificate maps, tunnel-groups, webvpn, ssl bindings and users. A "
            "trustpoint whose key is not given as PKCS#12 serves a REPLICA STAND-IN "
            "certificate. Lines the virtual ASA does not model are kept and listed on stderr. "
            "Prints the emulator's JSON ready line; runs until SIGINT or SIGTERM (exit 0)."
        ),
    )
    parser.add_argument(
        "--from",
        dest="config",
        type=Path,
        required=True,
        metavar="FILE",
        help="the saved configuration",
    )
    parser.add_argument(
        "--pkcs12",
        action="append",
        default=[],
        metavar="TP=FILE",
        help="key and certificate of trustpoint TP as PKCS#12 (repeatable; default: the "
        "sidecar FILE-stem.replica.yaml when it exists)",
    )
    parser.add_argument(
        "--passphrase-env",
        metavar="VAR",
        help="environment variable holding the PKCS#12 passphrase",
    )
    parser.add_argument(
        "--ssh-port", type=int, default=0, help="SSH port (default: 0 = any free port)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind SSH and the listeners on (default 127.0.0.1)",
    )
    parser.add_argument(
        "--listen",
        action="append",
        default=[],
        metavar="NAMEIF=HOST:PORT",
        help="an HTTPS listener for an interface (repeatable; default: every nameif of the "
        "configuration on HOST, port 0)",
    )
    parser.add_argument("--state-dir", type=Path, help="folder for write memory")
    parser.add_argument("--username", default="admin", help="SSH login name (default admin)")
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the SSH login password "
        "(default: generated, printed once on stderr)",
    )
    parser.add_argument(
        "--profile",
        choices=("9.23", "legacy"),
        default=None,
        help="output layout (default 9.23, or the sidecar's)",
    )
    parser.set_defaults(handler=_run)


def _run(arguments: argparse.Namespace, extra: list[str]) -> int:
    from harness.cli.replica_command import run_replica

    return run_replica(arguments, extra)
