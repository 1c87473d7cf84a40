"""The SSH side: junk of every kind gets an ASA error and a prompt; several sessions see
one device; a connection dropped in the middle of a dialogue changes nothing."""

from __future__ import annotations

import asyncio

from cryptography.hazmat.primitives.serialization import Encoding

from lab.emulator.embedded import EmbeddedASA
from tests.conftest import LabPki
from tests.lab.emulator.raw_ssh import PROMPT, RawTerminal, privileged, screen

CARET = "ERROR: % Invalid input detected at '^' marker."


def _credentials(asa: EmbeddedASA) -> tuple[str, int, str, str, str]:
    return asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password


def test_junk_lines_get_an_error_and_a_prompt(virtual_asa: EmbeddedASA) -> None:
    async def scenario() -> list[str]:
        async with await privileged(*_credentials(virtual_asa)) as terminal:
            await terminal.command("configure terminal")
            before = await terminal.command("show running-config")
            answers = []
            for junk in [
                b"\x00\x01\x02\xfe\xff garbage \x80\x81",
                ("A" * 10_000).encode(),
                b"crypto \x07\x08\x0b\x0c ca trustpoint",
                "crypto ca trustpoint \u202e\u00e9\u4e2d".encode(),
                b"-----BEGIN CERTIFICATE-----",
                b"MIIDMzCCAhugAwIBAgIQePjOGK9VMV+sRbEiron9pDANBgkqhkiG9w0BAQsFADAg",
                b"\x03",
            ]:
                terminal.send_bytes(junk + b"\r")
                text = await terminal.read_until(PROMPT)
                answers.append(text)
            after = await terminal.command("show running-config")
            assert after == before
            return answers

    answers = asyncio.run(scenario())
    for text in answers:
        assert "Traceback" not in text
        assert text.rstrip().endswith("(config)#")
    assert CARET in answers[0] and CARET in answers[1]


def test_sessions_share_one_device(virtual_asa: EmbeddedASA) -> None:
    async def scenario() -> tuple[str, str]:
        credentials = _credentials(virtual_asa)
        async with (
            await privileged(*credentials) as first,
            await privileged(*credentials) as second,
        ):
            await first.command("configure terminal")
            await first.command("crypto ca trustpoint SHARED")
            seen = await second.command("show running-config crypto ca trustpoint")
            await second.command("configure terminal")
            await second.command("no crypto ca trustpoint SHARED")
            # the first session is still "in" the removed trustpoint: its next line says so
            reply = await first.command("keypair K")
            return seen, reply

    seen, reply = asyncio.run(scenario())
    assert "crypto ca trustpoint SHARED" in seen
    assert reply.strip() == "ERROR: CA trustpoint 'SHARED' is not known."


def test_connection_dropped_mid_paste_leaves_the_device_unchanged(
    virtual_asa: EmbeddedASA, lab_ca: LabPki
) -> None:
    pem = lab_ca.root.certificate.public_bytes(Encoding.PEM).decode().splitlines()

    async def scenario() -> tuple[str, str]:
        credentials = _credentials(virtual_asa)
        async with await privileged(*credentials) as setup:
            await setup.command("configure terminal")
            await setup.command("crypto ca trustpoint TP")
            await setup.command("exit")
            before = await setup.command("show running-config")
        dropping = await privileged(*credentials)
        await dropping.command("configure terminal")
        dropping.send("crypto ca authenticate TP")
        await dropping.read_until(__import__("re").compile(r"on a line by itself\n"))
        for line in pem[:6]:
            dropping.send(line)
        await asyncio.sleep(0.05)
        dropping.close()
        async with await privileged(*credentials) as check:
            after = await check.command("show running-config")
        return before, after

    before, after = asyncio.run(scenario())
    assert after == before
    assert virtual_asa.call(lambda: virtual_asa.device().trustpoints["TP"].ca_certificates) == []


def test_login_banner_and_prompts(virtual_asa: EmbeddedASA) -> None:
    async def scenario() -> tuple[str, str]:
        async with await RawTerminal.open(*_credentials(virtual_asa)[:4]) as user:
            exec_reply = await user.command("show running-config")
            user.send("enable")
            await user.read_until(__import__("re").compile(r"Password: $"))
            user.send("wrong")
            wrong = await user.read_until(__import__("re").compile(r"Password: $"))
            return exec_reply, wrong

    exec_reply, wrong = asyncio.run(scenario())
    assert CARET in exec_reply
    assert "Invalid password" in wrong


def test_question_mark_key_answers_at_once_and_keeps_the_line(virtual_asa: EmbeddedASA) -> None:
    import re

    async def scenario() -> tuple[str, str]:
        async with await privileged(*_credentials(virtual_asa)) as terminal:
            await terminal.command("configure terminal")
            terminal.send_bytes(b"crypto ?")  # no Enter
            # the help, the prompt, then the line editor draws "crypto " again after it
            help_text = await terminal.read_until(re.compile(r"  key\nciscoasa\(config\)# "))
            terminal.send_bytes(b"ca trustpoint TP\r")  # completes the line kept after the help
            await terminal.read_until(PROMPT)
            shown = await terminal.command("show running-config crypto ca trustpoint")
            return help_text, shown

    help_text, shown = asyncio.run(scenario())
    assert "  ca\n  ikev2\n  key\n" in help_text
    assert "crypto ca trustpoint TP" in shown


def test_lines_typed_ahead_are_echoed_after_their_prompt(virtual_asa: EmbeddedASA) -> None:
    """Input that arrives before the CLI reads it (scrapli presses Enter as soon as it logs
    in; a paste sends many lines at once) is echoed when read, as a device does: every
    command appears after its own prompt, never two prompts on one line."""
    import re

    async def scenario() -> str:
        async with await RawTerminal.open(*_credentials(virtual_asa)[:4]) as terminal:
            terminal.send_bytes(b"\rshow clock\rshow clock\r")  # one packet
            return await terminal.read_until(re.compile(r"(?s)(.*?> ){3}"))

    text = screen(asyncio.run(scenario()))
    lines = text.split("\n")
    assert lines[0] == "" and lines[1] == "ciscoasa> show clock", text
    assert lines[3] == "ciscoasa> show clock", text
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3} UTC \w{3} \w{3} \d+ \d{4}", lines[2]), text
