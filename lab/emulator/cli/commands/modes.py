"""Moving between modes: enable, configure terminal, exit, end, logout; terminal settings."""

from __future__ import annotations

from lab.emulator.cli.context import CommandContext
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, EXEC, PRIVILEGED, SUB_MODES, command, readonly
from lab.emulator.cli.terminal import ask

ALL_CONFIG_MODES = (CONFIG, *SUB_MODES)


@command(EXEC, "enable [<level:int:0-15>]")
async def enable(ctx: CommandContext, m: Match) -> None:
    for _attempt in range(3):
        password = await ask(ctx.term, "Password: ", hidden=True)
        if ctx.session.check_enable_password(password):
            ctx.session.enter(PRIVILEGED)
            return
        ctx.out("Invalid password")
    ctx.out("Access denied.")


@command(PRIVILEGED, "disable")
def disable(ctx: CommandContext, m: Match) -> None:
    ctx.session.enter(EXEC)


@command((EXEC, PRIVILEGED), "exit", "logout", "quit")
def logout(ctx: CommandContext, m: Match) -> None:
    ctx.out("", "Logoff", "")
    ctx.session.closed = True


@command(PRIVILEGED, "configure terminal")
def configure_terminal(ctx: CommandContext, m: Match) -> None:
    ctx.session.enter(CONFIG)


@readonly
@command(ALL_CONFIG_MODES, "exit", "quit")
def exit_mode(ctx: CommandContext, m: Match) -> None:
    ctx.session.exit_mode()


@readonly
@command(ALL_CONFIG_MODES, "end")
def end(ctx: CommandContext, m: Match) -> None:
    ctx.session.end()


@readonly
@command((EXEC, PRIVILEGED, CONFIG), "terminal pager [lines] <lines:int:0-2147483647>")
def terminal_pager(ctx: CommandContext, m: Match) -> None:
    ctx.session.pager_lines = int(m["lines"])


@readonly
@command((EXEC, PRIVILEGED, CONFIG), "terminal width <columns:int:0-511>")
def terminal_width(ctx: CommandContext, m: Match) -> None:
    ctx.session.width = int(m["columns"])
