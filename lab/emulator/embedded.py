"""A virtual ASA running in a background thread of this process (tests, the embedded target).

    with EmbeddedASA() as asa:
        asa.ssh_port, asa.interface_address("outside")

Readiness is an event, never a sleep; an error while starting is re-raised in the caller.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from lab.emulator.device import Device, Profile
from lab.emulator.server import EmulatorOptions, VirtualASA

T = TypeVar("T")

DEFAULT_NAMEIFS = ("outside", "inside")


class EmulatorStartError(RuntimeError):
    """The virtual ASA could not start (the cause is chained)."""


class EmbeddedASA:
    def __init__(
        self,
        *,
        state_dir: Path | None = None,
        nameifs: tuple[str, ...] = DEFAULT_NAMEIFS,
        username: str = "admin",
        password: str | None = None,
        enable_password: str | None = None,
        profile: Profile = "9.23",
        host: str = "127.0.0.1",
        start_timeout: float = 30.0,
    ) -> None:
        self.username = username
        self.password = password or secrets.token_urlsafe(12)
        self.enable_password = enable_password or secrets.token_urlsafe(12)
        self._options = EmulatorOptions(
            ssh_host=host,
            listen={nameif: (host, 0) for nameif in nameifs},
            state_dir=state_dir,
            username=username,
            password=self.password,
            enable_password=self.enable_password,
            profile=profile,
        )
        self._start_timeout = start_timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._asa: VirtualASA | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._stop: asyncio.Event | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> EmbeddedASA:
        self._thread = threading.Thread(target=self._run, name="virtual-asa", daemon=True)
        self._thread.start()
        if not self._started.wait(self._start_timeout):
            raise EmulatorStartError(
                f"the virtual ASA did not become ready in {self._start_timeout} s"
            )
        if self._error is not None:
            raise EmulatorStartError(
                f"the virtual ASA failed to start: {self._error}"
            ) from self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as error:  # re-raised in the caller's thread by start()
            self._error = error
        finally:
            self._started.set()
            loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        asa = VirtualASA(self._options)
        try:
            await asa.start()
            self._asa = asa
            self._started.set()
            await self._stop.wait()
        finally:
            await asa.stop()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> EmbeddedASA:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------ access

    @property
    def asa(self) -> VirtualASA:
        if self._asa is None:
            raise EmulatorStartError("the virtual ASA is not running")
        return self._asa

    @property
    def host(self) -> str:
        return self._options.ssh_host

    @property
    def ssh_port(self) -> int:
        return self.asa.ssh_port

    def interface_address(self, nameif: str) -> tuple[str, int]:
        listener = self.asa.listeners[nameif]
        return listener.host, listener.port

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the emulator's loop thread (safe access to the device)."""

        async def wrapper() -> T:
            return function()

        return self.run(wrapper())

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=60)

    def device(self) -> Device:
        return self.asa.device
