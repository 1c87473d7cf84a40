"""The TLS side of the listener, seen by real clients: which interfaces accept, which chain
each SNI name gets, the CertificateRequest, and a client that cannot prove its key."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from OpenSSL import SSL

from harness.device import DeviceSession
from harness.pki import IssuedIdentity
from lab.emulator.embedded import EmbeddedASA
from tests.lab.emulator.test_listener_support import (
    PARTNER_NAME,
    SERVER_NAME,
    ListenerPki,
    configure,
    install_ca,
    install_identity,
    listener_pki,
    s_client,
)

__all__ = ["listener_pki"]  # a fixture: imported so that pytest finds it

Tool = Callable[[str], str]
CORP_CHAIN = ("CN=vpn.example.lab", "CN=Listener Issuing CA")
PARTNER_CHAIN = ("CN=partner.example.lab", "CN=Partner Root CA")


def refused(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=10):
            return False
    except ConnectionRefusedError:
        return True


def install_corp(asa: EmbeddedASA, pki: ListenerPki) -> None:
    install_identity(asa, "TP-CORP", pki.server, [pki.issuing.certificate])


def test_only_interfaces_with_webvpn_enable_accept(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession
) -> None:
    inside = virtual_asa.interface_address("inside")
    assert not refused(virtual_asa.interface_address("outside"))  # the baseline enables it
    assert refused(inside)
    configure(asa_session, "webvpn", "enable inside")
    assert not refused(inside)  # in force as soon as the command returned
    configure(asa_session, "webvpn", "no enable inside")
    assert refused(inside)
    configure(asa_session, "webvpn", "enable inside")  # the same port again
    assert not refused(inside)


def test_the_temporary_certificate_is_served_when_nothing_is_bound(
    virtual_asa: EmbeddedASA, tool: Tool
) -> None:
    result = s_client(
        tool("openssl"), virtual_asa.interface_address("outside"), servername=SERVER_NAME
    )
    temporary = virtual_asa.call(lambda: virtual_asa.asa.temporary_identity()[0])
    assert result.chain == (temporary,)
    assert temporary.subject == temporary.issuer


def test_each_sni_name_gets_its_trustpoints_chain(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession, listener_pki: ListenerPki, tool: Tool
) -> None:
    openssl = tool("openssl")
    install_corp(virtual_asa, listener_pki)
    install_identity(
        virtual_asa, "TP-PARTNER", listener_pki.partner_server, [listener_pki.partner.certificate]
    )
    configure(
        asa_session,
        "ssl trust-point TP-CORP outside",
        f"ssl trust-point TP-PARTNER domain {PARTNER_NAME}",
    )
    outside = virtual_asa.interface_address("outside")
    assert s_client(openssl, outside, servername=PARTNER_NAME).chain_subjects == PARTNER_CHAIN
    assert s_client(openssl, outside, servername=SERVER_NAME).chain_subjects == CORP_CHAIN
    assert s_client(openssl, outside, servername=None).chain_subjects == CORP_CHAIN
    assert s_client(openssl, outside, servername="other.example.lab").chain_subjects == CORP_CHAIN


def test_a_trustpoint_bound_without_interface_serves_every_interface(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession, listener_pki: ListenerPki, tool: Tool
) -> None:
    install_corp(virtual_asa, listener_pki)
    configure(asa_session, "ssl trust-point TP-CORP", "webvpn", "enable inside")
    for nameif in ("outside", "inside"):
        result = s_client(tool("openssl"), virtual_asa.interface_address(nameif), servername=None)
        assert result.chain_subjects == CORP_CHAIN


def test_an_unauthenticated_intermediate_is_missing_from_the_chain(
    virtual_asa: EmbeddedASA,
    asa_session: DeviceSession,
    listener_pki: ListenerPki,
    tool: Tool,
    tmp_path: Path,
) -> None:
    """The article's gotcha 2: the identity was imported, the issuing CA never authenticated."""
    openssl = tool("openssl")
    root_pem = tmp_path / "root.pem"
    root_pem.write_bytes(listener_pki.root.certificate.public_bytes(Encoding.PEM))
    install_identity(virtual_asa, "TP-CORP", listener_pki.server, [])
    configure(asa_session, "ssl trust-point TP-CORP outside")
    outside = virtual_asa.interface_address("outside")

    incomplete = s_client(openssl, outside, servername=SERVER_NAME, ca_file=root_pem)
    assert incomplete.chain_subjects == CORP_CHAIN[:1]
    assert "Verify return code: 21 (unable to verify the first certificate)" in incomplete.output

    install_corp(virtual_asa, listener_pki)  # now with the issuing CA authenticated
    complete = s_client(openssl, outside, servername=SERVER_NAME, ca_file=root_pem)
    assert complete.chain_subjects == CORP_CHAIN
    assert "Verify return code: 0 (ok)" in complete.output


