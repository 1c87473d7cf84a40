"""A target in a container on this host (docker SDK, host networking).

Two variants:

* ``virtual-asa``: our own image (built and cached by :mod:`lab.targets.images` unless the
  inventory names one). The container runs the emulator with fresh credentials (passed by
  environment), binding port 0 for SSH and every listener unless the inventory fixes ports;
  the emulator's ready line, read from the container's output, says which ports it got, so
  no port is ever guessed. Its stdin is held open by this process only: when this process
  ends, however it ends, the container stops and is removed.
* ``asav``: a user-supplied image (a vrnetlab/containerlab ASAv); the inventory gives its
  ports and the environment variables with its login. Boots take minutes.

Ready means: SSH answers with a banner, then a scrapli login reaches the CLI prompt. Waiting
is shown with a spinner on stderr; when the target is not ready within ``boot_timeout`` the
error quotes the container's last log lines. Containers are labelled (see
:mod:`lab.targets.cleanup`) and removed in :meth:`DockerTarget.stop`, at exit, on
SIGINT/SIGTERM, and by the next run if the owner was killed.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from typing import Any

from lab.targets import cleanup, readiness
from lab.targets.base import TargetAccess, TargetStartError
from lab.targets.container_logs import LogFollower
from lab.targets.credentials import Credentials, copied_environment, credentials_from_env
from lab.targets.engine import docker_client
from lab.targets.inventory import DockerEntry, Inventory
from lab.targets.progress import Progress

HOST = "127.0.0.1"
LOG_LINES_IN_ERRORS = 20
PROBE_INTERVAL_S = 1.0  # between two SSH probes of a booting ASAv (an exit ends it early)
LOGIN_TIMEOUT_S = 30.0


class _NotReadyError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DockerTarget:
    exclusive = False  # a fresh container per scenario

    def __init__(self, entry: DockerEntry, inventory: Inventory) -> None:
        self.name = entry.name
        self.entry = entry
        self._inventory = inventory
        self._client: Any = None
        self._container_id: str | None = None
        self._logs: LogFollower | None = None
        self._stdin: Any = None
        self.ready_after_s: float | None = None  # from start() to ready, creation included
        self._create_s = 0.0

    # ------------------------------------------------------------ lifecycle

    def start(self) -> TargetAccess:
        self._client = docker_client()
        try:
            cleanup.reap_orphans(self._client)
            image = self._image()
            credentials = self._credentials()
            with Progress(f"target {self.name}", limit_s=self.entry.boot_timeout) as progress:
                progress.update(f"creating a container from {image}")
                self._create(image, credentials)
                booted = time.monotonic()  # boot_timeout counts from here, not from the copy
                self._create_s = progress.elapsed_s
                access = self._wait_until_ready(credentials, progress, booted)
                self.ready_after_s = progress.elapsed_s
            return access
        except BaseException:  # also Ctrl-C: nothing started here may stay behind
            self.stop()
            raise

    def stop(self) -> None:
        if self._stdin is not None:
            _close_socket(self._stdin)
            self._stdin = None
        if self._container_id is not None and self._client is not None:
            with contextlib.suppress(Exception):  # the daemon went away: nothing left to remove
                if self.entry.variant == "virtual-asa":  # auto-removed by the daemon once killed
                    cleanup.discard_container(self._client, self._container_id)
                else:
                    cleanup.remove_container(self._client, self._container_id)
            cleanup.untrack(self._container_id)
            self._container_id = None
        if self._logs is not None:
            self._logs.close()
            self._logs = None
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def container_id(self) -> str | None:
        return self._container_id

    # ------------------------------------------------------------ pieces

    def _image(self) -> str:
        if self.entry.image is None:
            from lab.targets.images import current_image

            return current_image()
        from lab.targets.images import image_exists

        if not image_exists(self._client, self.entry.image):
            raise TargetStartError(
                f"target {self.name}: image {self.entry.image} "
                f"({self._inventory.where(self.name, 'image')}) is not on this host; build or "
                "load it first (docs/labs.md), nothing is pulled"
            )
        return self.entry.image

    def _credentials(self) -> Credentials:
        if self.entry.username_env is not None:
            return credentials_from_env(self.entry, self._inventory)
        return Credentials.generate()

    def _environment(self, credentials: Credentials) -> dict[str, str]:
        environment = dict(self.entry.env)
        environment.update(copied_environment(self.entry, self._inventory))
        if self.entry.variant == "virtual-asa":
            listen = ",".join(
                f"{nameif}={HOST}:{port}" for nameif, port in self.entry.interfaces.items()
            )
            environment.update(
                {
                    "ASA_HARNESS_USERNAME": credentials.username,
                    "ASA_HARNESS_PASSWORD": credentials.password,
                    "ASA_HARNESS_ENABLE_PASSWORD": credentials.enable_password,
                    "ASA_HARNESS_SSH": f"{HOST}:{self.entry.ssh_port}",
                    "ASA_HARNESS_LISTEN": listen,
                    "ASA_HARNESS_PROFILE": self.entry.profile,
                    "ASA_HARNESS_WATCH_STDIN": "1",
                }
            )
        return environment

    def _create(self, image: str, credentials: Credentials) -> None:
        client = self._client
        own_image = self.entry.variant == "virtual-asa"
        container = client.api.create_container(
            image,
            command=self.entry.command,
            name=f"asa-{self.name}-{secrets.token_hex(4)}",
            labels=cleanup.container_labels(self.name),
            environment=self._environment(credentials),
            stdin_open=own_image,  # with detach=False the SDK also sets StdinOnce
            detach=False,
            host_config=client.api.create_host_config(
                network_mode="host",
                # Our image is removed by the daemon when it exits (also when its owner dies);
                # a user's image is kept until stop() so that its exit code can be reported.
                auto_remove=own_image,
                privileged=self.entry.privileged,
            ),
        )
        self._container_id = str(container["Id"])
        cleanup.track(self._container_id)
        output = client.api.attach(
            self._container_id, stdout=True, stderr=True, stream=True, logs=True
        )
        self._logs = LogFollower(output, closer=output.close).start()
        if own_image:
            self._stdin = client.api.attach_socket(
                self._container_id, params={"stdin": 1, "stream": 1}
            )
        client.api.start(self._container_id)

    # ------------------------------------------------------------ readiness

    def _wait_until_ready(
        self, credentials: Credentials, progress: Progress, booted: float
    ) -> TargetAccess:
        deadline = booted + self.entry.boot_timeout
        try:
            if self.entry.variant == "virtual-asa":
                return self._ready_virtual_asa(credentials, progress, deadline)
            return self._ready_asav(credentials, progress, deadline)
        except _NotReadyError as failure:
            raise TargetStartError(self._failure_text(failure.reason, progress)) from None

    def _access(
        self, credentials: Credentials, ssh_port: int, interfaces: dict[str, tuple[str, int]]
    ) -> TargetAccess:
        return TargetAccess(
            name=self.name,
            ssh_host=HOST,
            ssh_port=ssh_port,
            username=credentials.username,
            password=credentials.password,
            enable_password=credentials.enable_password,
            interfaces=interfaces,
            kind="docker",
            disposable=True,
        )

    def _ready_virtual_asa(
        self, credentials: Credentials, progress: Progress, deadline: float
    ) -> TargetAccess:
        assert self._logs is not None
        progress.update("waiting for the emulator's ready line")
        ready = self._logs.wait_for(readiness.parse_ready_line, deadline - time.monotonic())
        if ready is None:
            raise _NotReadyError(self._stopped_or("no ready line from the emulator"))
        access = self._access(credentials, ready.ssh[1], ready.interfaces)
        progress.update(f"waiting for SSH on {HOST}:{access.ssh_port}")
        if readiness.ssh_banner(HOST, access.ssh_port, deadline - time.monotonic()) is None:
            raise _NotReadyError(self._stopped_or(f"no SSH banner on {HOST}:{access.ssh_port}"))
        progress.update(f"waiting for the CLI prompt (login as {credentials.username})")
        try:
            readiness.cli_prompt(access, deadline - time.monotonic())
        except Exception as error:  # DeviceConnectionError: its message says what failed
            raise _NotReadyError(self._stopped_or(f"no CLI prompt after login: {error}")) from None
        return access

    def _ready_asav(
        self, credentials: Credentials, progress: Progress, deadline: float
    ) -> TargetAccess:
        assert self._logs is not None
        interfaces = {nameif: (HOST, port) for nameif, port in self.entry.interfaces.items()}
        access = self._access(credentials, self.entry.ssh_port, interfaces)
        reason = f"no SSH banner on {HOST}:{access.ssh_port}"
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _NotReadyError(reason)
            if self._logs.ended.is_set():
                raise _NotReadyError(self._stopped_or(reason))
            progress.update(f"waiting for SSH on {HOST}:{access.ssh_port}")
            if readiness.ssh_banner(HOST, access.ssh_port, min(remaining, 5.0)) is not None:
                progress.update(f"waiting for the CLI prompt (login as {credentials.username})")
                try:
                    readiness.cli_prompt(access, min(deadline - time.monotonic(), LOGIN_TIMEOUT_S))
                    return access
                except Exception as error:  # the ASA may accept SSH before its AAA is configured
                    reason = f"SSH answers but the login does not reach the CLI prompt yet: {error}"
            # Back off until the next probe; ends at once if the container exits.
            self._logs.ended.wait(max(min(PROBE_INTERVAL_S, deadline - time.monotonic()), 0))

    def _stopped_or(self, reason: str) -> str:
        assert self._logs is not None
        if not self._logs.ended.is_set():
            return reason
        code = self._exit_code()
        status = f" (exit code {code})" if code is not None else ""
        return f"the container stopped{status} before it was ready; {reason}"

    def _exit_code(self) -> int | None:
        try:
            state = self._client.api.inspect_container(self._container_id)["State"]
            return int(state["ExitCode"]) if not state.get("Running") else None
        except Exception:  # already auto-removed: the code is gone with it
            return None

    def _failure_text(self, reason: str, progress: Progress) -> str:
        assert self._logs is not None
        lines = self._logs.tail(LOG_LINES_IN_ERRORS)
        quoted = "\n".join(f"  | {line}" for line in lines) or "  (the container printed nothing)"
        container = (self._container_id or "")[:12]
        return (
            f"target {self.name} (docker, variant {self.entry.variant}) was not ready "
            f"{progress.elapsed_s - self._create_s:.1f} s after its container started "
            f"(boot_timeout {self.entry.boot_timeout:g} s, "
            f"{self._inventory.where(self.name, 'boot_timeout')}): {reason}\n"
            f"last {len(lines)} log lines of container {container}:\n{quoted}"
        )


def _close_socket(sock: Any) -> None:
    for candidate in (sock, getattr(sock, "_sock", None)):
        if candidate is not None:
            with contextlib.suppress(OSError):
                candidate.close()
