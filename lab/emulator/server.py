"""The virtual ASA as a running thing: boot (from a state folder or the lab baseline), SSH,
one TLS listener per mapped nameif, write memory, reload."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from lab.emulator import certs
from lab.emulator.device import Device, Interface, PrivateKey, Profile
from lab.emulator.http import HttpRequest, HttpResponse
from lab.emulator.render.running_config import running_config
from lab.emulator.replay import ReplayProblem, replay_config
from lab.emulator.ssh import Credentials, new_host_key, start_ssh_server
from lab.emulator.storage import StateFolder
from lab.emulator.tls import ClientCertificatePolicy, InterfaceListener, TlsSession
from lab.emulator import webapp
from lab.rules.server_identity import ServedIdentity, select_server_identity

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
        self._temporary: tuple[x509.Certificate, PrivateKey] | None = None
        self._reload_requested = False
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
        for listener in self.listeners.values():
            await listener.close()
        self.listeners.clear()

    async def _boot(self) -> None:
        self.device = _new_device(self.options.profile)
        self._temporary = None
        saved = self.storage.load() if self.storage else None
        if saved is not None:
            for keypair in saved.keypairs:
                self.device.keypairs[keypair.label] = keypair
            self.boot_problems = await replay_config(self.device, saved.startup_config)
        else:
            self.boot_problems = await replay_config(self.device, self.options.baseline)
        for problem in self.boot_problems:
            log.warning("startup-config line %d rejected: %s (%s)", problem.line_number, problem.line, problem.message)
        self.device.last_modified = None

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

    def save_startup_config(self) -> int:
        if self.storage is None:
            raise OSError(30, "no state folder (start with --state-dir to keep configuration)")
        text = "\n".join(running_config(self.device)) + "\n"
        self.storage.save(text, list(self.device.keypairs.values()))
        return len(text.encode())

    def startup_config(self) -> str | None:
        saved = self.storage.load() if self.storage else None
        return saved.startup_config if saved else None

    def request_reload(self) -> None:
        self._reload_requested = True
        asyncio.get_running_loop().create_task(self._after_change())

    def _on_config_change(self) -> None:
        asyncio.get_running_loop().create_task(self._after_change())

    async def _after_change(self) -> None:
        if self._reload_requested:
            self._reload_requested = False
            await self._boot()
        await self._reconcile_listeners()

    async def _reconcile_listeners(self) -> None:
        enabled = set(self.device.webvpn_nameifs())
        for nameif, listener in self.listeners.items():
            await listener.set_accepting(nameif in enabled)

    # ------------------------------------------------------------ the wire side

    def temporary_identity(self) -> tuple[x509.Certificate, PrivateKey]:
        if self._temporary is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            self._temporary = (certs.temporary_certificate(self.device, key), key)
        return self._temporary

    def served_identity(self, nameif: str, sni: str | None) -> ServedIdentity:
        return select_server_identity(self.device, nameif, sni, self.temporary_identity())

    def client_certificate_policy(self, nameif: str) -> ClientCertificatePolicy:
        return ClientCertificatePolicy()

    def _handle_http(self, request: HttpRequest, session: TlsSession) -> HttpResponse:
        return webapp.handle_request(self.device, request, session)
