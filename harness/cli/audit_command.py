"""The work behind ``asa-harness audit`` (imported only when that command runs)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from harness.device import DeviceSession
from harness.errors import HarnessError
from harness.oracle import (
    AuditRequest,
    ClassInputs,
    ClientMaterial,
    matrix_dict,
    prepare,
    probe,
    read_snapshot,
    with_config_file,
)
from harness.oracle.text import matrix_text
from harness.pki import CertificateAuthority
from harness.report.matrix import matrix_page
from harness.run.context import login_for
from lab.targets import TargetStartError, make_target
from probes.identity import ClientIdentity, ClientIdentityError

PROG = "asa-harness audit"


class UsageError(Exception):
    """A problem with the command line or the files it names (exit status 2)."""


def _passphrase(arguments: argparse.Namespace) -> bytes:
    name = arguments.passphrase_env
    if name is None:
        return b""
    value = os.environ.get(name)
    if value is None:
        raise UsageError(f"--passphrase-env {name}: the variable is not set")
    return value.encode()


def _pkcs12(path: Path, passphrase: bytes) -> ClientIdentity:
    try:
        return ClientIdentity.from_pkcs12(path, passphrase)
    except ClientIdentityError as error:
        raise UsageError(str(error)) from None


def _inputs(arguments: argparse.Namespace) -> ClassInputs:
    passphrase = _passphrase(arguments)
    supplied: dict[str, ClientMaterial] = {}
    for value in arguments.client:
        class_id, sep, file = value.partition("=")
        if not sep or not class_id or not file:
            raise UsageError(f"--client {value!r}: expected CLASS=FILE.p12")
        identity = _pkcs12(Path(file), passphrase)
        supplied[class_id] = ClientMaterial(
            identity.certificate, identity.private_key, identity.chain
        )
    issuers = []
    for path in arguments.issuer:
        identity = _pkcs12(path, passphrase)
        issuers.append(
            CertificateAuthority(identity.certificate, identity.private_key, identity.chain)
        )
    return ClassInputs(issuers=tuple(issuers), supplied=supplied)


def _snis(values: list[str] | None) -> tuple[str | None, ...] | None:
    if values is None:
        return None
    return tuple(None if value == "-" else value for value in values)


def _audit(arguments: argparse.Namespace, inputs: ClassInputs) -> dict[str, Any]:
    target = make_target(arguments.target, arguments.inventory)
    access = target.start()
    try:
        with DeviceSession(login_for(access)) as session:
            snapshot = read_snapshot(session)
            if arguments.config is not None:
                snapshot = with_config_file(snapshot, arguments.config)
            request = AuditRequest(
                target=access.name,
                endpoints=access.interfaces,
                interfaces=tuple(arguments.interface) if arguments.interface else None,
                snis=_snis(arguments.sni),
                timeout=arguments.timeout,
                stand_ins=access.kind == "replica",
                inputs=inputs,
            )
            return matrix_dict(probe(prepare(snapshot, request), session, request))
    finally:
        target.stop()


def run_audit(arguments: argparse.Namespace, _extra: list[str]) -> int:
    # A replica target's boot would log each configuration line it does not act on; the
    # matrix lists them (with the oracle's own numbering), so the log would only repeat them.
    logging.getLogger("lab.emulator.server").setLevel(logging.ERROR)
    try:
        matrix = _audit(arguments, _inputs(arguments))
    except (UsageError, TargetStartError, HarnessError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    if arguments.html is not None:
        arguments.html.parent.mkdir(parents=True, exist_ok=True)
        arguments.html.write_text(matrix_page(matrix))
    print(json.dumps(matrix, indent=1) if arguments.json else matrix_text(matrix))
    return 1 if matrix["summary"]["deviations"] else 0
