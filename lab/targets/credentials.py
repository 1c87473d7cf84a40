"""Login credentials: read from the environment variables an inventory names, or generated.

Secrets never appear in a repr, a message or a report: errors name the variable, not its value.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from lab.targets.base import TargetStartError
from lab.targets.inventory import DockerEntry, ExternalEntry, Inventory


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)
    enable_password: str = field(repr=False)

    @classmethod
    def generate(cls, username: str = "admin") -> Credentials:
        return cls(username, secrets.token_urlsafe(16), secrets.token_urlsafe(16))


def _read(
    variable: str,
    key: str,
    entry: DockerEntry | ExternalEntry,
    inventory: Inventory,
    environ: Mapping[str, str],
) -> str:
    value = environ.get(variable, "")
    if not value:
        state = "is empty" if variable in environ else "is not set"
        raise TargetStartError(
            f"target {entry.name}: environment variable {variable} ({key} at "
            f"{inventory.where(entry.name, key)}) {state}; export it before the run"
        )
    return value


def credentials_from_env(
    entry: DockerEntry | ExternalEntry,
    inventory: Inventory,
    environ: Mapping[str, str] | None = None,
) -> Credentials:
    """The login named by ``username_env``/``password_env``/``enable_password_env``.

    Without ``enable_password_env`` the enable password is the login password (an ASA with
    ``aaa authentication enable console LOCAL``).
    """
    env = os.environ if environ is None else environ
    if entry.username_env is None or entry.password_env is None:
        raise TargetStartError(f"target {entry.name}: username_env and password_env are required")
    username = _read(entry.username_env, "username_env", entry, inventory, env)
    password = _read(entry.password_env, "password_env", entry, inventory, env)
    enable = password
    if entry.enable_password_env is not None:
        enable = _read(entry.enable_password_env, "enable_password_env", entry, inventory, env)
    return Credentials(username, password, enable)


def copied_environment(
    entry: DockerEntry, inventory: Inventory, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The container's ``env_from`` variables, taken from this machine's environment."""
    env = os.environ if environ is None else environ
    copied: dict[str, str] = {}
    for inside, outside in entry.env_from.items():
        if outside not in env:
            raise TargetStartError(
                f"target {entry.name}: environment variable {outside} (env_from.{inside} at "
                f"{inventory.where(entry.name, 'env_from')}) is not set; export it before the run"
            )
        copied[inside] = env[outside]
    return copied
