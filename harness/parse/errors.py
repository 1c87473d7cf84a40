"""What the parsers raise: the text is not the output of the command, or no parser exists."""

from __future__ import annotations

from harness.errors import HarnessError


class ParseError(HarnessError, ValueError):
    """``text`` is not what ``command`` prints.

    ``line_number`` is 1-based in the text as given (0 when the text ended too early or
    was empty), ``line`` is that line as printed, ``expected`` says what would have fitted.
    """

    def __init__(self, command: str, line_number: int, line: str, expected: str) -> None:
        super().__init__(command, line_number, line, expected)
        self.command = command
        self.line_number = line_number
        self.line = line
        self.expected = expected

    def __str__(self) -> str:
        if self.line_number == 0:
            return f"{self.command}: the output ended too early: expected {self.expected}"
        return f"{self.command}: line {self.line_number}: {self.line!r}: expected {self.expected}"

    def for_command(self, command: str) -> ParseError:
        """The same error, naming the command as the caller typed it."""
        return ParseError(command, self.line_number, self.line, self.expected)


class UnsupportedCommandError(HarnessError, LookupError):
    """No parser exists for this command line, or its output cannot be parsed (``| include``)."""
