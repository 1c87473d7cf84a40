"""``crypto ca authenticate TP [nointeractive]``: install the trustpoint's CA certificate
(asa-cli.md section 8.3).

A paste of several certificates installs the first one: the ASA decodes the base64 of the
paste as one DER object, and a DER decoder stops after the first certificate. The rest is
ignored (decision recorded in docs/fidelity.md; a chain needs one trustpoint per CA).
"""

from __future__ import annotations

from cryptography import x509

from lab.emulator import certs
from lab.emulator.cli.commands.debug import FAILURE, trace
from lab.emulator.cli.commands.trustpoints import TP_MODE, unknown_trustpoint
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.terminal import ask_yes_no, read_until_quit
from lab.emulator.device import Trustpoint

SAVE_FAILED = "% Error in saving certificate: status = FAIL"  # [REAL] community.cisco.com (9.1)
END_WITH_QUIT = 'End with the word "quit" on a line by itself'


def subordinate_notice(name: str) -> str:
    return f"Trustpoint '{name}' is a subordinate CA and holds a non self-signed certificate."


def first_pasted_certificate(ctx: CommandContext, lines: list[str]) -> x509.Certificate:
    try:
        return certs.pasted_certificates(lines)[0]
    except certs.PasteError as error:
        trace(ctx, FAILURE)
        raise CommandError(SAVE_FAILED) from error


def _trustpoint_for_ca(ctx: CommandContext, name: str) -> Trustpoint:
    tp = ctx.device.trustpoints.get(name)
    if tp is None:
        raise unknown_trustpoint(name)
    if tp.is_authenticated:
        # [REAL] NOMY (REST API answer to the same command)
        raise CommandError(f"TrustPoint '{name}' name is already assigned with CA certificate.")
    return tp


@command((CONFIG, TP_MODE), "crypto ca authenticate <trustpoint> [nointeractive]")
async def authenticate(ctx: CommandContext, m: Match) -> None:
    name = m["trustpoint"]
    _trustpoint_for_ca(ctx, name)
    if m.has("nointeractive"):
        await _non_interactive(ctx, name)
    else:
        await _interactive(ctx, name)


async def _interactive(ctx: CommandContext, name: str) -> None:
    legacy = ctx.device.profile == "legacy"
    ctx.out("Enter the base 64 encoded CA certificate.", END_WITH_QUIT)
    certificate = first_pasted_certificate(ctx, await read_until_quit(ctx.term))
    trace(ctx, f"Received CA certificate, serial number: {certs.serial_hex(certificate)}")
    if legacy:
        ctx.out("")
    ctx.out(
        "INFO: Certificate has the following attributes:",
        f"Fingerprint:     {certs.md5_fingerprint(certificate)}",
    )
    if not await ask_yes_no(ctx.term, "Do you accept this certificate? [yes/no]: "):
        return
    tp = _trustpoint_for_ca(ctx, name)  # the question awaited: look again before changing
    subordinate = not certs.is_self_signed(certificate)
    tp.ca_certificates = [certificate]
    if legacy:
        ctx.out("")
        if subordinate:
            ctx.out(subordinate_notice(name), "")
        ctx.out("Trustpoint CA certificate accepted.", "", "% Certificate successfully imported")
    else:
        if subordinate:
            ctx.out(subordinate_notice(name))
        ctx.out("Trustpoint CA certificate accepted.")


async def _non_interactive(ctx: CommandContext, name: str) -> None:
    """The form ASDM and scripts send ([REAL] ASAU): no question, progress dot."""
    ctx.out("Enter the certificate in base64 representation....", END_WITH_QUIT + ".")
    certificate = first_pasted_certificate(ctx, await read_until_quit(ctx.term))
    tp = _trustpoint_for_ca(ctx, name)
    tp.ca_certificates = [certificate]
    ctx.out(
        ".",
        "INFO: Certificate has the following attributes:",
        f"Fingerprint:     {certs.md5_fingerprint(certificate)} ",
        "",
    )
    if not certs.is_self_signed(certificate):
        ctx.out(subordinate_notice(name), "")
    ctx.out("Trustpoint CA certificate accepted.")
