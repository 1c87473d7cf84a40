"""``show crypto ca certificates|trustpoints`` and ``show crypto key mypubkey``."""

from __future__ import annotations

from lab.emulator.cli.context import CommandContext
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import EXEC, PRIVILEGED, command
from lab.emulator.render.certificates import show_crypto_ca_certificates
from lab.emulator.render.keys import show_crypto_key_mypubkey
from lab.emulator.render.trustpoints import show_crypto_ca_trustpoints


@command((EXEC, PRIVILEGED), "show crypto ca certificates [<trustpoint>]")
def show_certificates(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_crypto_ca_certificates(ctx.device, m.get("trustpoint")))


@command((EXEC, PRIVILEGED), "show crypto ca trustpoints [<trustpoint>]")
def show_trustpoints(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_crypto_ca_trustpoints(ctx.device, m.get("trustpoint")))


@command(PRIVILEGED, "show crypto key mypubkey <kind:rsa|ecdsa>")
def show_mypubkey(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_crypto_key_mypubkey(ctx.device, m["kind"]))
