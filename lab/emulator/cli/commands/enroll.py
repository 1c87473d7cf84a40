"""``crypto ca enroll TP [noconfirm]``: self-signed enrollment and the terminal (CSR) dialogue."""

from __future__ import annotations

import asyncio

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from lab.emulator import certs
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.terminal import ask_yes_no
from lab.emulator.device import DEFAULT_RSA_LABEL, Keypair, PrivateKey, Trustpoint


def unknown_trustpoint(name: str) -> CommandError:
    return CommandError(f"ERROR: CA trustpoint '{name}' is not known.")


async def trustpoint_key(ctx: CommandContext, tp: Trustpoint) -> PrivateKey:
    """The trustpoint's keypair; generated (2048-bit RSA) when it does not exist yet."""
    label = tp.keypair or DEFAULT_RSA_LABEL
    existing = ctx.device.keypairs.get(label)
    if existing is not None:
        return existing.private_key
    ctx.out(f"INFO: The name for the keys will be: {label}")
    ctx.out("Keypair generation process begin. Please wait...")
    key: PrivateKey = await asyncio.to_thread(
        rsa.generate_private_key, public_exponent=65537, key_size=2048
    )
    ctx.device.keypairs[label] = Keypair(label, key, ctx.device.clock.now_utc())
    return key


def _with_serial(ctx: CommandContext, tp: Trustpoint, include: bool) -> Trustpoint:
    if not include:
        return tp
    subject = (tp.subject_name + "," if tp.subject_name else "") + (
        f"serialNumber={ctx.device.serial_number}"
    )
    clone = Trustpoint(**{**tp.__dict__, "subject_name": subject})
    return clone


@command(CONFIG, "crypto ca enroll <trustpoint> [noconfirm]")
async def enroll(ctx: CommandContext, m: Match) -> None:
    name = m["trustpoint"]
    tp = ctx.device.trustpoints.get(name)
    if tp is None:
        raise unknown_trustpoint(name)
    if tp.enrollment is None:
        raise CommandError(
            f"ERROR: Trustpoint {name} has no enrollment method configured; "
            "use 'enrollment self' or 'enrollment terminal'."
        )
    if tp.subject_name:
        try:
            certs.parse_subject_string(tp.subject_name)
        except certs.SubjectError as error:
            raise CommandError(f"ERROR: {error}.") from error
    if tp.enrollment == "self":
        await _enroll_self(ctx, tp, m.has("noconfirm"))
    elif tp.enrollment == "terminal":
        await _enroll_terminal(ctx, tp, m.has("noconfirm"))
    else:
        raise CommandError(
            f"% Error: enrollment url {tp.enrollment_url} is not reachable from the virtual ASA "
            "(SCEP is not emulated)."
        )


async def _enroll_self(ctx: CommandContext, tp: Trustpoint, noconfirm: bool) -> None:
    fqdn = certs.trustpoint_fqdn(ctx.device, tp)
    legacy = ctx.device.profile == "legacy"
    if fqdn:
        ctx.out(f"% The fully-qualified domain name in the certificate will be: {fqdn}")
    include_serial = False
    if not noconfirm:
        if tp.identity_certificate is not None:
            ctx.out("% You already have a certificate in this trustpoint.")
            if not await ask_yes_no(ctx.term, "% Do you want to replace it? [yes/no]: "):
                return
        ctx.out("")
        include_serial = await ask_yes_no(
            ctx.term, "% Include the device serial number in the subject name? [yes/no]: "
        )
        ctx.out("")
        if not await ask_yes_no(ctx.term, "Generate Self-Signed Certificate? [yes/no]: "):
            return
    elif legacy:
        ctx.out("")
    key = await trustpoint_key(ctx, tp)
    certificate = await asyncio.to_thread(
        certs.self_signed_certificate, ctx.device, _with_serial(ctx, tp, include_serial), key
    )
    tp.identity_certificate = certificate
    tp.pending_request = None


async def _enroll_terminal(ctx: CommandContext, tp: Trustpoint, noconfirm: bool) -> None:
    legacy = ctx.device.profile == "legacy"
    gap = ("",) if legacy else ()
    fqdn = certs.trustpoint_fqdn(ctx.device, tp)
    include_serial = False
    display = True
    if not noconfirm:
        ctx.out("% Start certificate enrollment ..")
        subject_text = tp.subject_name or f"CN={ctx.device.hostname}"
        ctx.out(f"% The subject name in the certificate will be: {subject_text}", *gap)
        if fqdn:
            ctx.out(f"% The fully-qualified domain name in the certificate will be: {fqdn}", *gap)
        include_serial = await ask_yes_no(
            ctx.term, "% Include the device serial number in the subject name? [yes/no]: "
        )
        ctx.out("")
        if tp.ip_address:
            ctx.out(f"% The IP address in the certificate is {tp.ip_address}", "")
        display = await ask_yes_no(ctx.term, "Display Certificate Request to terminal? [yes/no]: ")
    key = await trustpoint_key(ctx, tp)
    request: x509.CertificateSigningRequest = await asyncio.to_thread(
        certs.certificate_request, ctx.device, _with_serial(ctx, tp, include_serial), key
    )
    tp.pending_request = request
    if not display:
        return
    pem = request.public_bytes(serialization.Encoding.PEM).decode()
    if legacy:
        ctx.out("Certificate Request follows:")
    ctx.out(*pem.strip().splitlines())
    if legacy and not noconfirm:
        ctx.out("")
        while await ask_yes_no(ctx.term, "Redisplay enrollment request? [yes/no]: "):
            ctx.out(*pem.strip().splitlines(), "")
