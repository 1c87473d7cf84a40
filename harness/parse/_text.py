"""From the text a session hands over to numbered output lines, and the shared line patterns.

A session strips the echo and the trailing prompt, but text pasted from elsewhere may keep
them, so they are removed here too: a leading blank line, the echoed command line, a
trailing prompt line, CRLF line ends and trailing spaces. An error answer
(``ERROR: % Invalid input ...``) is never output: it raises ParseError.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from harness.parse._command import CommandSpec
from harness.parse.errors import ParseError

PROMPT_LINE = re.compile(r"^[\w./-]{1,63}(?:\([\w-]{0,40}\))?[#>]$")
#: The CLI did not accept the command line at all.
SYNTAX_ERROR = re.compile(
    r"^(?:ERROR: )?% ?(?:Invalid input|Incomplete command|Ambiguous command|Unknown command)"
)
#: The command ran and failed.
COMMAND_ERROR = re.compile(r"^(?:ERROR:|%\s?Error)")
#: ``...``: lines elided by whoever published a capture.
ELISION = "..."


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the text as given
    text: str  # without the line end and trailing whitespace

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())

    @property
    def blank(self) -> bool:
        return not self.text


def output_lines(
    text: str, spec: CommandSpec, *, drop_elisions: bool = False, keep_command_errors: bool = False
) -> list[Line]:
    """The command's output lines: frame removed, blank lines inside kept.

    An error answer raises ParseError; ``keep_command_errors`` lets a parser read the
    errors of a command that ran (``%Error writing ...``) as part of its output.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [Line(number, line.rstrip()) for number, line in enumerate(raw, start=1)]
    start, end = 0, len(lines)
    while start < end and lines[start].blank:
        start += 1
    if start < end and spec.is_echo(lines[start].text):
        start += 1
        while start < end and lines[start].blank:
            start += 1
    while end > start and lines[end - 1].blank:
        end -= 1
    if end > start and PROMPT_LINE.match(lines[end - 1].stripped):
        end -= 1
        while end > start and lines[end - 1].blank:
            end -= 1
    kept = lines[start:end]
    for line in kept:
        error = SYNTAX_ERROR.match(line.stripped) or (
            not keep_command_errors and COMMAND_ERROR.match(line.stripped)
        )
        if error:
            raise fail(spec, line, f"the output of '{spec.name}', not an error answer")
    if drop_elisions:
        kept = [line for line in kept if line.stripped != ELISION]
    return kept


def non_blank(lines: Sequence[Line]) -> Iterator[Line]:
    return (line for line in lines if not line.blank)


def fail(spec: CommandSpec, line: Line | None, expected: str) -> ParseError:
    """A ParseError at ``line`` (None: the output ended before ``expected`` came)."""
    if line is None:
        return ParseError(spec.name, 0, "", expected)
    return ParseError(spec.name, line.number, line.text, expected)
