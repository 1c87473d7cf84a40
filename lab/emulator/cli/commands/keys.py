"""``crypto key generate rsa|ecdsa``: keypairs by label, with the ASA's replace dialogue."""

from __future__ import annotations

import asyncio

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.context import CommandContext
from lab.emulator.cli.terminal import ask_yes_no
from lab.emulator.device import DEFAULT_ECDSA_LABEL, DEFAULT_RSA_LABEL, Keypair, PrivateKey

_CURVES: dict[str, ec.EllipticCurve] = {
    "256": ec.SECP256R1(),
    "384": ec.SECP384R1(),
    "521": ec.SECP521R1(),
}


def _rsa(bits: int) -> PrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _ecdsa(curve: str) -> PrivateKey:
    return ec.generate_private_key(_CURVES[curve])


async def _generate(ctx: CommandContext, m: Match, kind: str, label: str, make: object) -> None:
    existing = ctx.device.keypairs.get(label)
    kind_upper = kind.upper()
    if label in (DEFAULT_RSA_LABEL, DEFAULT_ECDSA_LABEL) and existing is None:
        ctx.out(f"INFO: The name for the keys will be: {label}")
    elif existing is None and ctx.device.profile == "legacy" and not m.has("noconfirm"):
        ctx.out(f"INFO: The name for the keys will be: {label}")
    if existing is not None and not m.has("noconfirm"):
        ctx.out(f"WARNING: You have a {kind_upper} keypair already defined named {label}.", "")
        if not await ask_yes_no(ctx.term, "Do you really want to replace them? [yes/no]: "):
            return
    ctx.out("Keypair generation process begin. Please wait...")
    key = await asyncio.to_thread(make)  # type: ignore[arg-type]
    ctx.device.keypairs[label] = Keypair(label, key, ctx.device.clock.now_utc())
    if ctx.device.profile == "9.23":
        ctx.out(f"The {kind_upper} keypairs were successfully generated.")


@command(
    CONFIG,
    "crypto key generate rsa [general-keys] [label <label>] modulus "
    "<bits:512|768|1024|2048|3072|4096> [noconfirm]",
    "crypto key generate rsa [general-keys] modulus <bits:512|768|1024|2048|3072|4096> "
    "label <label> [noconfirm]",
)
async def generate_rsa(ctx: CommandContext, m: Match) -> None:
    bits = int(m["bits"])
    await _generate(ctx, m, "rsa", m.get("label") or DEFAULT_RSA_LABEL, lambda: _rsa(bits))


@command(
    CONFIG,
    "crypto key generate ecdsa [label <label>] elliptic-curve <curve:256|384|521> [noconfirm]",
    "crypto key generate ecdsa elliptic-curve <curve:256|384|521> label <label> [noconfirm]",
)
async def generate_ecdsa(ctx: CommandContext, m: Match) -> None:
    curve = m["curve"]
    await _generate(ctx, m, "ecdsa", m.get("label") or DEFAULT_ECDSA_LABEL, lambda: _ecdsa(curve))
