"""A tiny XML writer that lays documents out as the captured ASA answers are: one element
per line, no indentation, text inline (anyconnect-protocol.md sections 3.2 and 6)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


@dataclass(frozen=True)
class Node:
    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    text: str | None = None
    children: tuple[Node, ...] = ()
    #: ``<client-cert-request />``: written in the short form, as the captures show it.
    short: bool = False

    def lines(self) -> list[str]:
        attributes = "".join(
            f' {name}="{escape(value, _ATTRIBUTE_ESCAPES)}"' for name, value in self.attributes
        )
        if self.short and not self.children and self.text is None:
            return [f"<{self.tag}{attributes} />"]
        if not self.children:
            return [f"<{self.tag}{attributes}>{escape(self.text or '')}</{self.tag}>"]
        inner = [line for child in self.children for line in child.lines()]
        return [f"<{self.tag}{attributes}>", *inner, f"</{self.tag}>"]


def document(root: Node) -> bytes:
    return ("\n".join([XML_DECLARATION, *root.lines()]) + "\n").encode("utf-8")


def leaf(tag: str, text: str = "", *attributes: tuple[str, str]) -> Node:
    return Node(tag, attributes, text)
