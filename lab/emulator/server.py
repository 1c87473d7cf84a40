"""The virtual ASA as a running thing: boot (from a state folder or the lab baseline), SSH,
one TLS listener per mapped nameif, write memory, reload."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import asyncssh
from cryptography import x509

from lab.emulator import certs, webapp
from lab.emulator.anyconnect import AnyConnectService, AnyConnectSettings
from lab.emulator.device import Device, Interface, Keypair, PrivateKey, Profile
from lab.emulator.http import HttpRequest, HttpResponse
from lab.emulator.render.running_config import running_config
from lab.emulator.replay import ReplayProblem, replay_config
from lab.emulator.replica_config import replay_foreign_config
from lab.emulator.ssh import Credentials, new_host_key, start_ssh_server
from lab.emulator.storage import SavedState, StateFolder
from lab.emulator.tls import ClientCertificatePolicy, InterfaceListener, TlsSession
from lab.rules.client_certificate import client_certificate_request
from lab.rules.server_identity import ServedIdentity, StandIn, select_server_identity

log = logging.getLogger(__name__)

HARDWARE_INTERFACES = (
    "Management0/0",
    "GigabitEthernet0/0",
    "GigabitEthernet0/1",
    "GigabitEthernet0/2",
)

#: The lab baseline a fresh virtual ASA boots with when its state folder is empty: the
#: interfaces of the PingLabz reference lab and AnyConnect enabled on outside (the article
#: starts from an existing AnyConnect connection profile).
LAB_BASELINE = """\
interface Management0/0
 nameif management
 security-level 100
 ip address 192.168.1.1 255.255.255.0
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 192.0.2.10 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.10.10.1 255.255.255.0
webvpn
 enable outside
 anyconnect enable
