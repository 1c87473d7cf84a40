"""The aggregate-auth exchange against the virtual ASA, driven by a Python client that
speaks like openconnect (anyconnect-protocol.md sections 2-7)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from harness.device import DeviceSession
from lab.emulator.device import VpnSession
from lab.emulator.embedded import EmbeddedASA
from tests.lab.emulator.test_listener_support import (
    AnyConnectClient,
    ListenerPki,
    Reply,
    auth_reply,
    configure,
    init_message,
    install_ca,
    install_identity,
    listener_pki,
    logout_message,
    set_clock_offset,
    write_identity,
)

__all__ = ["listener_pki"]  # a fixture: imported so that pytest finds it

YEAR = dt.timedelta(days=365)


@dataclass
class CorpLab:
    asa: EmbeddedASA
    session: DeviceSession
    pki: ListenerPki
    folder: Path

    @property
    def address(self) -> tuple[str, int]:
        return self.asa.interface_address("outside")

    def client(self, certificate: str | None = None, **subject: str) -> AnyConnectClient:
        """A client; with ``certificate``, one issued by ``certificate`` ("issuing" or
        "stranger") for ``subject``."""
        files = None
        if certificate is not None:
            issuer = self.pki.issuing if certificate == "issuing" else self.pki.stranger
            name = "-".join([certificate, *subject.values()])
            files = write_identity(self.folder, name, issuer.issue_client(**subject))
        return AnyConnectClient(self.address, client=files)

    def sessions(self) -> list[VpnSession]:
        return self.asa.call(lambda: list(self.asa.device().sessions))

    @property
    def corp_url(self) -> str:
        return f"https://vpn.example.lab:{self.address[1]}/corp"


@pytest.fixture
def lab(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession, listener_pki: ListenerPki, tmp_path: Path
) -> Iterator[CorpLab]:
    install_identity(
        virtual_asa, "TP-CORP", listener_pki.server, [listener_pki.issuing.certificate]
    )
    install_ca(virtual_asa, "CLIENT-CA", listener_pki.root.certificate)
    port = virtual_asa.interface_address("outside")[1]
    configure(
        asa_session,
        "ssl trust-point TP-CORP outside",
        "group-policy GP-CORP internal",
        "tunnel-group TG-CORP type remote-access",
        "tunnel-group TG-CORP general-attributes",
        "default-group-policy GP-CORP",
        "tunnel-group TG-CORP webvpn-attributes",
        "group-alias CORP enable",
        f"group-url https://vpn.example.lab:{port}/corp enable",
        "tunnel-group TG-CERT type remote-access",
        "tunnel-group TG-CERT webvpn-attributes",
        "authentication certificate",
        "group-alias CERT enable",
        "tunnel-group TG-CONTRACTORS type remote-access",
        "tunnel-group TG-CONTRACTORS webvpn-attributes",
        "authentication aaa certificate",
        "group-alias CONTRACTORS enable",
        "crypto ca certificate map CM-SSL 10",
        "subject-name attr ou eq Contractors",
        "webvpn",
        "tunnel-group-list enable",
        "certificate-group-map CM-SSL 10 TG-CONTRACTORS",
        "username alice password s3cret-pw",
    )
    yield CorpLab(virtual_asa, asa_session, listener_pki, tmp_path)


def opaque_group(reply: Reply) -> tuple[str | None, str | None]:
    return reply.text("opaque/tunnel-group"), reply.text("opaque/group-alias")


def form_inputs(reply: Reply) -> list[str]:
    return [i.get("name", "") for i in reply.xml.iterfind("auth/form/input")]


def group_options(reply: Reply) -> list[str] | None:
    select = reply.xml.find("auth/form/select")
    if select is None:
        return None
    return [
        (o.text or "") + ("*" if o.get("selected") == "true" else "")
        for o in select.iterfind("option")
    ]


# ---------------------------------------------------------------- HTTP rules


def test_an_xml_post_without_the_anyconnect_user_agent_is_not_found(lab: CorpLab) -> None:
    openconnect_default = AnyConnectClient(
        lab.address, user_agent="Open AnyConnect VPN Agent v9.01"
    )
    assert openconnect_default.post(init_message()).status == 404
    assert lab.client().post(init_message()).status == 200


def test_the_user_agent_rule_can_be_relaxed(lab: CorpLab) -> None:
    def relax() -> None:
        lab.asa.asa.anyconnect.settings.require_anyconnect_user_agent = False

    lab.asa.call(relax)
    reply = AnyConnectClient(lab.address, user_agent="curl/8").post(init_message())
    assert reply.status == 200 and reply.xml.get("type") == "auth-request"


@pytest.mark.parametrize(
    "content_type",
    ["application/xml; charset=utf-8", "application/x-www-form-urlencoded", "text/xml"],
)
def test_xml_and_form_content_types_are_accepted(lab: CorpLab, content_type: str) -> None:
    reply = lab.client().post(init_message(), content_type=content_type)
    assert reply.status == 200
    assert opaque_group(reply) == ("DefaultWEBVPNGroup", None)


def test_answers_carry_the_framing_of_a_real_asa(lab: CorpLab) -> None:
    reply = lab.client().post(init_message())
    expected = {
        "content-type": "text/html; charset=utf-8",
        "transfer-encoding": "chunked",
        "cache-control": "no-store",
        "pragma": "no-cache",
        "connection": "Keep-Alive",
        "x-frame-options": "SAMEORIGIN",
        "strict-transport-security": "max-age=31536000; includeSubDomains",
        "x-aggregate-auth": "1",
    }
    assert {k: reply.headers.get(k) for k in expected} == expected
    assert reply.headers["date"].endswith(" GMT")
    assert reply.body.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<config-auth client="vpn"'
    )


@pytest.mark.parametrize(
    "body",
    [
        b"<config-auth client='vpn' type='init'>",  # truncated
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]>"
        b"<config-auth type='init'>&a;</config-auth>",  # a DTD with an entity
        b"<hello/>",
        b"<config-auth client='vpn'/>",  # no type
        b"<" + b"x" * 70_000 + b"/>",  # beyond the XML bound
    ],
)
def test_malformed_xml_gets_a_well_formed_error_and_the_listener_carries_on(
    lab: CorpLab, body: bytes
) -> None:
    client = lab.client()
    reply = client.post(body)
    assert reply.status == 200
    assert reply.xml.tag == "config-auth" and reply.text("error") == "Malformed request."
    assert client.post(init_message()).text("opaque/tunnel-group") == "DefaultWEBVPNGroup"


# ---------------------------------------------------------------- choosing the group


def test_the_default_group_offers_the_login_form_and_the_group_list(lab: CorpLab) -> None:
    reply = lab.client().post(init_message())
    assert reply.xml.get("type") == "auth-request"
    assert opaque_group(reply) == ("DefaultWEBVPNGroup", None)
    assert form_inputs(reply) == ["username", "password"]
    assert group_options(reply) == ["CORP", "CERT", "CONTRACTORS"]


def test_no_group_list_without_tunnel_group_list_enable(lab: CorpLab) -> None:
    configure(lab.session, "webvpn", "no tunnel-group-list enable")
    assert group_options(lab.client().post(init_message())) is None


def test_the_group_url_chooses_the_group_and_fixes_it(lab: CorpLab) -> None:
    reply = lab.client().post(init_message(group_access=lab.corp_url))
    assert opaque_group(reply) == ("TG-CORP", "CORP")
    assert group_options(reply) is None  # no drop-down once a group-url decided
    by_path = lab.client().post(init_message(), path="/corp")  # no <group-access>: the URL
    assert opaque_group(by_path) == ("TG-CORP", "CORP")


def test_group_select_in_the_init_chooses_the_alias_group(lab: CorpLab) -> None:
    reply = lab.client().post(init_message(group_select="CORP"))
    assert opaque_group(reply) == ("TG-CORP", "CORP")
    assert group_options(reply) == ["CORP*", "CERT", "CONTRACTORS"]


def test_the_certificate_map_routes_a_contractor(lab: CorpLab) -> None:
    contractor = lab.client("issuing", OU="Contractors", CN="carol")
    reply = contractor.post(init_message(group_access=lab.corp_url))
    assert opaque_group(reply) == ("TG-CONTRACTORS", "CONTRACTORS")  # the map beats the URL
    assert form_inputs(reply) == ["username", "password"]  # aaa certificate: password too


def test_tunnel_group_preference_group_url_lets_the_url_win(lab: CorpLab) -> None:
    configure(lab.session, "webvpn", "tunnel-group-preference group-url")
    contractor = lab.client("issuing", OU="Contractors", CN="carol")
    assert opaque_group(contractor.post(init_message(group_access=lab.corp_url))) == (
        "TG-CORP",
        "CORP",
    )
    # Without a URL match the certificate map still routes.
    assert opaque_group(contractor.post(init_message())) == ("TG-CONTRACTORS", "CONTRACTORS")


# ---------------------------------------------------------------- passwords and sessions


def test_a_wrong_password_is_login_failed_and_the_right_one_completes(lab: CorpLab) -> None:
    set_clock_offset(lab.asa, dt.timedelta(hours=-5))  # the session shows the device's time
    client = lab.client()
    form = client.post(init_message(group_select="CORP"))
    failed = client.post(auth_reply(form.opaque, "alice", "guess"))
    error = failed.xml.find("auth/error")
    assert error is not None and (error.get("id"), error.text) == ("88", "Login failed.")
    assert opaque_group(failed) == ("TG-CORP", "CORP") and lab.sessions() == []

    done = client.post(auth_reply(failed.opaque, "alice", "s3cret-pw"))
    assert done.xml.get("type") == "complete"
    token = done.text("session-token") or ""
    _, session_id, _, tail = token.split("@")
    assert done.text("session-id") == session_id and len(tail) == 40
    served = lab.pki.server.certificate.public_bytes(Encoding.DER)
    assert done.text("config/vpn-base-config/server-cert-hash") == (
        hashlib.sha1(served, usedforsecurity=False).hexdigest().upper()
    )
    (session,) = lab.sessions()
    assert (session.username, session.tunnel_group, session.group_policy) == (
        "alice",
        "TG-CORP",
        "GP-CORP",
    )
    assert (session.public_ip, session.protocol, session.session_token) == (
        "127.0.0.1",
        "AnyConnect-Parent",
        token,
    )
    device_now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=5)
    assert abs(session.login_time - device_now) < dt.timedelta(minutes=1)


def test_an_edited_opaque_is_not_believed(lab: CorpLab) -> None:
    client = lab.client()
    form = client.post(init_message())  # DefaultWEBVPNGroup
    forged = form.opaque.replace(b"DefaultWEBVPNGroup", b"TG-CORP")
    again = client.post(auth_reply(forged, "alice", "s3cret-pw"))
    assert again.xml.get("type") == "auth-request" and lab.sessions() == []


def test_group_select_in_the_reply_moves_to_that_groups_form(lab: CorpLab) -> None:
    client = lab.client()
    form = client.post(init_message())
    moved = client.post(auth_reply(form.opaque, "alice", "s3cret-pw", group_select="CORP"))
    assert opaque_group(moved) == ("TG-CORP", "CORP")
    assert moved.xml.get("type") == "auth-request" and lab.sessions() == []  # not evaluated
    done = client.post(auth_reply(moved.opaque, "alice", "s3cret-pw", group_select="CORP"))
    assert done.xml.get("type") == "complete"
    assert [s.tunnel_group for s in lab.sessions()] == ["TG-CORP"]


def test_the_default_group_policy_is_dfltgrppolicy(lab: CorpLab) -> None:
    client = lab.client()
    form = client.post(init_message())
    client.post(auth_reply(form.opaque, "alice", "s3cret-pw"))
    assert [(s.tunnel_group, s.group_policy) for s in lab.sessions()] == [
        ("DefaultWEBVPNGroup", "DfltGrpPolicy")
    ]


def test_logout_by_the_webvpn_cookie_and_by_xml(lab: CorpLab) -> None:
    tokens = []
    for _ in range(2):
        client = lab.client()
        form = client.post(init_message(group_select="CORP"))
        done = client.post(auth_reply(form.opaque, "alice", "s3cret-pw"))
        tokens.append(done.text("session-token") or "")
    assert len(lab.sessions()) == 2

    page = lab.client().request(
        "GET", "/+webvpn+/webvpn_logout.html", headers={"Cookie": f"webvpn={tokens[0]}"}
    )
    assert page.status == 200 and b"logged out" in page.body
    assert [s.session_token for s in lab.sessions()] == [tokens[1]]

    answer = lab.client().post(logout_message(tokens[1]))
    assert answer.xml.get("type") == "complete" and lab.sessions() == []
    unknown = lab.client().post(logout_message(tokens[1]))
    assert unknown.text("error") == "No session with this token."


# ---------------------------------------------------------------- client certificates


def test_a_certificate_only_group_completes_with_a_valid_certificate(lab: CorpLab) -> None:
    reply = lab.client("issuing", OU="Employees", CN="bob").post(init_message(group_select="CERT"))
    assert reply.xml.get("type") == "complete"
    (session,) = lab.sessions()
    assert (session.username, session.tunnel_group, session.group_policy) == (
        "bob",
        "TG-CERT",
        "DfltGrpPolicy",
    )


def test_a_certificate_group_asks_for_the_missing_certificate(lab: CorpLab) -> None:
    client = lab.client()
    first = client.post(init_message(group_select="CERT"))
    assert first.xml.find("client-cert-request") is not None
    assert opaque_group(first) == ("TG-CERT", "CERT")
    retry = client.post(init_message(group_select="CERT", client_cert_fail=True))
    error = retry.xml.find("auth/error")
    assert error is not None and (error.get("id"), error.text) == (
        "91",
        "Certificate Validation Failure",
    )
    assert form_inputs(retry) == []  # no login fields for a certificate-only group
    assert group_options(retry) == ["CORP", "CERT*", "CONTRACTORS"]


def test_a_certificate_from_an_unknown_ca_is_a_certificate_validation_failure(
    lab: CorpLab,
) -> None:
    reply = lab.client("stranger", CN="eve").post(init_message(group_select="CERT"))
    assert reply.text("auth/error") == "Certificate Validation Failure"
    assert opaque_group(reply) == ("TG-CERT", "CERT") and lab.sessions() == []


@pytest.mark.parametrize(
    "clock_offset",
    [2 * YEAR, -dt.timedelta(days=2)],
    ids=["expired-by-device-clock", "not-yet-valid-by-device-clock"],
)
def test_the_device_clock_decides_certificate_validity(
    lab: CorpLab, clock_offset: dt.timedelta
) -> None:
    client = lab.client("issuing", CN="dave")
    assert client.post(init_message(group_select="CERT")).xml.get("type") == "complete"
    set_clock_offset(lab.asa, clock_offset)  # what ``clock set`` does
    reply = client.post(init_message(group_select="CERT"))
    assert reply.text("auth/error") == "Certificate Validation Failure"
    assert len(lab.sessions()) == 1  # only the login before the clock moved
