"""``asa-harness probe HOST:PORT``: handshake, judge the served chain, optionally run the
AnyConnect exchange, and print the verdicts and diagnoses.

Exit status: 0 when the probe ran and every expectation held, 1 when a verdict failed,
2 for usage errors (bad file, wrong passphrase) and when no TLS session could be made.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

#: harness.diagnose.PROFILES, written out so that --help does not import the probe stack
#: (tests/harness/cli/test_cli_startup.py checks the two agree).
SEVERITY_PROFILES = ("lab", "production")


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "probe",
        help="probe what a TLS endpoint (an ASA interface) serves",
        description=(
            "Handshake with HOST:PORT as an AnyConnect client would, judge the served chain "
            "(order, completeness, trust, name, dates), optionally run the AnyConnect "
            "aggregate-auth exchange, and name what is wrong with the ASA command that fixes "
            "it. Exit 0: every verdict and expectation held; 1: one failed; 2: usage or "
            "connection error."
        ),
    )
    parser.add_argument(
        "target", metavar="HOST:PORT", help="address of the interface (port default 443)"
    )
    parser.add_argument(
        "--sni", help="SNI name to send (default: HOST when it is a name, else --hostname)"
    )
    parser.add_argument("--no-sni", action="store_true", help="send no SNI at all")
    parser.add_argument(
        "--hostname", help="name the certificate must match (default: SNI, else HOST)"
    )
    parser.add_argument("--cert", type=Path, help="client certificate (PEM, may include its chain)")
    parser.add_argument("--key", type=Path, help="private key of --cert (PEM)")
    parser.add_argument("--pkcs12", type=Path, help="client certificate and key as PKCS#12")
    parser.add_argument(
        "--passphrase-env",
        metavar="VAR",
        help="environment variable holding the passphrase of --pkcs12 or --key",
    )
    parser.add_argument(
        "--ca", type=Path, action="append", default=[], help="trust anchor(s), PEM (repeatable)"
    )
    parser.add_argument("--anyconnect", action="store_true", help="run the AnyConnect exchange")
    parser.add_argument("--group-url", metavar="PATH", help="group-url path, e.g. /corp")
    parser.add_argument("--group", metavar="ALIAS", help="group alias to select (group-select)")
    parser.add_argument(
        "--timeout", type=float, default=5.0, help="seconds per exchange (default 5)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--expect-tunnel-group", metavar="TG", help="tunnel-group the ASA must assign"
    )
    parser.add_argument(
        "--expect-client-cert-request",
        action="store_true",
        help="the ASA must ask for a client certificate",
    )
    parser.add_argument(
        "--profile", choices=SEVERITY_PROFILES, default="lab", help="severity profile"
    )
    parser.add_argument(
        "--expiry-days", type=int, default=30, help="warn when fewer days are left (default 30)"
    )
    parser.set_defaults(handler=_run)


def _run(arguments: argparse.Namespace, extra: list[str]) -> int:
    from harness.cli.probe_command import run_probe

    return run_probe(arguments, extra)
