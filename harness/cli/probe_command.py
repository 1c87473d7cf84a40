"""The work behind ``asa-harness probe`` (imported only when that command runs)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from cryptography import x509

from harness.diagnose import Evidence, Expectations, diagnose, has_failure
from harness.diagnose.render import render_report
from harness.diagnose.serialise import report_dict
from probes.anyconnect import discover
from probes.chain import analyse
from probes.identity import ClientIdentity, ClientIdentityError
from probes.network import is_ip_address
from probes.tls import CONNECTION_KINDS, handshake

PROG = "asa-harness probe"


class UsageError(Exception):
    """A problem with the command line or the files it names (exit status 2)."""


def parse_target(text: str) -> tuple[str, int]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ("" if not rest else "x")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""  # a bare host, or an IPv6 address without brackets
    if not host:
        raise UsageError(f"{text!r} is not HOST:PORT")
    if not port_text:
        return host, 443
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise UsageError(f"{text!r}: the port must be a number from 1 to 65535")
    return host, int(port_text)


def _passphrase(arguments: argparse.Namespace) -> bytes | None:
    variable = arguments.passphrase_env
    if variable is None:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise UsageError(f"--passphrase-env {variable}: the environment variable is not set")
    return value.encode()


def load_identity(arguments: argparse.Namespace) -> ClientIdentity | None:
    if arguments.pkcs12 and (arguments.cert or arguments.key):
        raise UsageError("give either --pkcs12 or --cert/--key, not both")
    passphrase = _passphrase(arguments)
    try:
        if arguments.pkcs12:
            if passphrase is None:
                raise UsageError(
                    "--pkcs12 needs --passphrase-env VAR (the passphrase, not the file)"
                )
            return ClientIdentity.from_pkcs12(arguments.pkcs12, passphrase)
        if arguments.cert or arguments.key:
            if not (arguments.cert and arguments.key):
                raise UsageError("--cert and --key go together")
            return ClientIdentity.from_pem_files(arguments.cert, arguments.key, passphrase)
    except ClientIdentityError as error:
        raise UsageError(str(error)) from None
    return None


def load_anchors(paths: list[Path]) -> list[x509.Certificate]:
    anchors: list[x509.Certificate] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageError(f"--ca {path}: {error.strerror}") from None
        try:
            anchors.extend(x509.load_pem_x509_certificates(data))
        except ValueError:
            try:
                anchors.append(x509.load_der_x509_certificate(data))
            except ValueError:
                raise UsageError(f"--ca {path}: no PEM or DER certificate in it") from None
    return anchors


def _name(host: str) -> str | None:
    return None if is_ip_address(host) else host


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2


def run_probe(arguments: argparse.Namespace, _extra: list[str]) -> int:
    try:
        host, port = parse_target(arguments.target)
        if arguments.timeout <= 0:
            raise UsageError("--timeout must be positive")
        identity = load_identity(arguments)
        anchors = load_anchors(arguments.ca)
    except UsageError as error:
        return _fail(str(error))
    if arguments.no_sni and arguments.sni:
        return _fail("give either --sni or --no-sni")
    # As a client that connects by name: the name is the SNI.
    sni = None if arguments.no_sni else (arguments.sni or _name(host) or arguments.hostname)
    hostname = arguments.hostname or sni or host
    probe_clock = dt.datetime.now(dt.UTC)
    try:
        result = handshake(host, port, sni=sni, client_identity=identity, timeout=arguments.timeout)
    except ValueError as error:
        return _fail(str(error))
    chain = analyse(result.served_chain, hostname=hostname, trust_anchors=anchors, at=probe_clock)
    wants_anyconnect = bool(
        arguments.anyconnect
        or arguments.group_url
        or arguments.group
        or arguments.expect_tunnel_group
    )
    unreachable = result.failure is not None and result.failure.kind in CONNECTION_KINDS
    anyconnect = None
    if wants_anyconnect and not unreachable:
        anyconnect = discover(
            host,
            port,
            sni=sni,
            client_identity=identity,
            group_url_path=arguments.group_url,
            group_select=arguments.group,
            timeout=arguments.timeout,
        )
    evidence = Evidence(
        probe_clock=probe_clock,
        hostname=hostname,
        handshake=result,
        chain=chain,
        anyconnect=anyconnect,
        client_certificate=identity.certificate if identity else None,
        expectations=Expectations(
            tunnel_group=arguments.expect_tunnel_group,
            client_cert_request=True if arguments.expect_client_cert_request else None,
        ),
    )
    diagnoses = diagnose(
        evidence, profile=arguments.profile, expiry_threshold_days=arguments.expiry_days
    )
    if arguments.json:
        print(json.dumps(report_dict(evidence, diagnoses), indent=2))
    if unreachable:
        assert result.failure is not None
        message = result.failure.message
        return _fail(message if result.peer in message else f"{result.peer}: {message}")
    if not arguments.json:
        sys.stdout.write(render_report(evidence, diagnoses))
    return 1 if has_failure(diagnoses) else 0
