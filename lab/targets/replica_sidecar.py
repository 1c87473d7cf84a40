"""The sidecar file of a ``replica:PATH`` target: which PKCS#12 file holds each trustpoint's
key, and which environment variable holds their passphrase (docs/replica.md).

    # running-config.replica.yaml, next to running-config.txt
    pkcs12:
      VPN-TRUSTPOINT: keys/vpn.p12        # relative to this file
    passphrase_env: REPLICA_P12_PASSPHRASE
    profile: "9.23"

A passphrase written into the file is refused: the file names a variable, never a secret.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.scenario.yaml_source import YamlError, load_located
from lab.targets.base import TargetStartError

SIDECAR_SUFFIX = ".replica.yaml"
_LITERAL_SECRETS = ("passphrase", "password", "secret")


class SidecarError(TargetStartError):
    """The sidecar file is wrong; the message names the file (and the line)."""


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pkcs12: dict[str, str] | None = None
    passphrase_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    profile: Literal["9.23", "legacy"] = "9.23"


@dataclass(frozen=True)
class ReplicaSidecar:
    path: Path | None  # None: no sidecar file
    pkcs12: dict[str, Path]
    passphrase_env: str | None
    profile: Literal["9.23", "legacy"]

    def passphrase(self) -> bytes | None:
        if self.passphrase_env is None:
            return None
        value = os.environ.get(self.passphrase_env)
        if value is None:
            raise SidecarError(
                f"{self.path}: passphrase_env names {self.passphrase_env}, which is not set "
                "in the environment"
            )
        return value.encode()


def sidecar_path(config: Path) -> Path:
    """``running-config.txt`` -> ``running-config.replica.yaml`` (same folder)."""
    return config.with_name(config.stem + SIDECAR_SUFFIX)


def _refuse_literals(data: Any, path: Path) -> None:
    if isinstance(data, dict):
        for key in data:
            if isinstance(key, str) and key.lower() in _LITERAL_SECRETS:
                raise SidecarError(
                    f"{path}: {key!r}: a passphrase is never written in the sidecar; put it in "
                    "an environment variable and name it with passphrase_env:"
                )


def load_sidecar(config: Path) -> ReplicaSidecar:
    path = sidecar_path(config)
    if not path.exists():
        return ReplicaSidecar(None, {}, None, "9.23")
    try:
        data, locations = load_located(path)
    except YamlError as error:
        raise SidecarError(f"replica sidecar {error}") from error
    _refuse_literals(data, path)
    try:
        document = _Document.model_validate(data or {})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = tuple(first["loc"])
        location = locations.find(where)
        place = str(location) if location is not None else str(path)
        dotted = ".".join(str(p) for p in where) or "(top level)"
        raise SidecarError(f"{place}: {dotted}: {first['msg']}") from None
    files = {tp: (path.parent / file) for tp, file in (document.pkcs12 or {}).items()}
    return ReplicaSidecar(path, files, document.passphrase_env, document.profile)
