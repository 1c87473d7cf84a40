"""Attribute lines the virtual ASA keeps verbatim: one line per attribute keyword."""

from __future__ import annotations


def line_key(line: str, words: int = 1) -> str:
    return " ".join(line.lower().split()[:words])


def set_line(lines: list[str], line: str, words: int = 1) -> None:
    """Replace the line of the same attribute (first ``words`` words), else append."""
    key = line_key(line, words)
    for index, existing in enumerate(lines):
        if line_key(existing, words) == key:
            lines[index] = line
            return
    lines.append(line)


def remove_line(lines: list[str], key: str) -> bool:
    """Remove the lines whose attribute starts with ``key``; whether any was removed."""
    wanted = key.lower().split()
    kept = [line for line in lines if line.lower().split()[: len(wanted)] != wanted]
    removed = len(kept) != len(lines)
    lines[:] = kept
    return removed
