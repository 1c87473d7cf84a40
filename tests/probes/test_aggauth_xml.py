"""The aggregate-auth XML: messages the probe builds, answers it parses (shapes from
reference/anyconnect-protocol.md sections 2-6 and ocserv 1.1.6)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.aggauth import AggAuthXmlError, init_request, logout_request, parse_config_auth

ASA_AUTH_REQUEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">
<opaque is-for="sg">
<tunnel-group>TG-CORP</tunnel-group>
<group-alias>CORP</group-alias>
<config-hash>1780275125589</config-hash>
</opaque>
<auth id="main">
<title>Login</title>
<message>Please enter your username and password.</message>
<banner>Authorised use only.</banner>
<form>
<input type="text" name="username" label="Username:"></input>
<input type="password" name="password" label="Password:"></input>
<select name="group_list" label="GROUP:">
<option selected="true">CORP</option>
<option>CONTRACTORS</option>
</select>
</form>
</auth>
</config-auth>
"""

CLIENT_CERT_REQUEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">
<client-cert-request />
</config-auth>
"""

CERT_VALIDATION_FAILURE = b"""<config-auth client="vpn" type="auth-request"
 aggregate-auth-version="2">
<opaque is-for="sg"><tunnel-group>TG-CONTRACTORS</tunnel-group>
<group-alias>CONTRACTORS</group-alias></opaque>
<auth id="main"><title>Login</title><message>Please enter your username and password.</message>
<banner></banner><error id="91" param1="" param2="">Certificate Validation Failure</error>
<form><select name="group_list" label="GROUP:"><option selected="true">CONTRACTORS</option>
<option>CORP</option></select></form></auth></config-auth>
"""

ASA_COMPLETE = b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="complete" aggregate-auth-version="2">
<session-id>417792</session-id>
<session-token>1A2B3C@417792@4CF0@9F8E7D6C5B4A39281706F5E4D3C2B1A098765432</session-token>
<auth id="success"><banner>Authorised use only.</banner>
<message id="0" param1="" param2=""></message></auth>
<config client="vpn" type="private"><vpn-base-config>
<server-cert-hash>3F1A9C0B2D4E6F8091A2B3C4D5E6F708192A3B4C</server-cert-hash></vpn-base-config>
<opaque is-for="vpn-client"></opaque></config>
</config-auth>
"""

OCSERV_GROUP_LIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<config-auth client="vpn" type="auth-request">
<version who="sg">0.1(1)</version>
<auth id="main">
<message>Please select your group.</message>
<form method="post" action="/auth">
<select name="group_list" label="Group:">
<option value="TG-CORP">CORP</option>
<option value="TG-CONTRACTORS">CONTRACTORS</option>
</select>
</form></auth>
</config-auth>
"""


def test_asa_auth_request() -> None:
    message = parse_config_auth(ASA_AUTH_REQUEST)

    assert (message.type, message.tunnel_group, message.group_alias) == (
        "auth-request",
        "TG-CORP",
        "CORP",
    )
    assert message.config_hash == "1780275125589" and message.auth_id == "main"
    assert message.form_fields == ("username", "password", "group_list")
    assert message.group_list == ("CORP", "CONTRACTORS")
    assert message.selects[0].options[0].selected and not message.selects[0].options[1].selected
    assert message.banner == "Authorised use only."
    assert not message.client_cert_request and message.session_token is None


def test_client_cert_request() -> None:
    message = parse_config_auth(CLIENT_CERT_REQUEST)

    assert (
        message.client_cert_request and message.tunnel_group is None and message.form_fields == ()
    )


def test_certificate_validation_failure() -> None:
    message = parse_config_auth(CERT_VALIDATION_FAILURE)

    assert message.error == "Certificate Validation Failure" and message.error_id == "91"
    assert message.tunnel_group == "TG-CONTRACTORS" and message.form_fields == ("group_list",)


def test_complete_keeps_the_token_out_of_repr() -> None:
    message = parse_config_auth(ASA_COMPLETE)

    assert message.type == "complete" and message.session_id == "417792"
    assert message.session_token is not None and message.session_token.value.startswith("1A2B3C@")
    assert "9F8E7D6C5B4A" not in repr(message)
    assert message.server_cert_hash == "3F1A9C0B2D4E6F8091A2B3C4D5E6F708192A3B4C"


def test_ocserv_group_list_uses_labels() -> None:
    message = parse_config_auth(OCSERV_GROUP_LIST)

    assert message.group_list == ("CORP", "CONTRACTORS")
    assert message.selects[0].options[0].value == "TG-CORP"
    assert message.message == "Please select your group."


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><config-auth>&b;</config-auth>',
            "dtd",
        ),
        (b'<!DOCTYPE config-auth SYSTEM "http://attacker.example/x.dtd"><config-auth/>', "dtd"),
        (b"<config-auth>" + b"<x>" * 40 + b"</x>" * 40 + b"</config-auth>", "too-deep"),
        (b"<config-auth>" + b"<x/>" * 5000 + b"</config-auth>", "too-many-elements"),
        (b"<config-auth>" + b" " * (300 * 1024) + b"</config-auth>", "too-large"),
        (b"<html><body>hello</body></html>", "not-config-auth"),
        (b"<config-auth><unclosed></config-auth>", "malformed"),
        (b"", "malformed"),
    ],
)
def test_hostile_or_foreign_xml_is_refused_with_a_kind(data: bytes, kind: str) -> None:
    with pytest.raises(AggAuthXmlError) as caught:
        parse_config_auth(data)

    assert caught.value.kind == kind


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_either_parse_or_are_refused(data: bytes) -> None:
    with contextlib.suppress(AggAuthXmlError):
        parse_config_auth(data)


def test_init_request_matches_the_cisco_client_order() -> None:
    body = init_request(
        version="4.10.07061",
        device_id="linux-64",
        group_access="https://vpn.example.lab:8443/corp",
        group_select="CORP",
    ).decode()

    assert body.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<config-auth client="vpn" type="init"'
    )
    order = [
        '<version who="vpn">4.10.07061</version>',
        "<device-id>linux-64</device-id>",
        "<group-select>CORP</group-select>",
        "<group-access>https://vpn.example.lab:8443/corp</group-access>",
        "<capabilities>",
    ]
    positions = [body.index(part) for part in order]
    assert positions == sorted(positions) and "<client-cert-fail/>" not in body


def test_init_request_escapes_and_marks_certificate_failure() -> None:
    body = init_request(
        version="1",
        device_id="win",
        group_access="https://h/",
        group_select='A&B<"',
        client_cert_fail=True,
    )

    message = parse_config_auth(body)  # our own message is valid config-auth XML
    assert message.type == "init" and b"<client-cert-fail/>" in body and b"A&amp;B&lt;" in body


def test_logout_request_carries_the_token() -> None:
    assert b"<session-token>T&amp;1</session-token>" in logout_request("T&1")
    assert parse_config_auth(logout_request("T")).type == "logout"
