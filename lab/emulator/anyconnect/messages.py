"""What an AnyConnect client sends: one ``<config-auth>`` document per POST
(anyconnect-protocol.md sections 2.3, 4 and 7), parsed with defusedxml."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_MESSAGE_BYTES = 64 * 1024


class MalformedMessageError(ValueError):
    """The body is not a ``<config-auth>`` document the listener can read."""


@dataclass(frozen=True)
class Opaque:
    """``<opaque is-for="sg">``: what the server handed out, compared field by field so
    that re-serialisation by the client (whitespace, quoting) does not matter."""

    is_for: str
    fields: tuple[tuple[str, str], ...]

    def get(self, tag: str) -> str | None:
        return next((text for name, text in self.fields if name == tag), None)


@dataclass(frozen=True)
class ClientMessage:
    type: str
    group_access: str | None = None
    group_select: str | None = None
    opaque: Opaque | None = None
    username: str | None = None
    password: str | None = None
    client_cert_fail: bool = False
    session_token: str | None = None
    version: str | None = None


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    return (element.text or "").strip()


def _raw_text(element: Element | None) -> str | None:
    """Text kept as sent (a password may start or end with a space)."""
    return None if element is None else element.text or ""


def _opaque(element: Element | None) -> Opaque | None:
    if element is None:
        return None
    fields = tuple((child.tag, (child.text or "").strip()) for child in element)
    return Opaque(element.get("is-for", ""), fields)


def parse_client_message(body: bytes) -> ClientMessage:
    if len(body) > MAX_MESSAGE_BYTES:
        raise MalformedMessageError(f"the request body exceeds {MAX_MESSAGE_BYTES} bytes")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError, LookupError) as error:
        raise MalformedMessageError(f"the request body is not well-formed XML: {error}") from error
    if root.tag != "config-auth":
        raise MalformedMessageError(f"the document element is <{root.tag}>, not <config-auth>")
    message_type = root.get("type")
    if not message_type:
        raise MalformedMessageError("<config-auth> has no type attribute")
    auth = root.find("auth")
    return ClientMessage(
        type=message_type,
        group_access=_text(root.find("group-access")) or None,
        group_select=_text(root.find("group-select")) or None,
        opaque=_opaque(root.find("opaque")),
        username=_text(auth.find("username")) if auth is not None else None,
        password=_raw_text(auth.find("password")) if auth is not None else None,
        client_cert_fail=root.find("client-cert-fail") is not None,
        session_token=_text(root.find("session-token")) or None,
        version=_text(root.find("version")),
    )
