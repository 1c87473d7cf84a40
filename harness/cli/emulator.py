"""``asa-harness emulator``: run the virtual ASA until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lab.emulator.server import EmulatorOptions


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "emulator",
        help="run the virtual ASA (SSH CLI + HTTPS listeners)",
        description=(
            "Run the virtual ASA. When SSH and every listener accept connections it prints one "
            'JSON line to stdout: {"event": "ready", "ssh": "HOST:PORT", "interfaces": {...}}. '
            "It runs until SIGINT or SIGTERM and exits 0. Port 0 means: choose a free port."
        ),
    )
    parser.add_argument(
        "--ssh-port", type=int, default=0, help="SSH port (default: 0 = any free port)"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind SSH on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--listen",
        action="append",
        default=[],
        metavar="NAMEIF=HOST:PORT",
        help="an HTTPS listener for an interface, e.g. outside=127.0.0.1:0 (repeatable)",
    )
    parser.add_argument(
        "--state-dir", type=Path, help="folder for write memory (startup-config, keys)"
    )
    parser.add_argument("--username", default="admin", help="SSH login name (default admin)")
    parser.add_argument(
        "--password", help="SSH login password (default: generated, printed on stderr)"
    )
    parser.add_argument("--enable-password", help="enable password (default: generated)")
    parser.add_argument(
        "--profile", choices=("9.23", "legacy"), default="9.23", help="output layout (default 9.23)"
    )
    parser.set_defaults(handler=run_emulator)


def parse_listen(values: list[str]) -> dict[str, tuple[str, int]]:
    listen: dict[str, tuple[str, int]] = {}
    for value in values:
        nameif, sep, address = value.partition("=")
        host, colon, port = address.rpartition(":")
        if not sep or not colon or not nameif or not port.isdigit():
            raise ValueError(
                f"--listen {value!r}: expected NAMEIF=HOST:PORT, e.g. outside=127.0.0.1:0"
            )
        listen[nameif] = (host.strip("[]"), int(port))
    return listen


def run_emulator(arguments: argparse.Namespace, _extra: list[str]) -> int:
    from lab.emulator.server import EmulatorOptions

    try:
        listen = parse_listen(arguments.listen or ["outside=127.0.0.1:0"])
    except ValueError as error:
        print(f"asa-harness emulator: {error}", file=sys.stderr)
        return 2
    password = arguments.password
    enable_password = arguments.enable_password
    if not password:
        password = secrets.token_urlsafe(12)
        enable_password = enable_password or secrets.token_urlsafe(12)
        print(
            f"generated credentials: username {arguments.username} password {password} "
            f"enable {enable_password}",
            file=sys.stderr,
            flush=True,
        )
    options = EmulatorOptions(
        ssh_host=arguments.host,
        ssh_port=arguments.ssh_port,
        listen=listen,
        state_dir=arguments.state_dir,
        username=arguments.username,
        password=password,
        enable_password=enable_password or password,
        profile=arguments.profile,
    )
    try:
        return asyncio.run(_serve(options))
    except OSError as error:
        print(f"asa-harness emulator: cannot start: {error}", file=sys.stderr)
        return 2


async def _serve(options: EmulatorOptions) -> int:
    from lab.emulator.server import VirtualASA

    # Handlers first: a supervisor may signal as soon as it has read the ready line.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    asa = VirtualASA(options)
    await asa.start()
    for problem in asa.boot_problems:
        print(
            f"startup-config line {problem.line_number} rejected: {problem.line.strip()} "
            f"({problem.message})",
            file=sys.stderr,
        )
    print(
        json.dumps(
            {"event": "ready", "ssh": asa.ssh_address, "interfaces": asa.interface_addresses()}
        ),
        flush=True,
    )
    await stop.wait()
    await asa.stop()
    return 0
