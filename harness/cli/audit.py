"""``asa-harness audit --target NAME``: the oracle. Reads the device's running-config, computes
what every client class must see on every interface and SNI with the rules the virtual ASA
uses, probes every combination and reports each deviation with both sides of the evidence.

Exit status: 0 when no deviation was found, 1 when one was, 2 for usage errors and when the
target cannot be reached.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "audit",
        help="compute the expected wire behaviour from the running-config and probe it",
        description=(
            "The oracle: read the target's running-config, compute with the virtual ASA's "
            "rules what every client class (no certificate, one per certificate-group-map "
            "sequence, a trusted unmapped certificate, an unknown CA) must see on every "
            "webvpn interface and SNI name, probe every combination and report each "
            "deviation. Exit 0: no deviation; 1: deviations; 2: usage or connection error."
        ),
    )
    parser.add_argument(
        "--target",
        required=True,
        help="target name (embedded, replica:PATH, or a name in the inventory)",
    )
    parser.add_argument("--inventory", type=Path, help="inventory file naming the target")
    parser.add_argument("--json", action="store_true", help="print the matrix as JSON")
    parser.add_argument("--html", type=Path, metavar="FILE", help="write the matrix as HTML")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="compute the expectations from this saved configuration instead of the device's",
    )
    parser.add_argument(
        "--interface",
        action="append",
        metavar="NAMEIF",
        help="audit only this interface (repeatable)",
    )
    parser.add_argument(
        "--sni",
        action="append",
        metavar="NAME",
        help="audit only this SNI column (repeatable; '-' is the no-SNI column)",
    )
    parser.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="CLASS=FILE.p12",
        help="present this PKCS#12 certificate for a class (e.g. map:CM-SSL:10=alice.p12)",
    )
    parser.add_argument(
        "--issuer",
        action="append",
        default=[],
        type=Path,
        metavar="FILE.p12",
        help="a CA (certificate and key, PKCS#12) the device trusts, to issue class "
        "certificates with (repeatable)",
    )
    parser.add_argument(
        "--passphrase-env",
        metavar="VAR",
        help="environment variable holding the PKCS#12 passphrase",
    )
    parser.add_argument(
        "--timeout", type=float, default=5.0, help="seconds per exchange (default 5)"
    )
    parser.set_defaults(handler=_run)


def _run(arguments: argparse.Namespace, extra: list[str]) -> int:
    from harness.cli.audit_command import run_audit

    return run_audit(arguments, extra)
