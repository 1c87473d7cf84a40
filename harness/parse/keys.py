"""``show crypto key mypubkey rsa|ecdsa`` (asa-cli.md section 6.3).

One block per keypair: generation time, name, usage, modulus or key size, optional
storage, then the DER SubjectPublicKeyInfo as hex after ``Key Data:`` and a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import load_der_public_key

from harness.parse._command import CommandSpec
from harness.parse._text import Line, fail, output_lines
from harness.parse._time import DeviceTime, ZoneOffsets, parse_stamp

COMMAND = CommandSpec("show crypto key mypubkey", max_arguments=1, choices=("rsa", "ecdsa"))

GENERATED = re.compile(r"Key pair was generated at:\s+(?P<stamp>\S.*)")
NAME = re.compile(r"Key name:\s+(?P<name>\S.*)")
USAGE = re.compile(r"Usage:\s+(?P<usage>\S.*)")
SIZE = re.compile(r"(?P<which>Modulus|Key) Size \(bits\):\s+(?P<bits>\d+)")
STORAGE = re.compile(r"Storage:\s+(?P<storage>\S.*)")
KEY_DATA = re.compile(r"Key Data:")
HEX = re.compile(r"[0-9A-Fa-f]{1,8}(?: [0-9A-Fa-f]{1,8})*")

_ORDER = ("name", "usage", "size", "storage", "key data")
_PATTERNS = {"name": NAME, "usage": USAGE, "size": SIZE, "storage": STORAGE, "key data": KEY_DATA}
_SHAPES = {
    "name": "'Key name: <label>'",
    "usage": "' Usage: General Purpose Key'",
    "size": "' Modulus Size (bits): <n>' or ' Key Size (bits): <n>'",
    "storage": "' Storage: <where>'",
    "key data": "' Key Data:'",
}


@dataclass(frozen=True)
class KeyPairRecord:
    name: str  # the label as printed, e.g. "<Default-RSA-Key>" or "VPN-RSA"
    generated_at: DeviceTime
    usage: str  # "General Purpose Key"
    size_bits: int  # the printed modulus size (RSA) or key size (ECDSA)
    key_data: bytes  # DER SubjectPublicKeyInfo as printed (short if the capture elided lines)
    storage: str | None = None
    size_label: str = "Modulus"  # "Modulus" or "Key": which size line was printed

    def public_key(self) -> PublicKeyTypes:
        """The key itself; ValueError if the printed data is not a whole SubjectPublicKeyInfo."""
        try:
            return load_der_public_key(self.key_data)
        except ValueError as error:
            raise ValueError(
                f"the key data of {self.name} ({len(self.key_data)} bytes) is not a complete "
                f"SubjectPublicKeyInfo: {error}"
            ) from None

    @property
    def complete(self) -> bool:
        """The key data loads as a public key (a published capture may have elided lines)."""
        try:
            self.public_key()
        except ValueError:
            return False
        return True

    @property
    def key_type(self) -> str:
        """ "RSA" or "ECDSA" from the key data (ValueError when incomplete)."""
        return _type_and_size(self.public_key())[0]

    @property
    def key_bits(self) -> int:
        return _type_and_size(self.public_key())[1]


def _type_and_size(key: PublicKeyTypes) -> tuple[str, int]:
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ECDSA", key.curve.key_size
    return type(key).__name__, 0


@dataclass
class _Draft:
    header: Line
    generated_at: DeviceTime
    values: dict[str, tuple[Line, re.Match[str]]] = field(default_factory=dict)
    position: int = 0  # index in _ORDER of the next field expected
    hex_lines: list[Line] = field(default_factory=list)


def parse_keypairs(text: str, *, zones: ZoneOffsets | None = None) -> list[KeyPairRecord]:
    """Every keypair block; empty output means no keys of that type."""
    drafts: list[_Draft] = []
    for line in output_lines(text, COMMAND, drop_elisions=True):
        if line.blank:
            continue
        generated = GENERATED.fullmatch(line.stripped)
        if generated:
            try:
                moment = parse_stamp(generated["stamp"], zones)
            except ValueError as error:
                raise fail(COMMAND, line, str(error)) from None
            drafts.append(_Draft(line, moment))
            continue
        if not drafts:
            raise fail(COMMAND, line, "'Key pair was generated at: <time>'")
        _add_line(drafts[-1], line)
    return [_record(draft) for draft in drafts]


def _add_line(draft: _Draft, line: Line) -> None:
    if "key data" in draft.values:
        if not HEX.fullmatch(line.stripped):
            raise fail(COMMAND, line, "key data: groups of hexadecimal digits")
        draft.hex_lines.append(line)
        return
    # The fields come in a fixed order; storage is the only optional one.
    for index in range(draft.position, len(_ORDER)):
        name = _ORDER[index]
        match = _PATTERNS[name].fullmatch(line.stripped)
        if match:
            draft.values[name] = (line, match)
            draft.position = index + 1
            return
        if name != "storage":
            raise fail(COMMAND, line, _SHAPES[name])


def _record(draft: _Draft) -> KeyPairRecord:
    missing = [name for name in _ORDER if name != "storage" and name not in draft.values]
    if missing:
        raise fail(
            COMMAND, draft.header, f"{_SHAPES[missing[0]]} in the key block that starts here"
        )
    digits = "".join(line.stripped.replace(" ", "") for line in draft.hex_lines)
    if not digits or len(digits) % 2:
        where = draft.hex_lines[-1] if draft.hex_lines else draft.values["key data"][0]
        raise fail(COMMAND, where, "key data: a whole number of bytes in hexadecimal")
    size_line, size = draft.values["size"]
    record = KeyPairRecord(
        name=draft.values["name"][1]["name"],
        generated_at=draft.generated_at,
        usage=draft.values["usage"][1]["usage"],
        size_bits=int(size["bits"]),
        key_data=bytes.fromhex(digits),
        storage=draft.values["storage"][1]["storage"] if "storage" in draft.values else None,
        size_label=size["which"],
    )
    if record.complete and record.key_bits != record.size_bits:
        raise fail(
            COMMAND, size_line, f"the size of the key in the key data ({record.key_bits} bits)"
        )
    return record