def test_rebinding_applies_to_the_next_connection_without_a_restart(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession, listener_pki: ListenerPki, tool: Tool
) -> None:
    openssl = tool("openssl")
    old, new = listener_pki.server, listener_pki.issuing.issue_server(SERVER_NAME)
    install_identity(virtual_asa, "TP-2026", old, [listener_pki.issuing.certificate])
    install_identity(virtual_asa, "TP-2027", new, [listener_pki.issuing.certificate])
    outside = virtual_asa.interface_address("outside")

    def served() -> IssuedIdentity:
        leaf = s_client(openssl, outside, servername=SERVER_NAME).chain[0]
        return old if leaf == old.certificate else new

    configure(asa_session, "ssl trust-point TP-2026 outside")
    assert served() is old
    configure(asa_session, "ssl trust-point TP-2027 outside")
    assert served() is new
    configure(asa_session, "ssl trust-point TP-2026 outside")  # rollback
    assert served() is old


def test_the_certificate_request_names_the_client_ca_trustpoints(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession, listener_pki: ListenerPki, tool: Tool
) -> None:
    openssl = tool("openssl")
    install_corp(virtual_asa, listener_pki)
    install_ca(virtual_asa, "CLIENT-CA", listener_pki.root.certificate)
    configure(asa_session, "ssl trust-point TP-CORP outside")
    outside = virtual_asa.interface_address("outside")

    before = s_client(openssl, outside, servername=SERVER_NAME)
    assert before.acceptable_ca_names is None
    assert "No client certificate CA names sent" in before.output

    configure(
        asa_session,
        "tunnel-group TG-CERT type remote-access",
        "tunnel-group TG-CERT webvpn-attributes",
        "authentication certificate",
        "group-alias CERT enable",
    )
    after = s_client(openssl, outside, servername=SERVER_NAME)
    assert after.acceptable_ca_names == ("CN = Listener Issuing CA", "CN = Listener Root CA")
    # Requested, not required: the handshake without a client certificate completed.
    assert after.chain_subjects == CORP_CHAIN


def test_a_client_that_cannot_prove_its_key_fails_the_handshake(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession, listener_pki: ListenerPki
) -> None:
    install_corp(virtual_asa, listener_pki)
    install_ca(virtual_asa, "CLIENT-CA", listener_pki.root.certificate)
    configure(
        asa_session,
        "ssl trust-point TP-CORP outside",
        "tunnel-group DefaultWEBVPNGroup webvpn-attributes",
        "authentication certificate",
    )
    alice = listener_pki.issuing.issue_client(CN="alice")
    outside = virtual_asa.interface_address("outside")
    assert tls12_handshake(outside, alice, forge_proof=False) == "handshake completed"
    outcome = tls12_handshake(outside, alice, forge_proof=True)
    assert outcome.startswith("handshake failed") and "decrypt error" in outcome


_HANDSHAKE_RECORD = 22
_CERTIFICATE_VERIFY = 15


def forge_certificate_verify(flight: bytes) -> bytes:
    """Flip the last signature byte of a (plaintext, TLS 1.2) CertificateVerify: the proof
    no longer matches the key of the certificate sent before it."""
    out = bytearray(flight)
    position = 0
    while position + 5 <= len(out):
        length = int.from_bytes(out[position + 3 : position + 5], "big")
        body = position + 5
        if out[position] == _HANDSHAKE_RECORD and out[body] == _CERTIFICATE_VERIFY:
            out[body + length - 1] ^= 0x01
        position = body + length
    return bytes(out)


def tls12_handshake(
    address: tuple[str, int], identity: IssuedIdentity, *, forge_proof: bool
) -> str:
    """Handshake as a TLS 1.2 client presenting ``identity``; how it ended."""
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_max_proto_version(SSL.TLS1_2_VERSION)
    context.use_certificate(identity.certificate)
    context.use_privatekey(identity.private_key)
    tls = SSL.Connection(context, None)
    tls.set_tlsext_host_name(SERVER_NAME.encode())
    tls.set_connect_state()
    with socket.create_connection(address, timeout=10) as sock:
        while True:
            try:
                tls.do_handshake()
                return "handshake completed"
            except SSL.WantReadError:
                pass
            except SSL.Error as error:
                return f"handshake failed: {error}"
            flight = tls.bio_read(65536)
            sock.sendall(forge_certificate_verify(flight) if forge_proof else flight)
            data = sock.recv(65536)
            if not data:
                return "connection closed by the server"
            tls.bio_write(data)
