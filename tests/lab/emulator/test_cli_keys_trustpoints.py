"""Keys (generate, replace, zeroize) and trustpoint settings (asa-cli.md sections 6, 7, 8.7)."""

from __future__ import annotations

import pytest

from tests.lab.emulator.cli_console import Console, assert_layout
from tests.lab.emulator.conftest import install_key, rsa_key

GENERATED_923 = [
    "Keypair generation process begin. Please wait...",
    "The RSA keypairs were successfully generated.",
]


def test_generate_rsa_default_label_prints_the_name(console: Console) -> None:
    out = console.run("crypto key generate rsa modulus 2048")
    assert out.splitlines() == [
        "INFO: The name for the keys will be: <Default-RSA-Key>",
        *GENERATED_923,
    ]
    assert console.device.keypairs["<Default-RSA-Key>"].size == 2048


def test_generate_replace_dialogue_legacy_capture(legacy_console: Console) -> None:
    """[REAL] NETDEV: the replace question, then generation; legacy prints no success line."""
    install_key(legacy_console, "<Default-RSA-Key>", rsa_key("old"))
    out = legacy_console.run("crypto key generate rsa modulus 1024", "yes")
    assert out.splitlines() == [
        "WARNING: You have a RSA keypair already defined named <Default-RSA-Key>.",
        "",
        "Do you really want to replace them? [yes/no]: yes",
        "Keypair generation process begin. Please wait...",
    ]
    assert legacy_console.device.keypairs["<Default-RSA-Key>"].size == 1024


def test_answering_no_keeps_the_key(console: Console) -> None:
    install_key(console, "VPN-RSA", rsa_key())
    out = console.run("crypto key generate rsa label VPN-RSA modulus 2048", "no")
    assert out.splitlines()[-1] == "Do you really want to replace them? [yes/no]: no"
    assert console.device.keypairs["VPN-RSA"].private_key is rsa_key()


def test_labelled_key_info_line_only_in_legacy_interactive(legacy_console: Console) -> None:
    out = legacy_console.run("crypto key generate ecdsa label VPN-EC elliptic-curve 384")
    assert out.splitlines() == [
        "INFO: The name for the keys will be: VPN-EC",
        "Keypair generation process begin. Please wait...",
    ]
    assert legacy_console.device.keypairs["VPN-EC"].size == 384


def test_zeroize_unknown_label_is_the_captured_error(console: Console) -> None:
    assert console.run("crypto key zeroize rsa label NOPE noconfirm") == (
        "ERROR: The specified RSA keypair does not exist (NOPE).\n"
    )


def test_zeroize_removes_the_key_and_the_certificates_issued_for_it(console: Console) -> None:
    install_key(console, "VPN-RSA", rsa_key())
    for line in ["crypto ca trustpoint SELF", " enrollment self", " keypair VPN-RSA", " exit"]:
        console.run(line)
    console.run("crypto ca enroll SELF noconfirm")
    out = console.run("crypto key zeroize rsa label VPN-RSA", "no")
    assert out.splitlines() == [
        "WARNING: All RSA keys will be removed.",
        "WARNING: All device digital certificates issued using these keys will also be removed.",
        "Do you really want to remove these keys? [yes/no]: no",
    ]
    assert "VPN-RSA" in console.device.keypairs
    assert console.run("crypto key zeroize rsa label VPN-RSA noconfirm") == ""
    assert "VPN-RSA" not in console.device.keypairs
    assert console.device.trustpoints["SELF"].identity_certificate is None
    assert "crypto ca certificate chain" not in console.show_run()


