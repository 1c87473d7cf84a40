"""The AnyConnect aggregate-auth XML: build the client's messages, parse the server's.

Pure functions, no I/O. :func:`parse_config_auth` reads untrusted server data through
defusedxml with DTDs, entities and external references forbidden and with bounds on size,
depth and element count; anything else is refused with an :class:`AggAuthXmlError`
naming the reason, never parsed partially.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

import defusedxml
import defusedxml.ElementTree

MAX_XML_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_ELEMENTS = 4096

XmlErrorKind = Literal[
    "dtd", "entity", "external", "malformed", "too-large", "too-deep", "too-many-elements",
    "not-config-auth",
]  # fmt: skip


class AggAuthXmlError(ValueError):
    def __init__(self, kind: XmlErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: XmlErrorKind = kind


@dataclass(frozen=True)
class Redacted:
    """A secret kept only as long as the exchange needs it; never shown by repr."""

    value: str = field(repr=False)


@dataclass(frozen=True)
class FormInput:
    type: str
    name: str
    label: str


@dataclass(frozen=True)
class SelectOption:
    label: str
    value: str
    selected: bool


@dataclass(frozen=True)
class FormSelect:
    name: str
    label: str
    options: tuple[SelectOption, ...]


@dataclass(frozen=True)
class ConfigAuth:
    """One ``<config-auth>`` message from the server."""

    type: str
    aggregate_auth_version: str | None = None
    tunnel_group: str | None = None
    group_alias: str | None = None
    config_hash: str | None = None
    auth_id: str | None = None
    title: str | None = None
    message: str | None = None
    banner: str | None = None
    error: str | None = None
    error_id: str | None = None
    inputs: tuple[FormInput, ...] = ()
    selects: tuple[FormSelect, ...] = ()
    client_cert_request: bool = False
    multiple_client_cert_request: bool = False
    cert_authenticated: bool = False
    session_id: str | None = None
    session_token: Redacted | None = None
    server_cert_hash: str | None = None

    @property
    def form_fields(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs) + tuple(s.name for s in self.selects)

    @property
    def group_list(self) -> tuple[str, ...]:
        for select in self.selects:
            if select.name == "group_list":
                return tuple(option.label for option in select.options)
        return ()


# ------------------------------------------------------------------ building


def _element(name: str, text: str, **attributes: str) -> str:
    attrs = "".join(
        f' {k.replace("_", "-")}="{escape(v, {chr(34): "&quot;"})}"' for k, v in attributes.items()
    )
    return f"<{name}{attrs}>{escape(text)}</{name}>"


def init_request(
    *,
    version: str,
    device_id: str,
    group_access: str,
    group_select: str | None = None,
    client_cert_fail: bool = False,
    auth_methods: Iterable[str] = ("single-sign-on-v2",),
) -> bytes:
    """The client's first message, in the element order of a Cisco client (reference 2.3)."""
    parts = [
        _element("version", version, who="vpn"),
        _element("device-id", device_id),
    ]
    if group_select:
        parts.append(_element("group-select", group_select))
    parts.append(_element("group-access", group_access))
    methods = "".join(_element("auth-method", m) for m in auth_methods)
    parts.append(f"<capabilities>{methods}</capabilities>")
    if client_cert_fail:
        parts.append("<client-cert-fail/>")
    return _document("init", parts)


def logout_request(session_token: str) -> bytes:
    return _document("logout", [_element("session-token", session_token)])


def _document(kind: str, parts: list[str]) -> bytes:
    body = "\n".join(parts)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<config-auth client="vpn" type="{kind}" aggregate-auth-version="2">\n'
        f"{body}\n</config-auth>\n"
    ).encode()


# ------------------------------------------------------------------ parsing


