"""``write memory`` (asa-cli.md section 13.3)::

    Building configuration...
    Cryptochecksum: 6f1d2c3b 4a596877 8695a4b3 c2d1e0f9

    7180 bytes copied in 0.150 secs
    [OK]

Older releases add a rate (``(6854 bytes/sec)``). A failure line (``%Error ...``) is
reported in the result (``ok`` False), not raised: it is the command's own answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.parse._command import CommandSpec
from harness.parse._text import fail, non_blank, output_lines

COMMAND = CommandSpec("write memory")

BUILDING = re.compile(r"Building configuration\.\.\.")
CHECKSUM = re.compile(r"Cryptochecksum:\s*(?P<digest>[0-9a-fA-F]{8}(?: ?[0-9a-fA-F]{8}){3})")
COPIED = re.compile(
    r"(?P<bytes>\d+) bytes copied in (?P<seconds>\d+(?:\.\d+)?) secs"
    r"(?: \((?P<rate>\d+) bytes/sec\))?"
)
OK = re.compile(r"\[OK\]")
FAILURE = re.compile(r"(?:ERROR:|%\s?Error).*")
MESSAGE = re.compile(r"(?:INFO|WARNING): .*")
LINE_TEXT = (
    "'Cryptochecksum: ...', '<n> bytes copied in <s> secs', '[OK]' (each once), or a message"
)


@dataclass(frozen=True)
class WriteMemoryResult:
    ok: bool  # ``[OK]`` printed and no error line
    checksum: str | None = None  # 32 lower-case hex digits, groups joined
    bytes_written: int | None = None
    seconds: float | None = None
    error: str | None = None  # the first error line, when the write failed
    messages: tuple[str, ...] = ()  # INFO / WARNING lines


def parse_write_memory(text: str) -> WriteMemoryResult:
    printed = list(non_blank(output_lines(text, COMMAND, keep_command_errors=True)))
    building = bool(printed) and BUILDING.fullmatch(printed[0].stripped) is not None
    if not printed or (not building and not FAILURE.fullmatch(printed[0].stripped)):
        raise fail(
            COMMAND, printed[0] if printed else None, "'Building configuration...' or an error line"
        )
    checksum: str | None = None
    copied: re.Match[str] | None = None
    ok = False
    errors: list[str] = []
    messages: list[str] = []
    for line in printed[1:] if building else printed:
        stripped = line.stripped
        checksum_match = CHECKSUM.fullmatch(stripped)
        copied_match = COPIED.fullmatch(stripped)
        if checksum_match and checksum is None:
            checksum = checksum_match["digest"].replace(" ", "").lower()
        elif copied_match and copied is None:
            copied = copied_match
        elif OK.fullmatch(stripped) and not ok:
            ok = True
        elif FAILURE.fullmatch(stripped):
            errors.append(stripped)
        elif MESSAGE.fullmatch(stripped):
            messages.append(stripped)
        else:
            raise fail(COMMAND, line, LINE_TEXT)
    return WriteMemoryResult(
        ok=ok and not errors,
        checksum=checksum,
        bytes_written=int(copied["bytes"]) if copied else None,
        seconds=float(copied["seconds"]) if copied else None,
        error=errors[0] if errors else None,
        messages=tuple(messages),
    )
