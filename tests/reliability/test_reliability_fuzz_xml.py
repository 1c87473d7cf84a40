"""Hostile AnyConnect XML: mutated server answers into the probe's parser (probes/aggauth.py),
mutated client messages into the virtual ASA's parser (lab/emulator/anyconnect/messages.py)
and over HTTPS into the running virtual ASA. Every input gives a result or the parser's own
error with a message, quickly; the virtual ASA never answers 500 and keeps serving."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.emulator.anyconnect.messages import (
    ClientMessage,
    MalformedMessageError,
    parse_client_message,
)
from lab.emulator.embedded import EmbeddedASA
from probes.aggauth import (
    AggAuthXmlError,
    ConfigAuth,
    init_request,
    logout_request,
    parse_config_auth,
)
from probes.deadline import Deadline
from probes.gateway import Gateway
from probes.tls import DEFAULT_TLS_VERSIONS

#: One parse of a 2 KiB document must not take longer than this (a hang guard, not a benchmark).
PARSE_BOUND_S = 0.5
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SERVER_ANSWERS = [
    b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">
<opaque is-for="sg">
<tunnel-group>SSL_PROFILE</tunnel-group>
<group-alias>SSL</group-alias>
<config-hash>1595829378234</config-hash>
</opaque>
<auth id="main">
<title>Login</title>
<message>Please enter your username and password.</message>
<banner></banner>
<form>
<input type="text" name="username" label="Username:"></input>
<input type="password" name="password" label="Password:"></input>
<select name="group_list" label="GROUP:">
<option selected="true">SSL</option>
<option>TWOFACTOR</option>
</select>
</form>
</auth>
</config-auth>
""",
    b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="complete" aggregate-auth-version="2">
<session-id>32768</session-id>
<session-token>ABCDEF@32768@1234@0123456789ABCDEF</session-token>
<auth id="success"><message id="0" param1="" param2=""></message></auth>
<capabilities><crypto-supported>ssl-dhe</crypto-supported></capabilities>
<config client="vpn" type="private"><vpn-base-config>
<server-cert-hash>0123456789ABCDEF0123456789ABCDEF01234567</server-cert-hash>
</vpn-base-config></config>
</config-auth>
""",
    b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">
<error id="13" param1="" param2="">certificate validation failure</error>
</config-auth>
""",
]

