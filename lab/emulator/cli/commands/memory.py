"""``write memory``, ``show startup-config`` and ``reload`` (asa-cli.md section 13.3)."""

from __future__ import annotations

import time

from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, PRIVILEGED, command, readonly
from lab.emulator.cli.runtime import Runtime
from lab.emulator.cli.terminal import ask
from lab.emulator.render.running_config import running_config

_SHUTDOWN_BANNER = ("", "***", "*** --- START GRACEFUL SHUTDOWN ---", "***")


def _runtime(ctx: CommandContext) -> Runtime:
    runtime = ctx.session.runtime
    if runtime is None:
        raise CommandError("%Error: no startup configuration storage is attached to this device.")
    return runtime


def write_memory_output(ctx: CommandContext) -> None:
    """Save, printing what the ASA prints; the checksum is the one of the text saved."""
    runtime = _runtime(ctx)
    started = time.monotonic()
    ctx.out("Building configuration...")
    text = running_config(ctx.device)
    digest = text[-2].removeprefix("Cryptochecksum:")
    try:
        size = runtime.save_startup_config()
    except OSError as error:
        raise CommandError(
            f"%Error writing disk0:/.private/startup-config ({error.strerror or error})"
        ) from error
    elapsed = time.monotonic() - started
    groups = " ".join(digest[i : i + 8] for i in range(0, 32, 8))
    ctx.out(f"Cryptochecksum: {groups}", "", f"{size} bytes copied in {elapsed:.3f} secs", "[OK]")


@readonly
@command((PRIVILEGED, CONFIG), "write memory")
def write_memory(ctx: CommandContext, m: Match) -> None:
    write_memory_output(ctx)


@readonly
@command((PRIVILEGED, CONFIG), "show startup-config")
def show_startup_config(ctx: CommandContext, m: Match) -> None:
    saved = _runtime(ctx).startup_config()
    if saved is None:
        raise CommandError(
            "%Error opening disk0:/.private/startup-config (No such file or directory)"
        )
    ctx.out(*saved.rstrip("\n").splitlines())


@readonly
@command(PRIVILEGED, "reload [noconfirm]")
async def reload(ctx: CommandContext, m: Match) -> None:
    runtime = _runtime(ctx)
    if not m.has("noconfirm"):
        if runtime.is_config_modified():
            while True:
                answer = (
                    await ask(ctx.term, "System config has been modified. Save? [Y]es/[N]o: ")
                ).lower()
                if answer in ("y", "yes", "n", "no"):
                    break
            if answer.startswith("y"):
                ctx.out("")
                write_memory_output(ctx)
        answer = (await ask(ctx.term, "Proceed with reload? [confirm]")).lower()
        ctx.out("")
        if answer not in ("", "y", "yes"):
            return
    ctx.out(*_SHUTDOWN_BANNER)
    runtime.request_reload()
    ctx.session.closed = True
