"""``crypto ca enroll TP [noconfirm]``: self-signed enrollment and the terminal (CSR)
dialogue (asa-cli.md sections 8.1 and 8.2).

Every question is asked first; the keypair (generated when the trustpoint's label does
not exist yet) and the certificate or request are committed together at the end.
"""

from __future__ import annotations

import asyncio
import dataclasses

from cryptography.hazmat.primitives import serialization

from lab.emulator import certs
from lab.emulator.cli.commands.debug import trace
from lab.emulator.cli.commands.keys import new_rsa_key
from lab.emulator.cli.commands.trustpoints import unknown_trustpoint
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.terminal import ask_yes_no
from lab.emulator.device import Keypair, PrivateKey, Trustpoint

SERIAL_QUESTION = "% Include the device serial number in the subject name? [yes/no]: "


async def _key_for(ctx: CommandContext, tp: Trustpoint) -> tuple[PrivateKey, Keypair | None]:
    """The trustpoint's key, and the new Keypair to commit when it had to be generated."""
    label = tp.keypair_label
    existing = ctx.device.keypairs.get(label)
    if existing is not None:
        return existing.private_key, None
    ctx.out(f"INFO: The name for the keys will be: {label}")
    ctx.out("Keypair generation process begin. Please wait...")
    key = await asyncio.to_thread(new_rsa_key, 2048)
    return key, Keypair(label, key, ctx.device.clock.now_utc())


def _with_serial(ctx: CommandContext, tp: Trustpoint, include: bool) -> Trustpoint:
    if not include:
        return tp
    serial = f"serialNumber={ctx.device.serial_number}"
    subject = f"{tp.subject_name},{serial}" if tp.subject_name else serial
    return dataclasses.replace(tp, subject_name=subject)


@command(CONFIG, "crypto ca enroll <trustpoint> [noconfirm]")
async def enroll(ctx: CommandContext, m: Match) -> None:
    name = m["trustpoint"]
    tp = ctx.device.trustpoints.get(name)
    if tp is None:
        raise unknown_trustpoint(name)
    if tp.enrollment is None:
        raise CommandError(f"ERROR: Trustpoint {name} has no enrollment method configured.")
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
            f"% Error: enrollment url {tp.enrollment_url} cannot be reached "
            "(the virtual ASA does not emulate SCEP)."
        )


def _commit_key(ctx: CommandContext, generated: Keypair | None) -> None:
    if generated is not None:
        ctx.device.keypairs[generated.label] = generated


async def _enroll_self(ctx: CommandContext, tp: Trustpoint, noconfirm: bool) -> None:
    fqdn = certs.trustpoint_fqdn(ctx.device, tp)
    if fqdn:
        ctx.out(f"% The fully-qualified domain name in the certificate will be: {fqdn}")
    include_serial = False
    if not noconfirm:
        ctx.out("")
        include_serial = await ask_yes_no(ctx.term, SERIAL_QUESTION)
        ctx.out("")
        if not await ask_yes_no(ctx.term, "Generate Self-Signed Certificate? [yes/no]: "):
            return
    key, generated = await _key_for(ctx, tp)
    trace(ctx, f"Generating a self-signed certificate for trustpoint {tp.name}")
    certificate = await asyncio.to_thread(
        certs.self_signed_certificate, ctx.device, _with_serial(ctx, tp, include_serial), key
    )
    current = ctx.device.trustpoints.get(tp.name)
    if current is not tp:
        raise unknown_trustpoint(tp.name)
    _commit_key(ctx, generated)
    tp.identity_certificate = certificate
    tp.pending_request = None
    trace(ctx, f"Certificate installed. serial number: {certs.serial_hex(certificate)}")


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
        include_serial = await ask_yes_no(ctx.term, SERIAL_QUESTION)
        ctx.out("")
        if tp.ip_address:
            ctx.out(f"% The IP address in the certificate is {tp.ip_address}", *gap)
        display = await ask_yes_no(ctx.term, "Display Certificate Request to terminal? [yes/no]: ")
    key, generated = await _key_for(ctx, tp)
    request = await asyncio.to_thread(
        certs.certificate_request, ctx.device, _with_serial(ctx, tp, include_serial), key
    )
    if ctx.device.trustpoints.get(tp.name) is not tp:
        raise unknown_trustpoint(tp.name)
    _commit_key(ctx, generated)
    tp.pending_request = request
    trace(ctx, f"Certificate request generated for trustpoint {tp.name}")
    if not display:
        return
    pem = request.public_bytes(serialization.Encoding.PEM).decode().strip().splitlines()
    if legacy:
        ctx.out("Certificate Request follows:")
    ctx.out(*pem)
    ask_redisplay = legacy or ctx.device.enroll_redisplay_question
    if ask_redisplay and not noconfirm:
        ctx.out("")
        while await ask_yes_no(ctx.term, "Redisplay enrollment request? [yes/no]: "):
            ctx.out(*pem, "")
        if legacy:
            ctx.out("")
