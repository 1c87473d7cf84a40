"""Hostile CLI input: random lines through the command grammar of every mode (match and
``?`` completions), and random sequences of lines through a CLI session, where a dialogue
may swallow the next lines as answers or paste, as on a real terminal.

A line always gets an answer (never an internal error), the session always shows a valid
prompt afterwards, and a line the CLI rejects leaves the configuration as it was.
"""

from __future__ import annotations

import asyncio
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.emulator.cli.grammar import (
    AmbiguousCommand,
    Argument,
    IncompleteCommand,
    InvalidInput,
    Keyword,
    Match,
    compile_pattern,
    tokenize,
)
from lab.emulator.cli.registry import CONFIG, EXEC, PRIVILEGED, SUB_MODES, grammar
from lab.emulator.cli.session import CliSession
from lab.emulator.cli.terminal import ScriptTerminal, SessionClosedError
from lab.emulator.replay import replay_config
from lab.emulator.server import LAB_BASELINE, _new_device
from tests.reliability.reliability_support import snapshot

MODES = (EXEC, PRIVILEGED, CONFIG, *SUB_MODES)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
#: Key generation is slow and tested elsewhere; everything else the CLI knows is fair game.
SLOW_WORDS = {"generate"}


def _words() -> list[str]:
    words: set[str] = set()
    for mode in MODES:
        for pattern in grammar(mode).patterns():
            for word in re.findall(r"[A-Za-z][\w.+-]*", re.sub(r"<[^>]*>", " ", pattern)):
                words.add(word)
    return sorted(words - SLOW_WORDS)


WORDS = _words()
VALUES = [
    "TP",
    "TG",
    "outside",
    "inside",
    "2048",
    "0",
    "-1",
    "65536",
    "99999999999999999999",
    "CN=vpn.lab,O=Lab",
    '"quoted value"',
    '"unterminated',
    "vpn.lab",
    "quit",
    "yes",
    "no",
    "?",
    "-----BEGIN CERTIFICATE-----",
    "MIIDMzCCAhugAwIBAgIQePjOGK9VMV+sRbEiron9pDANBgkqhkiG9w0BAQsFADAg",
    "\x00\x07\x1b[A",
    "é中\u202e",
]
soup = st.lists(st.sampled_from(WORDS + VALUES), min_size=0, max_size=9).map(" ".join)
VARIANTS = sorted(
    {
        variant
        for mode in MODES
        for pattern in grammar(mode).patterns()
        for variant in compile_pattern(pattern)
        if not SLOW_WORDS & {e.word for e in variant if isinstance(e, Keyword)}
    },
    key=repr,
)


@st.composite
def near_commands(draw: st.DrawFn) -> str:
    """A registered command with arguments filled in (in range or just outside it),
    keywords sometimes abbreviated, sometimes cut short or followed by junk."""
    words: list[str] = []
    for element in draw(st.sampled_from(VARIANTS)):
        if isinstance(element, Keyword):
            cut = draw(st.integers(min_value=1, max_value=len(element.word)))
            words.append(element.word[:cut] if draw(st.booleans()) else element.word)
        elif isinstance(element, Argument) and element.choices:
            words.append(draw(st.sampled_from(element.choices)))
        elif isinstance(element, Argument) and element.integer:
            low = element.low if element.low is not None else -5
            high = element.high if element.high is not None else 70000
            words.append(str(draw(st.integers(min_value=low - 1, max_value=high + 1))))
        else:
            words.append(draw(st.sampled_from(VALUES)))
    if draw(st.booleans()) and words:
        words = words[: draw(st.integers(min_value=0, max_value=len(words)))]
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        words.append(draw(st.sampled_from(VALUES)))
    return " ".join(words)


junk = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=120
)
lines = st.one_of(
    near_commands(), soup, soup.map(lambda s: s + "?"), soup.map(lambda s: s + " ?"), junk
)


@FUZZ
@given(mode=st.sampled_from(MODES), line=lines)
def test_the_grammar_answers_any_line_in_any_mode(mode: str, line: str) -> None:
    for token in tokenize(line):
        assert 0 <= token.start < max(len(line), 1)
        if not token.quoted:
            assert line[token.start :].startswith(token.text)
    result = grammar(mode).match(line)
    if isinstance(result, tuple):
        match, handler = result
        assert isinstance(match, Match) and callable(handler)
    elif isinstance(result, InvalidInput | AmbiguousCommand):
        assert 0 <= result.column <= len(line), (line, result)
    else:
        assert isinstance(result, IncompleteCommand)
    completions = grammar(mode).completions(line)
    assert all(isinstance(word, str) and word for word in completions)


ENTRY = [
    [],
    ["crypto ca trustpoint TP"],
    ["tunnel-group TG type remote-access", "tunnel-group TG webvpn-attributes"],
    ["tunnel-group TG type remote-access", "tunnel-group TG general-attributes"],
    ["crypto ca certificate map CM 10"],
    ["webvpn"],
    ["group-policy GP internal", "group-policy GP attributes"],
    ["interface GigabitEthernet0/2"],
]


async def _run_script(entry: list[str], script: list[str]) -> list[str]:
    """Problems found while a session reads ``script`` line by line (a dialogue reads its
    answers from the following lines); the end of the script is a dropped connection."""
    device = _new_device("9.23")
    assert not await replay_config(device, LAB_BASELINE)
    terminal = ScriptTerminal([*entry, *script])
    session = CliSession(device, terminal, privileged=True)
    session.enter(CONFIG)
    for _ in entry:
        await session.execute(await terminal.read_line())
        assert session.last_error is None, terminal.text()
    problems: list[str] = []
    while terminal.remaining and not session.closed:
        line = await terminal.read_line()
        before, written = snapshot(device), len(terminal.output)
        dropped = False
        try:
            await session.execute(line)
        except SessionClosedError:
            dropped = True
        out = "".join(terminal.output[written:])
        if "Internal error" in out or "Traceback" in out:
            problems.append(f"{line!r}: {out}")
        rejected = session.last_error is not None or dropped
        if rejected and snapshot(device) != before:
            problems.append(f"{line!r} was rejected ({session.last_error}) but changed the device")
        if not session.closed and not re.fullmatch(r"[\w./-]+(\([\w-]+\))?[#>] ", session.prompt):
            problems.append(f"after {line!r} the prompt is {session.prompt!r}")
    return problems


@FUZZ
@given(
    entry=st.sampled_from(ENTRY),
    script=st.lists(
        st.one_of(near_commands(), near_commands(), soup, junk), min_size=1, max_size=12
    ),
)
def test_a_session_fed_random_lines_keeps_answering(entry: list[str], script: list[str]) -> None:
    problems = asyncio.run(_run_script(entry, script))
    assert not problems, "\n".join(problems)
