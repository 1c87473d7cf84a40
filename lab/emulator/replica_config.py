"""A configuration saved from another ASA, made ready to replay into a virtual ASA.

* :func:`saved_config_text` blanks what is not configuration in a terminal capture (the
  prompt line with ``show running-config`` / ``more system:running-config``, a trailing
  prompt), keeping line numbers, so every report points at the user's file.
* :func:`redact_secrets` masks clear-text secrets (``more system:running-config`` prints
  pre-shared keys, RADIUS keys, SNMP communities in clear) as ``*****``, as
  ``show running-config`` does; hashes (``pbkdf2``, ``encrypted``) and ``*****`` are kept.
* :func:`prepare_interfaces` gives the device exactly the interfaces the configuration
  names (a production box has other hardware than the virtual one).
* :func:`replay_foreign_config` does both, then replays keeping unmodelled lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lab.emulator.device import Device, Interface
from lab.emulator.replay import ReplayProblem, replay_config

MASK = "*****"

_INTERFACE = re.compile(r"^interface\s+(\S+)\s*$")
_PROMPT = r"[\w./-]{1,63}(\([\w-]{0,40}\))?[#>]"
_ECHOED_COMMAND = re.compile(rf"{_PROMPT}\s*(show|sh|more|write|wr)\b.*")
_BARE_PROMPT = re.compile(rf"{_PROMPT}\s*")

#: The token after one of these words is a secret (unless it is masked or a hash).
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "key",
        "pre-shared-key",
        "ldap-login-password",
        "radius-common-pw",
        "secret",
        "community",
        "server-secret",
        "shared-secret",
    }
)
#: Digest-algorithm words followed by a secret, only in lines of these kinds.
_DIGEST_WORDS = frozenset({"md5", "sha", "sha256", "sha384", "sha512"})
_DIGEST_CONTEXTS = ("authentication-key", "message-digest-key", "snmp-server")
_HASH_FORMS = frozenset({"encrypted", "pbkdf2", "nt-encrypted", "hashed"})
_PRIV_ALGORITHMS = frozenset({"des", "3des", "aes"})


@dataclass(frozen=True)
class RedactedConfig:
    text: str
    masked_lines: tuple[int, ...]  # 1-based numbers of the lines where a secret was masked


def saved_config_text(text: str) -> str:
    """The configuration with capture-only lines blanked (line numbers unchanged)."""
    lines = text.splitlines()
    printed = [index for index, line in enumerate(lines) if line.strip()]
    if printed and _ECHOED_COMMAND.fullmatch(lines[printed[0]].strip()):
        lines[printed[0]] = ""
    if printed and _BARE_PROMPT.fullmatch(lines[printed[-1]].strip()):
        lines[printed[-1]] = ""
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _is_hash_or_mask(tokens: list[str], index: int) -> bool:
    token = tokens[index]
    if set(token) == {"*"} or token.startswith(("$sha512$", "$sha256$")):
        return True
    following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
    return following in _HASH_FORMS


def redact_line(line: str) -> str:
    """``line`` with every clear-text secret replaced by ``*****``."""
    indent = line[: len(line) - len(line.lstrip())]
    tokens = line.split()
    lowered = [t.lower() for t in tokens]
    digest_context = any(context in line.lower() for context in _DIGEST_CONTEXTS)
    secret_positions: list[int] = []
    for index, word in enumerate(lowered[:-1]):
        if word in _SECRET_WORDS or (digest_context and word in _DIGEST_WORDS):
            secret_positions.append(index + 1)
        elif word == "priv" and index + 2 < len(tokens) and lowered[index + 1] in _PRIV_ALGORITHMS:
            size = 1 if index + 3 < len(tokens) and lowered[index + 2].isdigit() else 0
            secret_positions.append(index + 2 + size)
    changed = False
    for position in secret_positions:
        if position < len(tokens) and not _is_hash_or_mask(tokens, position):
            tokens[position] = MASK
            changed = True
    return indent + " ".join(tokens) if changed else line


def redact_secrets(text: str) -> RedactedConfig:
    lines = text.splitlines()
    masked: list[int] = []
    for number, line in enumerate(lines, start=1):
        redacted = redact_line(line)
        if redacted != line:
            lines[number - 1] = redacted
            masked.append(number)
    ending = "\n" if text.endswith("\n") else ""
    return RedactedConfig("\n".join(lines) + ending, tuple(masked))


def interfaces_named(text: str) -> list[str]:
    """The hardware names of the ``interface X`` blocks, in configuration order."""
    names: list[str] = []
    for line in text.splitlines():
        match = _INTERFACE.match(line)
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def prepare_interfaces(device: Device, text: str) -> None:
    """The device gets exactly the interfaces ``text`` names (when it names any)."""
    names = interfaces_named(text)
    if not names:
        return
    device.interfaces = {name: device.interfaces.get(name) or Interface(name) for name in names}


async def replay_foreign_config(device: Device, text: str) -> list[ReplayProblem]:
    """Replay a configuration from another device: its interfaces, unmodelled lines kept."""
    prepare_interfaces(device, text)
    return await replay_config(device, text, keep_unmodelled=True)
