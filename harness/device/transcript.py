"""A record of what was typed and what the device answered, with secrets removed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PEM_KEY = re.compile(
    r"-----BEGIN ([A-Z ]*PRIVATE KEY|PKCS12)-----.*?(-----END \1-----|$)", re.DOTALL
)
_PKCS12_COMMAND = re.compile(r"(crypto ca (?:import|export) \S+ pkcs12 )(\S+)", re.IGNORECASE)
_USER_PASSWORD = re.compile(r"(username \S+ password )(\S+)", re.IGNORECASE)


def redact(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """Remove known secret values, private keys, PKCS#12 blobs and inline passwords."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "<redacted>")
    text = _PEM_KEY.sub(
        lambda m: f"-----BEGIN {m.group(1)}-----\n<redacted>\n-----END {m.group(1)}-----", text
    )
    text = _PKCS12_COMMAND.sub(r"\1<redacted>", text)
    return _USER_PASSWORD.sub(r"\1<redacted>", text)


@dataclass
class TranscriptEntry:
    sent: str
    received: str
    failed: bool = False


@dataclass
class Transcript:
    """Inputs and outputs of one device session; text is redacted when it is recorded."""

    secrets: list[str] = field(default_factory=list)
    entries: list[TranscriptEntry] = field(default_factory=list)

    def record(self, sent: str, received: str, *, failed: bool = False) -> None:
        self.entries.append(
            TranscriptEntry(redact(sent, self.secrets), redact(received, self.secrets), failed)
        )

    def mark(self) -> int:
        return len(self.entries)

    def text(self, start: int = 0, prompt: str = "") -> str:
        lines: list[str] = []
        for entry in self.entries[start:]:
            lines.append(f"{prompt}{entry.sent}")
            if entry.received:
                lines.append(entry.received.rstrip("\n"))
        return "\n".join(lines)