CLIENT_MESSAGES = [
    init_request(
        version="4.10.07061",
        device_id="linux-64",
        group_access="https://vpn.pinglabz.lab/",
        group_select="SSL",
    ),
    b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="auth-reply" aggregate-auth-version="2">
<version who="vpn">4.10.07061</version>
<device-id>linux-64</device-id>
<opaque is-for="sg"><tunnel-group>SSL_PROFILE</tunnel-group><config-hash>1</config-hash></opaque>
<auth><username>alice</username><password> secret </password></auth>
<group-select>SSL</group-select>
</config-auth>
""",
    logout_request("ABCDEF@32768@1234@0123456789ABCDEF"),
]

TOKENS = [
    b"<!DOCTYPE config-auth [<!ENTITY a 'b'>]>",
    b'<!DOCTYPE config-auth SYSTEM "http://attacker.example/x.dtd">',
    b"&a;",
    b"&#0;",
    b"&#x110000;",
    b"&amp;",
    b"<![CDATA[",
    b"]]>",
    b"<?pi data?>",
    b"<?xml version='1.0' encoding='utf-16'?>",
    b"\xff\xfe",
    b"\x00",
    b"<x>" * 40,
    b"</x>" * 40,
    b"</config-auth>",
    b"<config-auth>",
    b"<opaque is-for='sg'>",
    b" xmlns:x='urn:x' ",
    b"<x:y/>",
    b'"',
    b"'",
    b"=",
    b"\x80",
    b"\xc3\x28",
    b"<auth><password>",
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not data:
            break
        at = draw(st.integers(min_value=0, max_value=len(data)))
        operation = draw(st.integers(min_value=0, max_value=4))
        if operation == 0:
            data[at:] = b""
        elif operation == 1:
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif operation == 2:
            length = draw(st.integers(min_value=1, max_value=40))
            del data[at : at + length]
        elif operation == 3 and at < len(data):
            data[at] = draw(st.integers(min_value=0, max_value=255))
        else:
            length = draw(st.integers(min_value=1, max_value=80))
            data[at:at] = data[at : at + length]
    return bytes(data)


def _bounded(started: float) -> None:
    elapsed = time.perf_counter() - started
    assert elapsed < PARSE_BOUND_S, f"parsing took {elapsed:.2f} s"


@FUZZ
@given(data=st.one_of(mutated(SERVER_ANSWERS), st.binary(max_size=512)))
def test_the_probe_parses_or_refuses_any_server_answer(data: bytes) -> None:
    started = time.perf_counter()
    try:
        answer = parse_config_auth(data)
    except AggAuthXmlError as error:
        assert error.kind and str(error), error
    else:
        assert isinstance(answer, ConfigAuth)
        assert "secret" not in repr(answer.session_token)
    _bounded(started)


@FUZZ
@given(data=st.one_of(mutated(CLIENT_MESSAGES), st.binary(max_size=512)))
def test_the_virtual_asa_parses_or_refuses_any_client_message(data: bytes) -> None:
    started = time.perf_counter()
    try:
        message = parse_client_message(data)
    except MalformedMessageError as error:
        assert str(error)
    else:
        assert isinstance(message, ClientMessage) and message.type
    _bounded(started)


def test_the_seeds_parse() -> None:
    """The mutations start from documents the parsers accept (the properties are not vacuous)."""
    assert [parse_config_auth(s).type for s in SERVER_ANSWERS] == [
        "auth-request",
        "complete",
        "auth-request",
    ]
    assert [parse_client_message(s).type for s in CLIENT_MESSAGES] == [
        "init",
        "auth-reply",
        "logout",
    ]


UNUSABLE_ENCODINGS = [b"TF-8", b"hex", b"utf-32", b"shift_jis", b"idna"]


def _declaring(encoding: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="' + encoding + b'"?>\n<config-auth type="init"/>'


@pytest.mark.parametrize("encoding", UNUSABLE_ENCODINGS)
def test_an_xml_declaration_with_an_unusable_encoding_is_refused_by_the_probe(
    encoding: bytes,
) -> None:
    with pytest.raises(AggAuthXmlError) as caught:
        parse_config_auth(_declaring(encoding))
    assert caught.value.kind == "malformed"


@pytest.mark.parametrize("encoding", [b"TF-8", b"hex"])
def test_an_xml_declaration_with_an_unusable_encoding_is_refused_by_the_virtual_asa(
    encoding: bytes,
) -> None:
    with pytest.raises(MalformedMessageError):
        parse_client_message(_declaring(encoding))


@pytest.fixture(scope="module")
def gateway_asa() -> Iterator[EmbeddedASA]:
    with EmbeddedASA() as asa:
        yield asa


def _post(asa: EmbeddedASA, body: bytes) -> int:
    host, port = asa.interface_address("outside")
    gateway = Gateway(
        host,
        port,
        sni=None,
        client_identity=None,
        user_agent="AnyConnect Linux_64 4.10.07061",
        tls_versions=DEFAULT_TLS_VERSIONS,
    )
    try:
        return gateway.request("POST", "/", Deadline.after(10), body).status
    finally:
        gateway.close()


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(body=mutated(CLIENT_MESSAGES))
def test_the_running_virtual_asa_answers_any_client_message(
    gateway_asa: EmbeddedASA, body: bytes
) -> None:
    assert _post(gateway_asa, body) in (200, 400, 404, 413)
    assert _post(gateway_asa, CLIENT_MESSAGES[0]) == 200, "the gateway stopped serving"
