"""``write memory`` / ``copy running-config startup-config``: persist the configuration."""

from __future__ import annotations

import time

from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import PRIVILEGED, command
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.render.running_config import ASA_VERSION, body_lines, checksum


@command(PRIVILEGED, "write memory", "copy running-config startup-config")
def write_memory(ctx: CommandContext, m: Match) -> None:
    runtime = ctx.session.runtime
    if runtime is None:
        raise CommandError("ERROR: no startup configuration storage is attached to this device.")
    started = time.monotonic()
    ctx.out("Building configuration...")
    digest = checksum([f"ASA Version {ASA_VERSION}", "!", *body_lines(ctx.device)])
    try:
        size = runtime.save_startup_config()
    except OSError as error:
        raise CommandError(f"%Error writing disk0:/.private/startup-config ({error.strerror})") from error
    elapsed = time.monotonic() - started
    groups = " ".join(digest[i : i + 8] for i in range(0, 32, 8))
    ctx.out(f"Cryptochecksum: {groups}", "", f"{size} bytes copied in {elapsed:.3f} secs", "[OK]")
