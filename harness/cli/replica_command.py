"""The work behind ``asa-harness replica`` (imported only when that command runs)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import signal
import sys
from pathlib import Path

from harness.cli.emulator import parse_listen
from lab.emulator.replica import (
    ReplicaPlan,
    describe_ignored,
    describe_serving,
    plan_replica,
    replica_options,
)
from lab.emulator.replica_keys import ReplicaKeyError
from lab.emulator.server import EmulatorOptions, VirtualASA
from lab.targets.replica_sidecar import SidecarError, load_sidecar

PROG = "asa-harness replica"


class UsageError(Exception):
    """A problem with the command line or the files it names (exit status 2)."""


def _environment(name: str, what: str) -> bytes:
    value = os.environ.get(name)
    if value is None:
        raise UsageError(f"{what} {name}: the variable is not set")
    return value.encode()


def _pkcs12_arguments(values: list[str]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for value in values:
        trustpoint, sep, file = value.partition("=")
        if not sep or not trustpoint or not file:
            raise UsageError(f"--pkcs12 {value!r}: expected TRUSTPOINT=FILE")
        files[trustpoint] = Path(file)
    return files


def _plan(arguments: argparse.Namespace) -> ReplicaPlan:
    try:
        text = arguments.config.read_text()
    except OSError as error:
        raise UsageError(f"cannot read {arguments.config}: {error.strerror}") from None
    files = _pkcs12_arguments(arguments.pkcs12)
    passphrase = (
        _environment(arguments.passphrase_env, "--passphrase-env")
        if arguments.passphrase_env
        else None
    )
    profile = arguments.profile
    if not files:
        sidecar = load_sidecar(arguments.config)
        if sidecar.path is not None:
            print(f"using {sidecar.path}", file=sys.stderr)
            files, profile = sidecar.pkcs12, profile or sidecar.profile
            passphrase = passphrase if passphrase is not None else sidecar.passphrase()
    return plan_replica(text, files, passphrase, profile=profile or "9.23")


def _report(plan: ReplicaPlan) -> None:
    for number in plan.masked_lines:
        print(f"line {number}: a clear-text secret was masked as *****", file=sys.stderr)
    for key in plan.trustpoints:
        print(describe_serving(key), file=sys.stderr)


async def _serve(options: EmulatorOptions) -> int:
    # The boot's rejected lines are listed below, with what became of them; the server's
    # own warning per line would only repeat them.
    logging.getLogger("lab.emulator.server").setLevel(logging.ERROR)
    asa = VirtualASA(options)
    await asa.start()
    print(f"{len(asa.boot_problems)} configuration line(s) ignored:", file=sys.stderr)
    for problem in asa.boot_problems:
        print("  " + describe_ignored(problem), file=sys.stderr)
    sys.stderr.flush()
    # Handlers first: a SIGTERM sent right after the ready line must stop it cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    ready = {"event": "ready", "ssh": asa.ssh_address, "interfaces": asa.interface_addresses()}
    print(json.dumps(ready), flush=True)
    await stop.wait()
    await asa.stop()
    return 0


def run_replica(arguments: argparse.Namespace, _extra: list[str]) -> int:
    try:
        plan = _plan(arguments)
        listen = parse_listen(arguments.listen) if arguments.listen else None
        if arguments.password_env:
            password = _environment(arguments.password_env, "--password-env").decode()
        else:
            password = secrets.token_urlsafe(12)
            print(
                f"generated lab login (not from the configuration): username "
                f"{arguments.username} password {password}",
                file=sys.stderr,
            )
    except (UsageError, ReplicaKeyError, SidecarError, ValueError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    _report(plan)
    options = replica_options(
        plan,
        username=arguments.username,
        password=password,
        enable_password=password,
        ssh_host=arguments.host,
        ssh_port=arguments.ssh_port,
        listen=listen,
        state_dir=arguments.state_dir,
    )
    try:
        return asyncio.run(_serve(options))
    except OSError as error:
        print(f"{PROG}: cannot start: {error}", file=sys.stderr)
        return 2