"""


class StandInSource(Protocol):
    """Hands out the REPLICA STAND-IN certificates of a replica (docs/replica.md)."""

    def stand_ins(self, device: Device) -> Mapping[str, StandIn]:
        """The stand-in per trustpoint name, for the trustpoints that need one now."""


@dataclass
class EmulatorOptions:
    ssh_host: str = "127.0.0.1"
    ssh_port: int = 0
    listen: dict[str, tuple[str, int]] = field(default_factory=dict)
    state_dir: Path | None = None
    username: str = "admin"
    password: str = ""
    enable_password: str = ""
    profile: Profile = "9.23"
    baseline: str = LAB_BASELINE
    #: 404 for an aggregate-auth POST whose User-Agent does not start with ``AnyConnect``.
    require_anyconnect_user_agent: bool = True
    #: Keys loaded with the baseline (a replica's PKCS#12 and generated keys); a saved
    #: state folder brings its own.
    baseline_keypairs: tuple[Keypair, ...] = ()
    #: The configuration comes from another device (replicas): create the interfaces it
    #: names and keep the lines the virtual ASA does not model (lab/emulator/replica_config).
    foreign_config: bool = False
    #: Stand-in certificates for trustpoints whose key the virtual ASA does not have.
    stand_ins: StandInSource | None = None


def _new_device(profile: Profile) -> Device:
    device = Device(profile=profile)
    for name in HARDWARE_INTERFACES:
        device.interfaces[name] = Interface(name)
    return device


class VirtualASA:
    """Start with :meth:`start`; :attr:`ready` is set once SSH and the listeners accept."""

    def __init__(self, options: EmulatorOptions) -> None:
        if not options.password:
            raise ValueError("the virtual ASA needs a login password")
        self.options = options
        self.device = _new_device(options.profile)
        self.credentials = Credentials(
            options.username, options.password, options.enable_password or options.password
        )
        self.storage = StateFolder(options.state_dir) if options.state_dir else None
        self.boot_problems: list[ReplayProblem] = []
        self.listeners: dict[str, InterfaceListener] = {}
        self._ssh: asyncssh.SSHAcceptor | None = None
        self._host_key = new_host_key()
        self._reload_requested = False
        self._ssh_connections: set[asyncssh.SSHServerConnection] = set()
        #: ``write memory`` without a state folder keeps the startup-config here (lost on exit).
        self._memory_startup: SavedState | None = None
        #: The running-config text right after boot or the last save (``reload`` asks to save
        #: when the running configuration differs from it).
        self._saved_text = ""
        self.anyconnect = AnyConnectService(
            AnyConnectSettings(options.require_anyconnect_user_agent)
        )
        self.ready = asyncio.Event()

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        await self._boot()
        self._ssh = await start_ssh_server(
            self.options.ssh_host,
            self.options.ssh_port,
            lambda: self.device,
            self.credentials,
            self,
            self._host_key,
            on_config_change=self._on_config_change,
            connections=self._ssh_connections,
        )
        for nameif, (host, port) in self.options.listen.items():
            self.listeners[nameif] = InterfaceListener(
                nameif,
                host,
                port,
                select_identity=self.served_identity,
                client_policy=self.client_certificate_policy,
                application=self._handle_http,
            )
        await self._reconcile_listeners()
        self.ready.set()

    async def stop(self) -> None:
        if self._ssh is not None:
            self._ssh.close()
            await self._ssh.wait_closed()
            self._ssh = None
        await self._close_ssh_sessions()
        for listener in self.listeners.values():
            await listener.close()
        self.listeners.clear()

    async def _boot(self) -> None:
        """Build a new device from the startup-config (or the lab baseline), then swap it in:
        a session never sees a half-replayed device. The clock survives (hardware clock);
        the temporary self-signed certificate does not (it is made again on first use)."""
        if self.storage is not None:
            self.storage.cleanup_partial()
        saved = self.storage.load() if self.storage is not None else self._memory_startup
        device = _new_device(self.options.profile)
        device.clock.offset = self.device.clock.offset
        keypairs = saved.keypairs if saved is not None else self.options.baseline_keypairs
        for keypair in keypairs:
            device.keypairs[keypair.label] = keypair
        text = saved.startup_config if saved is not None else self.options.baseline
        if self.options.foreign_config:
            problems = await replay_foreign_config(device, text)
        else:
            problems = await replay_config(device, text)
        for problem in problems:
            log.warning(
                "startup-config line %d rejected: %s (%s)",
                problem.line_number,
                problem.line,
                problem.message,
            )
        device.last_modified = None
        self.device = device
        self.boot_problems = problems
        self._saved_text = self._running_text()

    # ------------------------------------------------------------ addresses

    @property
    def ssh_address(self) -> str:
        assert self._ssh is not None
        host, port = self._ssh.sockets[0].getsockname()[:2]
        return f"{host}:{port}"

    @property
    def ssh_port(self) -> int:
        assert self._ssh is not None
        return int(self._ssh.sockets[0].getsockname()[1])

    def interface_addresses(self) -> dict[str, str]:
        return {nameif: listener.address for nameif, listener in self.listeners.items()}

    # ------------------------------------------------------------ runtime services for the CLI

    def _running_text(self) -> str:
        return "\n".join(running_config(self.device)) + "\n"

    def save_startup_config(self) -> int:
        """``write memory``: the state folder when there is one (atomic), else memory."""
        text = self._running_text()
        keypairs = list(self.device.keypairs.values())
        if self.storage is not None:
            self.storage.save(text, keypairs)
        else:
            self._memory_startup = SavedState(text, keypairs)
        self._saved_text = text
        return len(text.encode())

    def startup_config(self) -> str | None:
        saved = self.storage.load() if self.storage is not None else self._memory_startup
        return saved.startup_config if saved else None

    def is_config_modified(self) -> bool:
        return self._running_text() != self._saved_text

    def request_reload(self) -> None:
        self._reload_requested = True
        asyncio.get_running_loop().create_task(self._after_change())

    async def _reload(self) -> None:
        """Drop every SSH session, then boot from the startup-config."""
        await self._close_ssh_sessions()
        await self._boot()

    async def _close_ssh_sessions(self) -> None:
        connections = list(self._ssh_connections)
        for connection in connections:
            connection.close()
        for connection in connections:
            await connection.wait_closed()

    def _on_config_change(self) -> None:
        # Listeners follow ``webvpn`` / ``enable`` before the command's prompt returns.
        self.reconcile_listeners()
        asyncio.get_running_loop().create_task(self._after_change())

    async def _after_change(self) -> None:
        if self._reload_requested:
            self._reload_requested = False
            await self._reload()
        await self._reconcile_listeners()

    async def _reconcile_listeners(self) -> None:
        self.reconcile_listeners()

    def reconcile_listeners(self) -> None:
        """Accept on exactly the nameifs with ``webvpn`` / ``enable``; on the loop thread."""
        enabled = set(self.device.webvpn_nameifs())
        for nameif, listener in self.listeners.items():
            listener.set_accepting(nameif in enabled)

    # ------------------------------------------------------------ the wire side

    def temporary_identity(self) -> tuple[x509.Certificate, PrivateKey]:
        return certs.temporary_identity(self.device)

    def served_identity(self, nameif: str, sni: str | None) -> ServedIdentity:
        source = self.options.stand_ins
        stand_ins = source.stand_ins(self.device) if source is not None else None
        return select_server_identity(
            self.device, nameif, sni, self.temporary_identity, stand_ins=stand_ins
        )

    def client_certificate_policy(self, nameif: str) -> ClientCertificatePolicy:
        decision = client_certificate_request(self.device, nameif)
        return ClientCertificatePolicy(decision.request, decision.request_certificates)

    def _handle_http(self, request: HttpRequest, session: TlsSession) -> HttpResponse:
        return webapp.handle_request(self.device, request, session, self.anyconnect)
