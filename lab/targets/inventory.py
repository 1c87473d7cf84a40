"""The inventory: a YAML file naming the targets that ``--asa-target`` may choose besides the
built-in ones (docker images, external devices, extra virtual ASAs).

    targets:
      - name: container              # our own virtual-ASA image, built and cached on demand
        kind: docker
      - name: lab-fw                 # a real firewall; secrets come from the environment
        kind: external
        ssh: 192.0.2.1:22
        interfaces: {outside: 192.0.2.1:443}
        username_env: ASA_LAB_USERNAME
        password_env: ASA_LAB_PASSWORD

Every error names the file and the line (the scenario loader's located YAML is reused).
A literal password anywhere in the file is refused: the file names environment variables,
never secrets. The reference is docs/labs.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    ValidationError,
    model_validator,
)

from harness.scenario.yaml_source import Locations, PathKey, YamlError, load_located
from lab.targets.base import TargetStartError

Profile = Literal["9.23", "legacy"]

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
_SECRET_WORDS = re.compile(r"PASS|SECRET|TOKEN|KEY", re.IGNORECASE)
_SECRET_ARGUMENT = re.compile(r"^--?[\w-]*(pass|secret|token)", re.IGNORECASE)

#: Keys that would hold a credential literally; each gets the ``*_env`` key to use instead.
LITERAL_CREDENTIAL_KEYS = {
    "username": "username_env",
    "password": "password_env",
    "passwd": "password_env",
    "secret": "password_env",
    "enable_password": "enable_password_env",
    "enable_secret": "enable_password_env",
    "enable": "enable_password_env",
}


class InventoryError(TargetStartError):
    """The inventory file is wrong; the message names file:line and quotes the line."""


def _env_name(value: str) -> str:
    if not _ENV_NAME.match(value):
        raise ValueError(
            "names an environment variable (letters, digits, underscores; e.g. ASA_LAB_PASSWORD), "
            "not the secret itself"
        )
    return value


EnvName = Annotated[str, AfterValidator(_env_name)]


def _host_port(value: str) -> str:
    host, colon, port = value.rpartition(":")
    if not colon or not host.strip("[]") or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("expected HOST:PORT, e.g. 192.0.2.1:443 or [2001:db8::1]:22")
    return value


HostPort = Annotated[str, AfterValidator(_host_port)]
Port = Annotated[int, Field(ge=0, le=65535)]


def split_host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host.strip("[]"), int(port)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=_TARGET_NAME.pattern)]
    username_env: EnvName | None = None
    password_env: EnvName | None = None
    enable_password_env: EnvName | None = None
    tags: list[str] = Field(default_factory=list)

    @property
    def has_credentials(self) -> bool:
        return self.username_env is not None or self.password_env is not None


class EmulatorEntry(_Entry):
    """An extra in-process virtual ASA (like ``embedded``) with a chosen output profile."""

    kind: Literal["emulator"]
    profile: Profile = "9.23"

    @model_validator(mode="after")
    def _no_credentials(self) -> EmulatorEntry:
        if self.has_credentials or self.enable_password_env:
            raise ValueError(
                "an emulator target generates its own credentials; remove the *_env keys"
            )
        return self


class DockerEntry(_Entry):
    """A container on this host, host networking; ports are the container's (= the host's)."""

    kind: Literal["docker"]
    variant: Literal["virtual-asa", "asav"] = "virtual-asa"
    image: str | None = None
    ssh_port: Port = 0
    interfaces: dict[str, Port] = Field(default_factory=lambda: {"outside": 0, "inside": 0})
    boot_timeout: Annotated[float, Field(gt=0)] = 120.0
    profile: Profile = "9.23"
    env: dict[str, str] = Field(default_factory=dict)
    env_from: dict[str, EnvName] = Field(default_factory=dict)
    command: list[str] | None = None
    privileged: bool = False

    @model_validator(mode="after")
    def _variant_rules(self) -> DockerEntry:
        if self.variant == "asav":
            if self.image is None:
                raise ValueError("variant asav needs image: the ASAv container image you built")
            if self.ssh_port == 0 or 0 in self.interfaces.values():
                raise ValueError(
                    "variant asav needs fixed ports: ssh_port and every interfaces port are the "
                    "ports the image listens on (port 0 is only for the virtual-asa variant)"
                )
            if self.username_env is None or self.password_env is None:
                raise ValueError(
                    "variant asav needs username_env and password_env: the environment variables "
                    "holding the login that the image configures"
                )
        elif self.command is not None:
            raise ValueError("command is only for variant asav (the virtual-asa image has its own)")
        if self.variant == "virtual-asa" and (self.username_env is None) != (
            self.password_env is None
        ):
            raise ValueError(
                "give both username_env and password_env, or neither (generated per container)"
            )
        return self


class ExternalEntry(_Entry):
    """A device that already runs: a real ASA, or a separately started ``asa-harness emulator``."""

    kind: Literal["external"]
    ssh: HostPort
    interfaces: dict[str, HostPort] = Field(default_factory=dict)
    profile: Profile = "9.23"
    shared: bool = True
    connect_timeout: Annotated[float, Field(gt=0)] = 15.0

    @model_validator(mode="after")
    def _needs_credentials(self) -> ExternalEntry:
        if self.username_env is None or self.password_env is None:
            raise ValueError(
                "an external target needs username_env and password_env "
                "(names of environment variables)"
            )
        return self


TargetEntry = Annotated[EmulatorEntry | DockerEntry | ExternalEntry, Discriminator("kind")]


class InventoryDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    targets: list[TargetEntry]


@dataclass(frozen=True)
class Inventory:
    path: Path
    entries: dict[str, EmulatorEntry | DockerEntry | ExternalEntry]
    locations: Locations
    indexes: dict[str, int]

    def get(self, name: str) -> EmulatorEntry | DockerEntry | ExternalEntry | None:
        return self.entries.get(name)

    def where(self, name: str, key: str | None = None) -> str:
        """``file:line`` of a target (or of one of its keys), for messages."""
        path: PathKey = ("targets", self.indexes[name]) + ((key,) if key else ())
        location = self.locations.find(path)
        return str(location) if location is not None else str(self.path)


def load_inventory(path: Path, *, reserved: tuple[str, ...] = ()) -> Inventory:
    """Read and validate an inventory; ``reserved`` names (built-in targets) may not be reused."""
    try:
        data, locations = load_located(path)
    except YamlError as error:
        raise InventoryError(f"inventory {error}") from error
    problems = _literal_secrets(data, path, locations)
    if not problems:
        try:
            document = InventoryDocument.model_validate(data)
        except ValidationError as error:
            problems = [
                _describe(problem, path, locations) for problem in error.errors(include_url=False)
            ]
        else:
            entries: dict[str, EmulatorEntry | DockerEntry | ExternalEntry] = {}
            indexes: dict[str, int] = {}
            for index, entry in enumerate(document.targets):
                where: PathKey = ("targets", index, "name")
                if entry.name in reserved:
                    problems.append(
                        _located(
                            path, locations, where, f"{entry.name!r} is a built-in target name"
                        )
                    )
                elif entry.name in entries:
                    problems.append(
                        _located(path, locations, where, f"duplicate target name {entry.name!r}")
                    )
                entries[entry.name] = entry
                indexes.setdefault(entry.name, index)
            if not problems:
                return Inventory(path, entries, locations, indexes)
    count = len(problems)
    heading = f"inventory {path}: {count} problem{'s' if count != 1 else ''}"
    raise InventoryError(heading + "\n" + "\n".join(problems))


def _literal_secrets(data: Any, path: Path, locations: Locations) -> list[str]:
    """Refuse credentials written into the file, before schema validation, with the fix."""
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        return []
    problems: list[str] = []
    for index, target in enumerate(data["targets"]):
        if not isinstance(target, dict):
            continue
        for key, use in LITERAL_CREDENTIAL_KEYS.items():
            if key in target:
                problems.append(
                    _located(
                        path,
                        locations,
                        ("targets", index, key),
                        f"credentials are never written in an inventory: put the value in an "
                        f"environment variable and name it with {use}: (e.g. {use}: ASA_LAB_"
                        f"{use.removesuffix('_env').upper()})",
                    )
                )
        command = target.get("command")
        if isinstance(command, list):
            for position, argument in enumerate(command):
                if isinstance(argument, str) and _SECRET_ARGUMENT.search(argument):
                    problems.append(
                        _located(
                            path,
                            locations,
                            ("targets", index, "command", position),
                            "a password on the container's command line would be a literal secret "
                            "in this file: keep the image's configured login and name it with "
                            "username_env/password_env, or pass it with env_from to an image "
                            "that reads it from its environment",
                        )
                    )
        env = target.get("env")
        if isinstance(env, dict):
            for variable in env:
                if isinstance(variable, str) and _SECRET_WORDS.search(variable):
                    problems.append(
                        _located(
                            path,
                            locations,
                            ("targets", index, "env", variable),
                            f"{variable} looks like a secret and must not be written "
                            f"literally: use env_from: {{{variable}: HOST_VARIABLE}} to copy it "
                            "from this machine's environment",
                        )
                    )
    return problems


def _describe(problem: Any, path: Path, locations: Locations) -> str:
    loc = tuple(problem["loc"])
    # pydantic puts the union tag (the kind) into the location: targets.0.docker.image
    where: PathKey = tuple(
        part
        for i, part in enumerate(loc)
        if not (i == 2 and part in ("emulator", "docker", "external"))
    )
    kind = problem["type"]
    message = str(problem["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        message = f"unknown key {where[-1]!r}; check the spelling (docs/labs.md lists every key)"
    elif kind == "missing":
        message = f"missing required key {where[-1]!r}"
    elif kind == "union_tag_invalid":
        where = (*where, "kind")
        message = "kind must be one of: docker, external, emulator"
    elif kind == "union_tag_not_found":
        message = "missing required key 'kind' (docker, external or emulator)"
    elif "input" in problem and kind not in ("model_type", "dict_type", "value_error"):
        message = f"{message} (got {problem['input']!r})"
    return _located(path, locations, where, message)


def _dotted(where: PathKey) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _may_hold_secret(where: PathKey) -> bool:
    """Lines that may carry a secret (credential keys, ``*_env`` values, ``env``) are not quoted."""
    return any(
        isinstance(part, str)
        and (
            part in LITERAL_CREDENTIAL_KEYS
            or part.endswith("_env")
            or part in ("env", "env_from", "command")
        )
        for part in where
    )


def _located(path: Path, locations: Locations, where: PathKey, message: str) -> str:
    location = locations.find(where)
    if location is None:
        return f"{path}: {_dotted(where)}: {message}"
    text = f"{location.file}:{location.line}: {_dotted(where)}: {message}"
    if _may_hold_secret(where):
        return text
    return f"{text}\n  {location.line:>4} | {locations.source_line(location)}"