def _parse_tree(data: bytes) -> Element:
    if len(data) > MAX_XML_BYTES:
        raise AggAuthXmlError(
            "too-large", f"XML answer of {len(data)} bytes (limit {MAX_XML_BYTES})"
        )
    depth = elements = 0
    root: Element | None = None
    try:
        events = defusedxml.ElementTree.iterparse(
            io.BytesIO(data), events=("start", "end"), forbid_dtd=True
        )
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            root = element if root is None else root
            depth += 1
            elements += 1
            if depth > MAX_DEPTH:
                raise AggAuthXmlError("too-deep", f"XML nested deeper than {MAX_DEPTH} levels")
            if elements > MAX_ELEMENTS:
                raise AggAuthXmlError("too-many-elements", f"XML has over {MAX_ELEMENTS} elements")
    except defusedxml.DTDForbidden:
        raise AggAuthXmlError("dtd", "the XML carries a DTD (refused: XML bomb guard)") from None
    except defusedxml.EntitiesForbidden:
        raise AggAuthXmlError("entity", "the XML declares entities (refused)") from None
    except defusedxml.ExternalReferenceForbidden:
        raise AggAuthXmlError(
            "external", "the XML references external resources (refused)"
        ) from None
    except ParseError as error:
        raise AggAuthXmlError("malformed", f"not well-formed XML: {error}") from None
    except AggAuthXmlError:
        raise
    except (LookupError, ValueError) as error:
        # An XML declaration naming an encoding expat cannot use (UnicodeError is a ValueError).
        raise AggAuthXmlError("malformed", f"unusable XML encoding: {error}") from None
    if root is None:
        raise AggAuthXmlError("malformed", "empty XML document")
    return root


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    return (element.text or "").strip()


def _child(parent: Element | None, name: str) -> Element | None:
    return None if parent is None else parent.find(name)


def _opaque(root: Element) -> Element | None:
    opaques = root.findall("opaque")
    return next((o for o in opaques if o.get("is-for") == "sg"), opaques[0] if opaques else None)


def _inputs(form: Element | None) -> tuple[FormInput, ...]:
    if form is None:
        return ()
    return tuple(
        FormInput(i.get("type", "text"), i.get("name", ""), i.get("label", ""))
        for i in form.findall("input")
    )


def _selects(form: Element | None) -> tuple[FormSelect, ...]:
    if form is None:
        return ()
    selects: list[FormSelect] = []
    for select in form.findall("select"):
        options = tuple(
            SelectOption(
                label=_text(o) or "",
                value=o.get("value") or _text(o) or "",
                selected=(o.get("selected") or "").lower() == "true",
            )
            for o in select.findall("option")
        )
        selects.append(FormSelect(select.get("name", ""), select.get("label", ""), options))
    return tuple(selects)


def parse_config_auth(data: bytes) -> ConfigAuth:
    """Parse one server answer; :class:`AggAuthXmlError` if it is not a safe config-auth."""
    root = _parse_tree(data)
    if root.tag != "config-auth":
        raise AggAuthXmlError("not-config-auth", f"root element is <{root.tag}>, not <config-auth>")
    opaque = _opaque(root)
    auth = root.find("auth")
    form = _child(auth, "form")
    error = _child(auth, "error")
    if error is None:
        error = root.find("error")
    token = _text(root.find("session-token"))
    return ConfigAuth(
        type=root.get("type", ""),
        aggregate_auth_version=root.get("aggregate-auth-version"),
        tunnel_group=_text(_child(opaque, "tunnel-group")) or None,
        group_alias=_text(_child(opaque, "group-alias")) or None,
        config_hash=_text(_child(opaque, "config-hash")) or None,
        auth_id=None if auth is None else auth.get("id"),
        title=_text(_child(auth, "title")),
        message=_text(_child(auth, "message")),
        banner=_text(_child(auth, "banner")),
        error=_text(error) or None,
        error_id=None if error is None else error.get("id"),
        inputs=_inputs(form),
        selects=_selects(form),
        client_cert_request=root.find("client-cert-request") is not None,
        multiple_client_cert_request=root.find("multiple-client-cert-request") is not None,
        cert_authenticated=root.find("cert-authenticated") is not None,
        session_id=_text(root.find("session-id")) or None,
        session_token=Redacted(token) if token else None,
        server_cert_hash=_text(root.find("config/vpn-base-config/server-cert-hash")) or None,
    )
