"""``crypto ca import TP certificate [nointeractive]``: install the CA-signed identity
certificate (asa-cli.md section 8.4).

The certificate must carry the public key of the trustpoint's keypair and be signed by
the trustpoint's authenticated CA; otherwise the ASA's save error and nothing changes.
"""

from __future__ import annotations

from cryptography import x509

from lab.emulator import certs
from lab.emulator.cli.commands.authenticate import (
    END_WITH_QUIT,
    SAVE_FAILED,
    first_pasted_certificate,
)
from lab.emulator.cli.commands.debug import FAILURE, trace
from lab.emulator.cli.commands.trustpoints import unknown_trustpoint
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.terminal import read_until_quit
from lab.emulator.device import Trustpoint


def _problem(ctx: CommandContext, tp: Trustpoint, certificate: x509.Certificate) -> str | None:
    """Why the ASA would refuse this identity certificate, or None."""
    keypair = ctx.device.keypairs.get(tp.keypair_label)
    if keypair is None:
        return f"keypair {tp.keypair_label} does not exist"
    if not certs.same_public_key(certificate, keypair.private_key):
        return f"the certificate's public key is not the key of keypair {keypair.label}"
    if not tp.ca_certificates:
        return f"trustpoint {tp.name} has no authenticated CA certificate"
    if not any(certs.issued_by(certificate, ca) for ca in tp.ca_certificates):
        return f"the certificate is not signed by trustpoint {tp.name}'s CA"
    return None


@command(CONFIG, "crypto ca import <trustpoint> certificate [nointeractive]")
async def import_certificate(ctx: CommandContext, m: Match) -> None:
    name = m["trustpoint"]
    tp = ctx.device.trustpoints.get(name)
    if tp is None:
        raise unknown_trustpoint(name)
    legacy = ctx.device.profile == "legacy"
    gap = ("",) if legacy else ()
    fqdn = certs.trustpoint_fqdn(ctx.device, tp)
    ctx.out(*gap)
    if fqdn:
        ctx.out(f"% The fully-qualified domain name in the certificate will be: {fqdn}", *gap)
    if tp.ip_address:
        ctx.out(f"% The IP address in the certificate is {tp.ip_address}", *gap)
    ctx.out(*gap, "Enter the base 64 encoded certificate.", END_WITH_QUIT)
    certificate = first_pasted_certificate(ctx, await read_until_quit(ctx.term))
    tp = ctx.device.trustpoints.get(name)  # the paste awaited: look again before changing
    if tp is None:
        raise unknown_trustpoint(name)
    problem = _problem(ctx, tp, certificate)
    if problem is not None:
        trace(ctx, problem, FAILURE)
        raise CommandError(SAVE_FAILED)
    tp.identity_certificate = certificate
    tp.pending_request = None
    trace(ctx, f"Found ID cert. serial number: {certs.serial_hex(certificate)}")
    ctx.out("INFO: Certificate successfully imported", *gap)
