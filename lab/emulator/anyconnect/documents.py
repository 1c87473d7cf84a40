"""The ASA's answers to aggregate-auth messages (anyconnect-protocol.md sections 3, 5, 6).

Shapes follow the captures; where the sources leave a detail open the choice is named in
docs/fidelity-listener.md (error ids 88/91, ``<opaque>`` in ``client-cert-request``, the
logout answer).
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.emulator.anyconnect.messages import Opaque
from lab.emulator.anyconnect.xmlnode import Node, document, leaf

AGGREGATE_AUTH_VERSION = "2"
LOGIN_MESSAGE = "Please enter your username and password."


@dataclass(frozen=True)
class GroupList:
    """``<select name="group_list">``: one option per enabled alias."""

    aliases: tuple[str, ...]
    selected: str | None


@dataclass(frozen=True)
class FormError:
    text: str
    id: str | None = None


#: ``<error id="88" param1="" param2="">Login failed.</error>`` [THIRD].
LOGIN_FAILED = FormError("Login failed.", "88")
#: The exact text openconnect rewrites [CODE] 82c85c8f; the id is the emulator's choice.
CERTIFICATE_VALIDATION_FAILURE = FormError("Certificate Validation Failure", "91")


def _root(kind: str, *children: Node) -> Node:
    attributes = (
        ("client", "vpn"),
        ("type", kind),
        ("aggregate-auth-version", AGGREGATE_AUTH_VERSION),
    )
    return Node("config-auth", attributes, children=children)


def opaque_node(opaque: Opaque) -> Node:
    return Node(
        "opaque",
        (("is-for", opaque.is_for),),
        children=tuple(leaf(tag, text) for tag, text in opaque.fields),
    )


def _group_list(group_list: GroupList) -> Node:
    options = tuple(
        Node("option", (("selected", "true"),) if alias == group_list.selected else (), alias)
        for alias in group_list.aliases
    )
    return Node("select", (("name", "group_list"), ("label", "GROUP:")), children=options)


def auth_request(
    opaque: Opaque,
    *,
    credentials: bool,
    group_list: GroupList | None,
    error: FormError | None = None,
) -> bytes:
    """The login form (``credentials``) or a form holding only the group list."""
    inputs: list[Node] = []
    if credentials:
        inputs.append(
            Node("input", (("type", "text"), ("name", "username"), ("label", "Username:")))
        )
        inputs.append(
            Node("input", (("type", "password"), ("name", "password"), ("label", "Password:")))
        )
    if group_list is not None:
        inputs.append(_group_list(group_list))
    auth_children = [leaf("title", "Login"), leaf("message", LOGIN_MESSAGE), leaf("banner")]
    if error is not None:
        ids = (("id", error.id), ("param1", ""), ("param2", "")) if error.id is not None else ()
        auth_children.append(leaf("error", error.text, *ids))
    auth_children.append(Node("form", children=tuple(inputs)))
    auth = Node("auth", (("id", "main"),), children=tuple(auth_children))
    return document(_root("auth-request", opaque_node(opaque), auth))


def client_cert_request(opaque: Opaque) -> bytes:
    """The group needs a certificate this TLS session lacks (section 5.2)."""
    return document(
        _root("auth-request", opaque_node(opaque), Node("client-cert-request", short=True))
    )


def complete(session_id: str, session_token: str, server_cert_hash: str) -> bytes:
    """Logged in (section 6): the token becomes the client's ``webvpn`` cookie."""
    auth = Node(
        "auth",
        (("id", "success"),),
        children=(
            leaf("banner"),
            leaf("message", "", ("id", "0"), ("param1", ""), ("param2", "")),
        ),
    )
    base_config = Node(
        "vpn-base-config", children=(leaf("nopkg"), leaf("server-cert-hash", server_cert_hash))
    )
    config = Node(
        "config",
        (("client", "vpn"), ("type", "private")),
        children=(base_config, leaf("opaque", "", ("is-for", "vpn-client"))),
    )
    capabilities = Node("capabilities", children=(leaf("crypto-supported", "ssl-dhe"),))
    return document(
        _root(
            "complete",
            leaf("session-id", session_id),
            leaf("session-token", session_token),
            auth,
            capabilities,
            config,
        )
    )


def root_error(text: str) -> bytes:
    """A request the listener cannot act on (malformed XML, unknown type): an auth-request
    whose only content is a root-level ``<error>``, so clients stop cleanly."""
    return document(_root("auth-request", leaf("error", text)))


def logged_out() -> bytes:
    """Answer to ``<config-auth type="logout">`` that ended a session (unverified: neither
    the message nor an answer to it has been captured)."""
    auth = Node("auth", (("id", "logout"),), children=(leaf("message", "Logout successful."),))
    return document(_root("complete", auth))
