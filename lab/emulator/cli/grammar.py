"""Command patterns, and matching typed lines against them the way an ASA does.

A pattern is a string such as::

    crypto key generate rsa [label <label>] modulus <bits:1024|2048|3072|4096> [noconfirm]

* ``word``            a keyword; may be abbreviated to any unique prefix
* ``<name>``          one argument token (double quotes group spaces)
* ``<name:int>``      an integer; ``<name:int:1-65535>`` within a range
* ``<name:a|b|c>``    one of the listed keywords (numbers must be typed in full)
* ``<name...>``       the rest of the line, verbatim (must come last)
* ``[ ... ]``         optional; ``( a | b )`` one of several sequences

All patterns of a mode are matched in lock-step, token by token, so that an
abbreviation is resolved against every keyword possible at that position, as
the ASA does ("sh c" is ambiguous because of ``show clock``/``show crypto``...).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Handler = TypeVar("Handler")


@dataclass(frozen=True)
class Keyword:
    word: str


@dataclass(frozen=True)
class Argument:
    name: str
    choices: tuple[str, ...] = ()
    integer: bool = False
    low: int | None = None
    high: int | None = None

    def accepts(self, token: str) -> bool:
        if self.integer:
            if not re.fullmatch(r"-?\d+", token):
                return False
            value = int(token)
            return (self.low is None or value >= self.low) and (
                self.high is None or value <= self.high
            )
        return True


@dataclass(frozen=True)
class Rest:
    name: str


Element = Keyword | Argument | Rest


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    quoted: bool = False


def tokenize(line: str) -> list[Token]:
    """Split on blanks; a double-quoted run is one token (without its quotes)."""
    tokens: list[Token] = []
    for found in re.finditer(r'"([^"]*)"?|(\S+)', line):
        if found.group(2) is not None:
            tokens.append(Token(found.group(2), found.start()))
        else:
            tokens.append(Token(found.group(1), found.start(), quoted=True))
    return tokens


# ---------------------------------------------------------------- pattern compiler


def _lex(pattern: str) -> list[str]:
    return re.findall(r"<[^>]+>|[\[\]()|]|[^\s\[\]()|<>]+", pattern)


def _parse_alternatives(items: list[str], pos: int) -> tuple[list[list[object]], int]:
    sequences: list[list[object]] = [[]]
    while pos < len(items):
        item = items[pos]
        if item in ("]", ")"):
            return sequences, pos
        if item == "|":
            sequences.append([])
            pos += 1
            continue
        if item in ("[", "("):
            inner, pos = _parse_alternatives(items, pos + 1)
            closing = "]" if item == "[" else ")"
            if pos >= len(items) or items[pos] != closing:
                raise ValueError(f"unbalanced {item!r} in pattern")
            sequences[-1].append(("optional" if item == "[" else "group", inner))
            pos += 1
            continue
        sequences[-1].append(_element(item))
        pos += 1
    return sequences, pos


def _element(item: str) -> Element:
    if not item.startswith("<"):
        return Keyword(item.lower())
    body = item[1:-1]
    if body.endswith("..."):
        return Rest(body[:-3])
    name, _, spec = body.partition(":")
    if not spec:
        return Argument(name)
    if spec.startswith("int"):
        low = high = None
        if spec.startswith("int:"):
            bounds = re.fullmatch(r"(-?\d+)-(-?\d+)", spec[4:])
            if bounds is None:
                raise ValueError(f"bad integer range in {item!r}")
            low, high = int(bounds.group(1)), int(bounds.group(2))
        return Argument(name, integer=True, low=low, high=high)
    return Argument(name, choices=tuple(c.lower() for c in spec.split("|")))


def _expand(sequence: list[object]) -> list[tuple[Element, ...]]:
    options: list[list[tuple[Element, ...]]] = []
    for item in sequence:
        if isinstance(item, tuple):
            kind, alternatives = item
            expanded = [v for alt in alternatives for v in _expand(alt)]
            options.append(([()] if kind == "optional" else []) + expanded)
        else:
            options.append([(item,)])  # type: ignore[list-item]
    return [tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*options)]


def compile_pattern(pattern: str) -> list[tuple[Element, ...]]:
    """Every linear variant of a pattern (optional parts expanded)."""
    items = _lex(pattern)
    sequences, pos = _parse_alternatives(items, 0)
    if pos != len(items):
        raise ValueError(f"unbalanced {items[pos]!r} in pattern {pattern!r}")
    variants = [v for seq in sequences for v in _expand(seq)]
    for variant in variants:
        for element in variant[:-1]:
            if isinstance(element, Rest):
                raise ValueError(f"<{element.name}...> must be last in {pattern!r}")
    return variants


# ---------------------------------------------------------------- matching


@dataclass
class Match:
    """The arguments and keywords of a matched line."""

    pattern: str
    args: dict[str, str] = field(default_factory=dict)
    keywords: set[str] = field(default_factory=set)
    line: str = ""

    def has(self, keyword: str) -> bool:
        return keyword in self.keywords

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.args.get(name, default)

    def present(self, *names: str) -> list[str]:
        """The values of those (optional) arguments that were typed, in the order named."""
        return [self.args[name] for name in names if self.args.get(name)]

    def __getitem__(self, name: str) -> str:
        return self.args[name]


@dataclass(frozen=True)
class InvalidInput:
    """The line is wrong at ``column`` (offset of the offending token in the line)."""

    column: int


@dataclass(frozen=True)
class IncompleteCommand:
    pass


@dataclass(frozen=True)
class AmbiguousCommand:
    column: int


MatchError = InvalidInput | IncompleteCommand | AmbiguousCommand


@dataclass
class _Command(Generic[Handler]):
    pattern: str
    variants: list[tuple[Element, ...]]
    handler: Handler
    hidden: bool = False


@dataclass
class _State:
    command_index: int
    variant: tuple[Element, ...]
    args: dict[str, str]
    keywords: set[str]


class Grammar(Generic[Handler]):
    """All command patterns of one CLI mode."""

    def __init__(self) -> None:
        self._commands: list[_Command[Handler]] = []

    def add(self, pattern: str, handler: Handler, *, hidden: bool = False) -> None:
        """``hidden`` patterns match but are never offered by ``?`` help."""
        self._commands.append(_Command(pattern, compile_pattern(pattern), handler, hidden))

    def __len__(self) -> int:
        return len(self._commands)

    def patterns(self) -> Iterator[str]:
        return (c.pattern for c in self._commands)

    def match(self, line: str) -> tuple[Match, Handler] | MatchError:
        tokens = tokenize(line)
        if not tokens:
            return IncompleteCommand()
        states = [
            _State(i, variant, {}, set())
            for i, command in enumerate(self._commands)
            for variant in command.variants
        ]
        finished: list[_State] = []
        for index, token in enumerate(tokens):
            expected = self._keywords_at(states, index)
            resolved = _resolve(token, expected)
            if resolved is _AMBIGUOUS and not any(
                _takes_free_argument(s.variant, index) for s in states
            ):
                return AmbiguousCommand(token.start)
            survivors: list[_State] = []
            for state in states:
                if index >= len(state.variant):
                    continue
                element = state.variant[index]
                if isinstance(element, Rest):
                    args = dict(state.args)
                    args[element.name] = line[token.start :].strip()
                    finished.append(
                        _State(state.command_index, state.variant, args, state.keywords)
                    )
                    continue
                advanced = _advance(state, element, token, resolved)
                if advanced is not None:
                    survivors.append(advanced)
            states = survivors
            if not states and not finished:
                return InvalidInput(token.start)
            if not states:
                break
        complete = finished or [s for s in states if len(s.variant) == len(tokens)]
        if not complete:
            if states:
                return IncompleteCommand()
            return InvalidInput(tokens[-1].start)
        best = min(complete, key=lambda s: s.command_index)
        command = self._commands[best.command_index]
        return Match(command.pattern, best.args, best.keywords, line), command.handler

    def completions(self, line: str) -> list[str]:
        """Keywords or argument names that may follow ``line`` (for ``?`` help)."""
        tokens = tokenize(line)
        states = [
            _State(i, v, {}, set())
            for i, c in enumerate(self._commands)
            if not c.hidden
            for v in c.variants
        ]
        for index, token in enumerate(tokens):
            resolved = _resolve(token, self._keywords_at(states, index))
            states = [
                advanced
                for s in states
                if index < len(s.variant) and not isinstance(s.variant[index], Rest)
                for advanced in [_advance(s, s.variant[index], token, resolved)]
                if advanced is not None
            ]
        position = len(tokens)
        words: list[str] = []
        for state in states:
            if position < len(state.variant):
                element = state.variant[position]
                if isinstance(element, Keyword):
                    label = element.word
                elif isinstance(element, Argument) and element.choices:
                    label = "|".join(element.choices)
                else:
                    label = f"<{element.name}>"
                words.append(label)
            elif position == len(state.variant):
                words.append("<cr>")
        return sorted(set(words), key=lambda w: (w == "<cr>", w))

    def _keywords_at(self, states: Sequence[_State], index: int) -> set[str]:
        words: set[str] = set()
        for state in states:
            if index < len(state.variant):
                element = state.variant[index]
                if isinstance(element, Keyword):
                    words.add(element.word)
                elif isinstance(element, Argument) and element.choices:
                    words.update(c for c in element.choices if not c.isdigit())
        return words


class _Ambiguous:
    pass


_AMBIGUOUS = _Ambiguous()


def _resolve(token: Token, keywords: set[str]) -> str | _Ambiguous | None:
    if token.quoted:
        return None
    word = token.text.lower()
    if word in keywords:
        return word
    prefixed = [k for k in keywords if k.startswith(word)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        return _AMBIGUOUS
    return None


def _takes_free_argument(variant: tuple[Element, ...], index: int) -> bool:
    if index >= len(variant):
        return False
    element = variant[index]
    return isinstance(element, Rest) or (isinstance(element, Argument) and not element.choices)


def _advance(
    state: _State, element: Element, token: Token, resolved: str | _Ambiguous | None
) -> _State | None:
    if isinstance(element, Keyword):
        if resolved != element.word:
            return None
        return _State(
            state.command_index, state.variant, state.args, state.keywords | {element.word}
        )
    if isinstance(element, Argument):
        if element.choices:
            value = token.text.lower()
            if value not in element.choices:
                if (
                    isinstance(resolved, str)
                    and resolved in element.choices
                    and not value.isdigit()
                ):
                    value = resolved
                else:
                    return None
        else:
            if not element.accepts(token.text):
                return None
            value = token.text
        args = dict(state.args)
        args[element.name] = value
        return _State(state.command_index, state.variant, args, state.keywords)
    return None
