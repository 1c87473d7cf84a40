"""Golden outputs for the parser tests: ``golden/<command>__<profile>[__<variant>].txt``.

Each file starts with ``# `` comment lines naming its source in asa-cli.md (section, key,
tag) and its profile (``9.23``, ``legacy``, or ``any`` when the reference gives one layout
for every release), then ``# ----``; everything after that line is the device output, byte
for byte (trailing spaces included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
SEPARATOR = "# ----\n"
TAGS = re.compile(r"\[(REAL|DOC|TOOL|DERIVED|RECONSTRUCTED)\]")


@dataclass(frozen=True)
class Golden:
    name: str
    header: str
    text: str

    @property
    def command(self) -> str:
        return self.name.split("__")[0].replace("_", " ")

    @property
    def profile(self) -> str:
        return self.name.removesuffix(".txt").split("__")[1]


def golden(name: str) -> Golden:
    raw = (GOLDEN / name).read_text()
    header, separator, text = raw.partition(SEPARATOR)
    if not separator:
        raise AssertionError(f"{name}: no '{SEPARATOR.strip()}' line after the header")
    return Golden(name, header, text)


def golden_names(prefix: str = "") -> list[str]:
    return sorted(path.name for path in GOLDEN.glob(f"{prefix}*.txt"))


def with_terminal_noise(text: str, prompt: str = "asa-lab# ") -> str:
    """The same output as a raw terminal might give it: CRLF, a leading blank line,
    trailing spaces and the prompt that follows."""
    lines = ["", *(line + "  " for line in text.split("\n"))]
    if not any(line.strip().endswith(("#", ">")) for line in lines[-2:]):
        lines.append(prompt)
    return "\r\n".join(lines)
