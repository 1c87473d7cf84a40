"""``show version`` in the layout of the ntc-templates fixtures and Genie's golden output
(asa-cli.md section 13.2). Version, image and compile strings are lab values."""

from __future__ import annotations

import datetime as dt

from lab.emulator.device import Device

ASA_VERSION = "9.23(1)"
ASDM_VERSION = "7.23(1)"
#: Genie's Hardware regex takes only letters, digits and blanks in the CPU name, so the
#: "Xeon 4100/6100/8100 series" of newer ASAv builds would not parse; Genie's golden CPU is used.
HARDWARE = "ASAv, 8192 MB RAM, CPU Xeon E5 series 2200 MHz, 1 CPU (2 cores)"
_IRQS = (11, 11, 10, 10, 11, 11, 10, 10)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")


def uptime(seconds: float) -> str:
    """``2 days 3 hours``, ``1 hour 12 mins``, ``4 mins 2 secs``: the two largest units."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{_plural(days, 'day')} {_plural(hours, 'hour')}"
    if hours:
        return f"{_plural(hours, 'hour')} {_plural(minutes, 'min')}"
    return f"{_plural(minutes, 'min')} {_plural(secs, 'sec')}"


def clock_stamp(device: Device, moment: dt.datetime) -> str:
    """``10:15:02.481 UTC Mon May 11 2026`` (show clock, last-modified line)."""
    local = device.clock.to_local(moment)
    return (
        f"{local:%H:%M:%S}.{local.microsecond // 1000:03d} {device.clock.zone_name} "
        f"{local:%a} {local:%b} {local.day} {local.year}"
    )


def _interface_lines(device: Device) -> list[str]:
    lines: list[str] = []
    for number, name in enumerate(device.interfaces):
        mac = f"0050.56aa.{number + 1:04x}"
        label = f"{name:<20}"
        lines.append(
            f"{number:2d}: Ext: {label}: address is {mac}, irq {_IRQS[number % len(_IRQS)]}"
        )
    return lines


def show_version(device: Device) -> list[str]:
    running = uptime((dt.datetime.now(dt.UTC) - device.booted_at).total_seconds())
    if device.last_modified is None:
        modified = "Configuration has not been modified since last system restart."
    else:
        user, when = device.last_modified
        modified = f"Configuration last modified by {user} at {clock_stamp(device, when)}"
    return [
        "",
        f"Cisco Adaptive Security Appliance Software Version {ASA_VERSION}",
        f"Device Manager Version {ASDM_VERSION}",
        "",
        "Compiled on Thu 05-Dec-24 10:12 GMT by builders",
        'System image file is "boot:/asa9-23-1-smp-k8.bin"',
        'Config file at boot was "startup-config"',
        "",
        f"{device.hostname} up {running}",
        "",
        f"Hardware:   {HARDWARE}",
        "Model Id:   ASAv10",
        "Internal ATA Compact Flash, 8192MB",
        "Slot 1: ATA Compact Flash, 8192MB",
        "BIOS Flash Firmware Hub @ 0x0, 0KB",
        "",
        "",
        *_interface_lines(device),
        "",
        "License mode: Smart Licensing",
        "ASAv Platform License State: Unlicensed",
        "No active entitlement: no feature tier and no throughput level configured",
        "Firewall throughput limited to 100 Kbps",
        "",
        "Licensed features for this platform:",
        "Maximum VLANs                     : 50",
        "Inside Hosts                      : Unlimited",
        "Failover                          : Active/Standby",
        "Encryption-3DES-AES               : Enabled",
        "Security Contexts                 : 0",
        "AnyConnect Premium Peers          : 2",
        "Other VPN Peers                   : 250",
        "Total VPN Peers                   : 250",
        "Total TLS Proxy Sessions          : 2",
        "Cluster                           : Disabled",
        "",
        f"Serial Number: {device.serial_number}",
        "",
        "Image type          : Release",
        "Key version         : A",
        "",
        modified,
    ]
