"""Configuration written as the article writes it where the ASA expects another form.

Reference: asa-cli.md section 14 (rows 1 and 2) and section 11.
"""

from __future__ import annotations

import re

from harness.diagnose import codes, fixes
from harness.diagnose.evidence import ConfigLine, Evidence
from harness.diagnose.facts import Settings
from harness.diagnose.model import Diagnosis

_AUTHENTICATION = re.compile(
    r"^\s*authentication\s+(aaa\s+certificate|certificate|aaa|saml)\s*$", re.I
)
_GENERAL_ATTRIBUTES = re.compile(r"^\s*tunnel-group\s+(\S+)\s+general-attributes\s*$", re.I)
_TUNNEL_GROUP_MAP = re.compile(
    r"^\s*tunnel-group-map\s+(?!enable\b|default-group\b)(\S+)\s+(\d+)\s+(\S+)\s*$", re.I
)
_CERTIFICATE_GROUP_MAP = re.compile(r"^\s*certificate-group-map\s+(\S+)\s+(\d+)\s+(\S+)\s*$", re.I)


def _answer(line: ConfigLine) -> str:
    return line.answer.strip().replace("\n", " / ") or "(no output)"


def _misplaced_authentication(line: ConfigLine) -> Diagnosis | None:
    method = _AUTHENTICATION.match(line.line)
    parent = _GENERAL_ATTRIBUTES.match(line.parent or "")
    if method is None or parent is None:
        return None
    tunnel_group, keyword = parent.group(1), " ".join(method.group(1).lower().split())
    outcome = (
        f"the device rejected it: {_answer(line)}"
        if line.rejected
        else "the device accepted it there; check with `show running-config tunnel-group` that "
        "it took effect"
    )
    return Diagnosis(
        codes.ARTICLE_FORM,
        "failure" if line.rejected else "warning",
        f"`authentication {keyword}` was entered under `tunnel-group {tunnel_group} "
        "general-attributes`, as the article shows; the ASA documents it as a webvpn-attributes "
        f"command (tunnel-group webvpn configuration mode), and {outcome}.",
        fixes.webvpn_authentication(tunnel_group, keyword),
        (f"line: {line.line.strip()}", f"under: {line.parent}", f"answer: {_answer(line)}"),
    )


def _ssl_routed_maps(lines: tuple[ConfigLine, ...]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for line in lines:
        match = _CERTIFICATE_GROUP_MAP.match(line.line)
        if match and not line.rejected:
            found.add((match.group(1).lower(), match.group(2)))
    return found


def article_form(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
    if evidence.device is None:
        return []
    lines = evidence.device.config_lines
    found = [d for d in map(_misplaced_authentication, lines) if d is not None]
    routed = _ssl_routed_maps(lines)
    for line in lines:
        match = _TUNNEL_GROUP_MAP.match(line.line)
        if match is None or line.parent or (match.group(1).lower(), match.group(2)) in routed:
            continue
        map_name, sequence, tunnel_group = match.group(1), int(match.group(2)), match.group(3)
        found.append(
            Diagnosis(
                codes.ARTICLE_FORM,
                "warning",
                f"`{line.line.strip()}` routes certificate map {map_name} {sequence} to "
                f"{tunnel_group} for IKE/IPsec sessions only: AnyConnect SSL connections are "
                "routed by `certificate-group-map` under `webvpn`, so this line, as the article "
                "uses it, does not send AnyConnect users to that tunnel-group.",
                fixes.certificate_group_map(map_name, sequence, tunnel_group, None)[-2:],
                (f"line: {line.line.strip()}", f"answer: {_answer(line)}"),
            )
        )
    return found
