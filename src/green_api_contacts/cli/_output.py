"""Formatting: results as a table, JSON or CSV on stdout (no API calls, no exit codes).

``--format csv`` is made safe to open in a spreadsheet: anyone can choose their WhatsApp or
Telegram name, so a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'`` (OWASP's advice against formula injection); numbers such as Telegram
group ids (``-100...``) are left as they are; ``--csv-raw`` switches this off. JSON and table
output show values unchanged. Tables measure text in terminal columns (wcwidth), so that CJK names
and emoji keep the columns aligned. A reader that stops early (``| head``) ends the output quietly.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, Final, TextIO

import msgspec
import wcwidth

__all__ = ["FORMATS", "output", "plain"]

FORMATS: Final = ("table", "json", "csv")

# Cells a spreadsheet would read as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def output(
    fmt: str, document: Any, rows: Sequence[dict[str, Any]], *, empty: str, csv_raw: bool = False
) -> None:
    """Write to stdout; a reader that went away (``| head``) just ends the output.

    `csv_raw` writes CSV cells as they are, without the formula protection (``--csv-raw``).
    """
    try:
        _write(sys.stdout, fmt, document, rows, empty=empty, csv_raw=csv_raw)
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()


def _stdout_to_devnull() -> None:
    """After EPIPE: point stdout's descriptor at devnull, so the flush at exit cannot fail.

    This is what the Python documentation recommends (signal module, "Note on SIGPIPE").
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def plain(value: Any) -> Any:
    """JSON-ready builtins with the API's field names, unknown fields (.extra) included."""
    if isinstance(value, msgspec.Struct):
        out: dict[str, Any] = {}
        for field in msgspec.structs.fields(value):
            item = getattr(value, field.name)
            if item is not msgspec.UNSET:
                out[field.encode_name] = plain(item)
        extra = getattr(value, "extra", None)
        if isinstance(extra, dict):
            out.update(extra)
        return out
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not evaluate: formula-like text gets a leading '."""
    text = _cell(value)
    if text.startswith(_FORMULA_STARTS) and _NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _write(
    out: TextIO,
    fmt: str,
    document: Any,
    rows: Sequence[dict[str, Any]],
    *,
    empty: str,
    csv_raw: bool = False,
) -> None:
    if fmt == "json":
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return
    columns = _columns(rows)
    if fmt == "csv":
        cell = _cell if csv_raw else _csv_cell
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if columns:
            writer.writerow([cell(column) for column in columns])
        writer.writerows([[cell(row.get(column)) for column in columns] for row in rows])
        out.write(buffer.getvalue())
        return
    if not rows:
        if empty:
            out.write(empty + "\n")
        return
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [
        max([_width(column)] + [_width(line[i]) for line in cells])
        for i, column in enumerate(columns)
    ]
    lines = [columns, ["-" * width for width in widths], *cells]
    for line in lines:
        out.write(
            "  ".join(
                wcwidth.ljust(text, width) for text, width in zip(line, widths, strict=True)
            ).rstrip()
            + "\n"
        )


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: 2 for a CJK character or an emoji (wcwidth), so that
    table columns line up whatever script or emoji a contact's name uses."""
    return wcwidth.width(text)
