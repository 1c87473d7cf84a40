"""CLI mechanics: abbreviations, ambiguous and incomplete lines, ``?`` help, ``do``, and
any input line at all (property test): an ASA-style answer, a prompt, no change on error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.emulator.cli.registry import SUB_MODES, grammar
from tests.lab.emulator.cli_console import Console

CARET = "ERROR: % Invalid input detected at '^' marker."


@pytest.mark.parametrize(
    ("typed", "full"),
    [
        ("sh run", "show running-config"),
        ("sh cry ca cert", "show crypto ca certificates"),
        ("sh ver", "show version"),
        ("sh clo", "show clock"),
        ("write term", "write terminal"),
    ],
)
def test_abbreviations_run_the_same_command(console: Console, typed: str, full: str) -> None:
    if "version" in full:
        assert console.exec(typed).splitlines()[:-1] == console.exec(full).splitlines()[:-1]
    elif "clock" in full:
        assert console.exec(typed)[:5] == console.exec(full)[:5]
    else:
        assert console.exec(typed) == console.exec(full)


def test_conf_t_and_wr_mem_resolve(console: Console) -> None:
    console.session.enter("privileged")
    assert console.run("conf t") == "" and console.prompt == "ciscoasa(config)# "
    # no storage behind this in-process session: the command is recognised and refused as such
    assert console.exec("wr mem").startswith("%Error")


def test_ambiguous_and_incomplete(console: Console) -> None:
    assert console.exec("sh c") == 'ERROR: % Ambiguous command:  "sh c"\n'
    assert console.exec("show") == "ERROR: % Incomplete command\n"
    assert console.run("crypto ca") == "ERROR: % Incomplete command\n"


def test_caret_column_is_prompt_plus_token_offset(console: Console) -> None:
    out = console.run("crypto ca trustpoint TP extra")
    assert out.splitlines() == [
        " " * (len("ciscoasa(config)# ") + len("crypto ca trustpoint TP ")) + "^",
        CARET,
    ]
    out = console.exec("frobnicate")
    assert out.splitlines()[0] == " " * len("ciscoasa# ") + "^"


def test_do_is_not_an_asa_command(console: Console) -> None:
    console.run("crypto ca trustpoint TP")
    before = console.show_run()
    out = console.run("do show running-config")
    assert out.splitlines()[-1] == CARET
    assert console.show_run() == before


def test_exec_mode_is_limited_and_enable_asks_for_the_password(console: Console) -> None:
    console.session.enter("exec")
    assert console.prompt == "ciscoasa> "
    assert console.run("show running-config").splitlines()[-1] == CARET
    assert console.run("configure terminal").splitlines()[-1] == CARET
    assert console.run("show clock") != ""


def test_question_mark_help_per_mode(console: Console) -> None:
    assert console.run("crypto ?").splitlines() == ["  ca", "  ikev2", "  key"]
    assert console.run("crypto ca tr?") == "trustpoint  trustpool\n"
    assert console.run("crypto ca trustpoint TP ?") == "  <cr>\n"
    console.run("crypto ca trustpoint TP")
    words = [w.strip() for w in console.run("?").splitlines()]
    assert {"enrollment", "fqdn", "keypair", "subject-name", "crl", "exit", "no"} <= set(words)
    assert "tunnel-group" not in words  # only the trustpoint's own commands
    console.run("exit")
    console.run("tunnel-group T type remote-access")
    console.run("tunnel-group T general-attributes")
    words = [w.strip() for w in console.run("?").splitlines()]
    assert "address-pool" in words and "authentication" not in words
    out = console.run("zzz?")
    assert out.splitlines()[-1] == CARET


# ---------------------------------------------------------------- any line at all

_KEYWORDS = sorted(
    {
        word
        for mode in ("config", "privileged", *SUB_MODES)
        for pattern in grammar(mode).patterns()
        for word in pattern.replace("[", " ")
        .replace("]", " ")
        .replace("(", " ")
        .replace(")", " ")
        .split()
        if not word.startswith("<") and word != "|"
    }
)
_VALUES = [
    "TP",
    "outside",
    "2048",
    "10",
    "CN=x,O=y",
    "-----BEGIN CERTIFICATE-----",
    "quit",
    "yes",
    "999999999999",
]
_ENTRY = [
    "",
    "crypto ca trustpoint TP",
    "crypto ca certificate map CM 10",
    "tunnel-group TG general-attributes",
    "tunnel-group TG webvpn-attributes",
    "webvpn",
    "group-policy GP attributes",
]

soup = st.lists(st.sampled_from(_KEYWORDS + _VALUES), min_size=1, max_size=8).map(" ".join)
junk = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=200
)
long_lines = st.integers(min_value=300, max_value=10_000).map(lambda n: ("x" * 7 + " ") * (n // 8))


def _prepared(entry: str) -> Console:
    console = Console()
    for line in [
        "crypto ca trustpoint TP",
        "exit",
        "tunnel-group TG type remote-access",
        "group-policy GP internal",
        "crypto ca certificate map CM 10",
        "exit",
    ]:
        console.run(line)
    if entry:
        console.run(entry)
    return console


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry=st.sampled_from(_ENTRY), line=st.one_of(soup, junk, long_lines))
def test_any_line_gets_an_answer_and_a_rejected_line_changes_nothing(entry: str, line: str) -> None:
    console = _prepared(entry)
    try:
        before = console.show_run()
        keys_before = set(console.device.keypairs)
        out = console.run(line)  # a question or paste request finds no input: a dropped connection
        assert "Traceback" not in out and "Internal error" not in out
        error = console.session.last_error is not None or out.endswith("<connection closed>\n")
        if error:
            assert console.show_run() == before, (line, out)
            assert set(console.device.keypairs) == keys_before
        if not console.session.closed:
            assert console.prompt.endswith(("# ", "> "))
    finally:
        console.close()
