"""``debug crypto ca [LEVEL]``, ``undebug all``, ``show debug``, and the trace lines the
certificate commands print while debugging is on.

Only the ``CRYPTO_PKI: `` prefix and the failure line are seen in a capture (a 9.1 debug
posted on community.cisco.com); the other trace texts are [RECONSTRUCTED].
"""

from __future__ import annotations

from lab.emulator.cli.context import CommandContext
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, PRIVILEGED, command, readonly

FAILURE = "status = 65535: failed to process RA certificate."


def trace(ctx: CommandContext, *messages: str) -> None:
    if ctx.device.debug_crypto_ca > 0:
        ctx.out(*(f"CRYPTO_PKI: {message}" for message in messages))


@readonly
@command((PRIVILEGED, CONFIG), "debug crypto ca [<level:int:1-255>]")
def debug_crypto_ca(ctx: CommandContext, m: Match) -> None:
    level = int(m.get("level") or 1)
    ctx.device.debug_crypto_ca = level
    ctx.out(f"debug crypto ca enabled at level {level}")


@readonly
@command((PRIVILEGED, CONFIG), "no debug crypto ca [<level:int:1-255>]", "undebug crypto ca")
def no_debug_crypto_ca(ctx: CommandContext, m: Match) -> None:
    ctx.device.debug_crypto_ca = 0


@readonly
@command((PRIVILEGED, CONFIG), "undebug all", "no debug all")
def undebug_all(ctx: CommandContext, m: Match) -> None:
    ctx.device.debug_crypto_ca = 0


@readonly
@command(PRIVILEGED, "show debug")
def show_debug(ctx: CommandContext, m: Match) -> None:
    if ctx.device.debug_crypto_ca:
        ctx.out(f"debug crypto ca enabled at level {ctx.device.debug_crypto_ca}")
