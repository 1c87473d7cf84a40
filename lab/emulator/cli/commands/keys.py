"""``crypto key generate rsa|ecdsa`` and ``crypto key zeroize``: keypairs by label
(asa-cli.md section 6)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from lab.emulator.cli.commands._names import check_name
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.terminal import ask_yes_no
from lab.emulator.device import (
    DEFAULT_ECDSA_LABEL,
    DEFAULT_RSA_LABEL,
    Keypair,
    PrivateKey,
    Trustpoint,
)

_CURVES: dict[str, Callable[[], ec.EllipticCurve]] = {
    "256": ec.SECP256R1,
    "384": ec.SECP384R1,
    "521": ec.SECP521R1,
}

MAX_LABEL = 64


def new_rsa_key(bits: int) -> PrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def new_ecdsa_key(curve: str) -> PrivateKey:
    return ec.generate_private_key(_CURVES[curve]())


def _default_label(kind: str) -> str:
    return DEFAULT_RSA_LABEL if kind == "rsa" else DEFAULT_ECDSA_LABEL


async def _generate(
    ctx: CommandContext, m: Match, kind: str, make: Callable[[], PrivateKey]
) -> None:
    label = check_name(m, "label", MAX_LABEL) if m.get("label") else _default_label(kind)
    existing = ctx.device.keypairs.get(label)
    kind_upper = kind.upper()
    noconfirm = m.has("noconfirm")
    if existing is None and (
        m.get("label") is None or (ctx.device.profile == "legacy" and not noconfirm)
    ):
        ctx.out(f"INFO: The name for the keys will be: {label}")
    if existing is not None and not noconfirm:
        ctx.out(f"WARNING: You have a {kind_upper} keypair already defined named {label}.", "")
        if not await ask_yes_no(ctx.term, "Do you really want to replace them? [yes/no]: "):
            return
    ctx.out("Keypair generation process begin. Please wait...")
    key = await asyncio.to_thread(make)
    ctx.device.keypairs[label] = Keypair(label, key, ctx.device.clock.now_utc())
    if ctx.device.profile == "9.23":
        ctx.out(f"The {kind_upper} keypairs were successfully generated.")


_RSA_BITS = "<bits:512|768|1024|2048|3072|4096>"


@command(
    CONFIG,
    f"crypto key generate rsa [general-keys] [label <label>] modulus {_RSA_BITS} [noconfirm]",
    f"crypto key generate rsa [general-keys] modulus {_RSA_BITS} label <label> [noconfirm]",
    "crypto key generate rsa [general-keys] [label <label>] [noconfirm]",
)
async def generate_rsa(ctx: CommandContext, m: Match) -> None:
    bits = int(m.get("bits") or 2048)
    await _generate(ctx, m, "rsa", lambda: new_rsa_key(bits))


@command(
    CONFIG,
    "crypto key generate ecdsa [label <label>] elliptic-curve <curve:256|384|521> [noconfirm]",
    "crypto key generate ecdsa elliptic-curve <curve:256|384|521> label <label> [noconfirm]",
    "crypto key generate ecdsa [label <label>] [noconfirm]",
)
async def generate_ecdsa(ctx: CommandContext, m: Match) -> None:
    curve = m.get("curve") or "256"
    await _generate(ctx, m, "ecdsa", lambda: new_ecdsa_key(curve))


def _uses_key(tp: Trustpoint, keypair: Keypair) -> bool:
    """A trustpoint's identity certificate was issued for this key."""
    certificate = tp.identity_certificate
    if certificate is None:
        return False
    return certificate.public_key() == keypair.private_key.public_key()


@command(CONFIG, "crypto key zeroize <kind:rsa|ecdsa> [label <label>] [noconfirm]")
async def zeroize(ctx: CommandContext, m: Match) -> None:
    kind, label = m["kind"], m.get("label")
    kind_upper = kind.upper()
    if label is not None:
        keypair = ctx.device.keypairs.get(label)
        if keypair is None or keypair.kind != kind:
            raise CommandError(
                f"ERROR: The specified {kind_upper} keypair does not exist ({label})."
            )
        doomed = [keypair]
    else:
        doomed = [k for k in ctx.device.keypairs.values() if k.kind == kind]
        if not doomed:
            raise CommandError(f"ERROR: There are no {kind_upper} keypairs to remove.")
    if not m.has("noconfirm"):
        ctx.out(
            f"WARNING: All {kind_upper} keys will be removed.",
            "WARNING: All device digital certificates issued using these keys will also be "
            "removed.",
        )
        if not await ask_yes_no(ctx.term, "Do you really want to remove these keys? [yes/no]: "):
            return
    for keypair in doomed:
        del ctx.device.keypairs[keypair.label]
        for tp in ctx.device.trustpoints.values():
            if _uses_key(tp, keypair):
                tp.identity_certificate = None
            if tp.pending_request is not None and (
                tp.pending_request.public_key() == keypair.private_key.public_key()
            ):
                tp.pending_request = None
