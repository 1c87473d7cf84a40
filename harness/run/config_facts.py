"""Facts read from a device's ``show running-config`` text: certificate chains (the hex
blocks), ``ssl trust-point`` bindings, and every line with the block it belongs to.

Works on any ASA's configuration (nothing here needs the virtual ASA's model)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cryptography import x509

from harness.diagnose import ConfigLine

_CHAIN = re.compile(r"^crypto ca certificate chain (\S+)$")
_CERTIFICATE = re.compile(r"^ certificate( ca)? (\S+)$")
_HEX_LINE = re.compile(r"^\s{3,}[0-9a-fA-F ]+$")
_SSL_BINDING = re.compile(r"^ssl trust-point (\S+)(?: (?!domain\b)(\S+))?(?: domain (\S+))?\s*$")


@dataclass
class TrustpointCertificates:
    identity: x509.Certificate | None = None
    cas: list[x509.Certificate] = field(default_factory=list)


@dataclass(frozen=True)
class SslBindingLine:
    trustpoint: str
    nameif: str | None
    domain: str | None


def blocks(lines: list[str] | tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """(top-level line, its indented lines) in order; comment lines (``!``, ``:``) skipped."""
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        if not line.strip() or line.startswith(("!", ":")):
            continue
        if line.startswith(" ") and found:
            found[-1][1].append(line)
        else:
            found.append((line.rstrip(), []))
    return found


def certificate_chains(lines: list[str] | tuple[str, ...]) -> dict[str, TrustpointCertificates]:
    chains: dict[str, TrustpointCertificates] = {}
    for header, children in blocks(lines):
        chain = _CHAIN.match(header)
        if not chain:
            continue
        holder = chains.setdefault(chain.group(1), TrustpointCertificates())
        kind: str | None = None
        hex_text: list[str] = []
        for child in [*children, "  quit"]:
            started = _CERTIFICATE.match(child)
            if started or child.strip() == "quit":
                if kind is not None and hex_text:
                    certificate = _load("".join(hex_text))
                    if certificate is not None:
                        if kind == "ca":
                            holder.cas.append(certificate)
                        else:
                            holder.identity = certificate
                kind = ("ca" if started.group(1) else "identity") if started else None
                hex_text = []
            elif kind is not None and _HEX_LINE.match(child):
                hex_text.append(child.replace(" ", ""))
    return chains


def _load(hex_text: str) -> x509.Certificate | None:
    try:
        return x509.load_der_x509_certificate(bytes.fromhex(hex_text))
    except ValueError:
        return None


def ssl_bindings(lines: list[str] | tuple[str, ...]) -> list[SslBindingLine]:
    found: list[SslBindingLine] = []
    for header, _children in blocks(lines):
        match = _SSL_BINDING.match(header)
        if match:
            found.append(SslBindingLine(match.group(1), match.group(2), match.group(3)))
    return found


def config_lines(lines: list[str] | tuple[str, ...]) -> tuple[ConfigLine, ...]:
    """Every line with its parent block header, for the checks on how things are written."""
    result: list[ConfigLine] = []
    for header, children in blocks(lines):
        result.append(ConfigLine(header))
        result.extend(
            ConfigLine(child, parent=header) for child in children if not _HEX_LINE.match(child)
        )
    return tuple(result)
