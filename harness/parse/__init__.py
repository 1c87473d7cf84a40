"""Parsers for ASA show output: one module per command, each returning typed records.

    from harness.parse import parse
    certificates = parse("sh cry ca cert", session.exec("show crypto ca certificates").output)

Text that is not the command's output (an ``ERROR: % Invalid input`` answer, a truncated
or foreign text) raises ParseError with the line number, the line and what was expected.
"""

from harness.parse._dn import DistinguishedName, canonical_key
from harness.parse._time import DEFAULT_ZONE_OFFSETS, DeviceTime, ZoneOffsets, parse_stamp
from harness.parse.certificates import CertificateRecord, parse_certificates
from harness.parse.clock import ClockReading, parse_clock
from harness.parse.errors import ParseError, UnsupportedCommandError
from harness.parse.keys import KeyPairRecord, parse_keypairs
from harness.parse.registry import PARSERS, Parser, ParseResult, parse, parser_for
from harness.parse.running_config import RunningConfig, parse_running_config
from harness.parse.ssl import KeyDetails, SelfSignedSslCertificate, SslBinding, SslStatus, parse_ssl
from harness.parse.ssl_certificate import ServedCertificates, parse_ssl_certificate
from harness.parse.trustpoints import TrustpointRecord, parse_trustpoints
from harness.parse.version import VersionRecord, parse_version
from harness.parse.vpn_sessions import VpnSessionRecord, parse_vpn_sessions
from harness.parse.write_memory import WriteMemoryResult, parse_write_memory

__all__ = [
    "DEFAULT_ZONE_OFFSETS",
    "PARSERS",
    "CertificateRecord",
    "ClockReading",
    "DeviceTime",
    "DistinguishedName",
    "KeyDetails",
    "KeyPairRecord",
    "ParseError",
    "ParseResult",
    "Parser",
    "RunningConfig",
    "SelfSignedSslCertificate",
    "ServedCertificates",
    "SslBinding",
    "SslStatus",
    "TrustpointRecord",
    "UnsupportedCommandError",
    "VersionRecord",
    "VpnSessionRecord",
    "WriteMemoryResult",
    "ZoneOffsets",
    "canonical_key",
    "parse",
    "parse_certificates",
    "parse_clock",
    "parse_keypairs",
    "parse_running_config",
    "parse_ssl",
    "parse_ssl_certificate",
    "parse_stamp",
    "parse_trustpoints",
    "parse_version",
    "parse_vpn_sessions",
    "parse_write_memory",
    "parser_for",
]