def test_trustpoint_subcommands_and_no_forms(console: Console) -> None:
    lines = [
        "crypto ca trustpoint TP",
        " enrollment terminal",
        " fqdn vpn.example.lab",
        ' subject-name CN=vpn.example.lab,OU=Network Ops,O="Example, Lab",C=US,St=CA,L=Springfield',
        " ip-address 192.0.2.10",
        " keypair VPN-RSA",
        " id-usage ssl-ipsec",
        " validation-usage ssl-client ssl-server",
        " revocation-check crl none",
        " no ca-check",
        " proxy-ldc-issuer",
        " client-types ssl",
    ]
    assert all(out == "" for out in console.runs(lines))
    assert console.exec("show running-config crypto ca trustpoint TP").splitlines() == [
        "crypto ca trustpoint TP",
        " enrollment terminal",
        " fqdn vpn.example.lab",
        ' subject-name CN=vpn.example.lab,OU=Network Ops,O="Example, Lab",C=US,St=CA,L=Springfield',
        " ip-address 192.0.2.10",
        " keypair VPN-RSA",
        " id-usage ssl-ipsec",
        " validation-usage ssl-client ssl-server",
        " revocation-check crl none",
        " no ca-check",
        " proxy-ldc-issuer",
        " client-types ssl",
        " crl configure",
    ]
    for line in [
        "no enrollment",
        "no fqdn",
        "no subject-name",
        "no ip-address",
        "no keypair",
        "no id-usage",
        "no revocation-check",
        "ca-check",
        "no proxy-ldc-issuer",
        "no client-types",
        "no validation-usage",
        "no crl configure",
    ]:
        assert console.run(line) == "", line
    assert console.exec("show running-config crypto ca trustpoint TP").splitlines() == [
        "crypto ca trustpoint TP",
        " no validation-usage",
    ]
    console.run("enrollment url http://ca.example.lab/certsrv/mscep/mscep.dll")
    console.run("fqdn none")
    assert " enrollment url http://ca.example.lab/certsrv/mscep/mscep.dll" in console.show_run()
    assert " fqdn none" in console.show_run()


def test_crl_configure_is_a_nested_mode(console: Console) -> None:
    console.run("crypto ca trustpoint TP")
    console.run("crl configure")
    assert console.prompt == "ciscoasa(config-ca-crl)# "
    console.run("exit")
    assert console.prompt == "ciscoasa(config-ca-trustpoint)# "
    console.run("crl configure")
    console.run("keypair K")  # a trustpoint command leaves the nested mode
    assert console.prompt == "ciscoasa(config-ca-trustpoint)# "
    assert console.device.trustpoints["TP"].keypair == "K"


@pytest.mark.parametrize(
    "line",
    ["ip-address 300.1.1.1", "enrollment url ftp://x", "revocation-check crl crl", "fqdn"],
)
def test_bad_trustpoint_settings_change_nothing(console: Console, line: str) -> None:
    console.run("crypto ca trustpoint TP")
    before = console.show_run()
    out = console.run(line)
    assert out.startswith(("ERROR", " ")) and "ERROR: %" in out
    assert console.show_run() == before


def test_no_trustpoint_interactive_and_noconfirm(console: Console) -> None:
    install_key(console, "K", rsa_key())
    for name in ("OLD", "OLDER"):
        for line in [f"crypto ca trustpoint {name}", " enrollment self", " keypair K", " exit"]:
            console.run(line)
        console.run(f"crypto ca enroll {name} noconfirm")
    console.run("ssl trust-point OLD outside")
    out = console.run("no crypto ca trustpoint OLD", "no")
    assert_layout(
        out,
        """\
WARNING: Removing an enrolled trustpoint will destroy all{space}
certificates received from the related Certificate Authority.

Are you sure you want to do this? [yes/no]: no""",
    )
    assert "OLD" in console.device.trustpoints
    out = console.run("no crypto ca trustpoint OLD", "yes")
    assert (
        out.splitlines()[-1]
        == "INFO: Be sure to ask the CA administrator to revoke your certificates."
    )
    assert "OLD" not in console.device.trustpoints
    assert "ssl trust-point OLD" not in console.show_run()  # the binding went with it
    assert "K" in console.device.keypairs  # keys stay
    out = console.run("no crypto ca trustpoint OLDER noconfirm")
    assert out.splitlines() == [
        "WARNING: Removing an enrolled trustpoint will destroy all ",
        "certificates received from the related Certificate Authority.",
        "INFO: Be sure to ask the CA administrator to revoke your certificates.",
    ]
    assert (
        console.run("no crypto ca trustpoint OLDER")
        == "ERROR: CA trustpoint 'OLDER' is not known.\n"
    )
