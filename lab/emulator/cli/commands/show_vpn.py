"""``show ssl [certificate]``, ``show vpn-sessiondb anyconnect`` and ``vpn-sessiondb logoff``."""

from __future__ import annotations

from lab.emulator.cli.context import CommandContext
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, EXEC, PRIVILEGED, command, readonly
from lab.emulator.cli.terminal import ask
from lab.emulator.device import VpnSession
from lab.emulator.render.sessions import show_vpn_sessiondb_anyconnect
from lab.emulator.render.ssl import show_ssl, show_ssl_certificate


@command((EXEC, PRIVILEGED), "show ssl")
def ssl(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_ssl(ctx.device))


@command((EXEC, PRIVILEGED), "show ssl certificate")
def ssl_certificate(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_ssl_certificate(ctx.device))


@command(PRIVILEGED, "show vpn-sessiondb anyconnect")
def sessiondb(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_vpn_sessiondb_anyconnect(ctx.device))


@readonly
@command(
    (PRIVILEGED, CONFIG),
    "vpn-sessiondb logoff name <user> [noconfirm]",
    "vpn-sessiondb logoff index <index:int:1-2147483647> [noconfirm]",
    "vpn-sessiondb logoff all [noconfirm]",
)
async def logoff(ctx: CommandContext, m: Match) -> None:
    """Messages [TOOL]/[RECONSTRUCTED] (asa-cli.md section 13.4)."""
    if not m.has("noconfirm"):
        answer = await ask(ctx.term, "Do you want to logoff the VPN session(s)? [confirm]")
        if answer.lower() not in ("", "y", "yes"):
            return
    user, index = m.get("user"), m.get("index")
    if user is not None:
        doomed = [s for s in ctx.device.sessions if s.username == user]
        summary = f'with name "{user}" '
    elif index is not None:
        doomed = [s for s in ctx.device.sessions if s.index == int(index)]
        summary = f'with index "{index}" '
    else:  # logoff all
        doomed = list(ctx.device.sessions)
        summary = ""
    _remove(ctx, doomed)
    ctx.out(f"INFO: Number of sessions {summary}logged off : {len(doomed)}")


def _remove(ctx: CommandContext, doomed: list[VpnSession]) -> None:
    ctx.device.sessions[:] = [s for s in ctx.device.sessions if s not in doomed]
