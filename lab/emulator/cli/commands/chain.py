"""``crypto ca certificate chain TP`` / `` certificate [ca] SERIAL`` + hex + ``quit``.

This is how the configuration carries certificates; a boot replays it.
"""

from __future__ import annotations

from cryptography import x509

from lab.emulator import certs
from lab.emulator.cli.commands.trustpoints import unknown_trustpoint
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.terminal import read_until_quit

CHAIN_MODE = "config-cert-chain"


@command(CONFIG, "crypto ca certificate chain <trustpoint>")
def certificate_chain(ctx: CommandContext, m: Match) -> None:
    if m["trustpoint"] not in ctx.device.trustpoints:
        raise unknown_trustpoint(m["trustpoint"])
    ctx.session.enter(CHAIN_MODE, trustpoint=m["trustpoint"])


@command(CHAIN_MODE, "certificate [ca] <serial>")
async def certificate(ctx: CommandContext, m: Match) -> None:
    lines = await read_until_quit(ctx.term)
    try:
        certificate = x509.load_der_x509_certificate(certs.parse_hex_block(lines))
    except ValueError as error:
        raise CommandError("% Error in saving certificate: status = FAIL") from error
    name = ctx.mode.context["trustpoint"]
    tp = ctx.device.trustpoints.get(name)
    if tp is None:  # removed by another session during the paste
        raise unknown_trustpoint(name)
    if m.has("ca"):
        if certificate not in tp.ca_certificates:
            tp.ca_certificates.append(certificate)
    else:
        tp.identity_certificate = certificate


@command(CONFIG, "no crypto ca certificate chain <trustpoint>")
def no_certificate_chain(ctx: CommandContext, m: Match) -> None:
    tp = ctx.device.trustpoints.get(m["trustpoint"])
    if tp is None:
        raise unknown_trustpoint(m["trustpoint"])
    tp.ca_certificates.clear()
    tp.identity_certificate = None
