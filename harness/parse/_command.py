"""Which command a typed line is: keywords abbreviated as the ASA allows (``sh cry ca cert``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: A prompt in front of an echoed command: ``asa-lab#``, ``asa-lab(config)#``, ``asa/pri/act>``.
PROMPT_PREFIX = re.compile(r"^[\w./-]{1,63}(?:\([\w-]{0,40}\))?[#>]\s*")


@dataclass(frozen=True)
class CommandSpec:
    """One show command: its keywords, then how many argument words may follow.

    ``max_arguments`` None means any number; ``choices`` restricts the first argument to
    these keywords (abbreviations allowed).
    """

    name: str
    max_arguments: int | None = 0
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(form.split()) for form in (self.name, *self.aliases))

    def match(self, words: Sequence[str]) -> int | None:
        """How many keywords ``words`` matched (its specificity); None: not this command."""
        best: int | None = None
        for form in self.forms:
            if len(words) < len(form):
                continue
            if not all(
                _abbreviates(word, keyword) for word, keyword in zip(words, form, strict=False)
            ):
                continue
            arguments = words[len(form) :]
            if self.max_arguments is not None and len(arguments) > self.max_arguments:
                continue
            if (
                arguments
                and self.choices
                and not any(_abbreviates(arguments[0], c) for c in self.choices)
            ):
                continue
            best = max(best or 0, len(form))
        return best

    def is_echo(self, line: str) -> bool:
        """``line`` is this command echoed by the terminal (with or without the prompt)."""
        words = PROMPT_PREFIX.sub("", line.strip(), count=1).split()
        return bool(words) and self.match(words) is not None


def _abbreviates(word: str, keyword: str) -> bool:
    return bool(word) and keyword.lower().startswith(word.lower())
