"""Formatting: results as a table, JSON or CSV on stdout (no API calls, no exit codes).

``--format csv`` is made safe to open in a spreadsheet: anyone can choose their WhatsApp or
Telegram name, so a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'`` (OWASP's advice against formula injection); numbers such as Telegram
group ids (``-100...``) are left as they are; ``--csv-raw`` switches this off. JSON and table
output show values unchanged. Tables measure text in terminal columns (wcwidth), so that CJK names
and emoji keep the columns aligned. A reader that stops early (``| head``) ends the output quietly.

Contacts stream (``write_contacts``): one write per contact or row, no string of the whole
output, so that 100k or 1M contacts cost little more than the client's own list. JSON is an array
with one contact per line; CSV's columns are the contact type's fields that any contact has, then
unknown fields (``.extra``) in the order met; a table keeps its cells (mostly references to
the contacts' own strings) to measure the widths before its first line.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from operator import methodcaller
from typing import Any, Final, TextIO

import msgspec
import wcwidth
from msgspec import inspect as mi

from green_api_contacts._tolerant import may_hold_extra

__all__ = ["FORMATS", "output", "plain", "row", "write_contacts"]

FORMATS: Final = ("table", "json", "csv")

# Cells a spreadsheet would read as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_CHUNK_BYTES: Final = 65536  # JSON is written in chunks of about this size
_CHUNK_ROWS: Final = 500  # CSV and table lines, in chunks of this many rows
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


def write_contacts(
    fmt: str, contacts: Sequence[msgspec.Struct], *, empty: str, csv_raw: bool = False
) -> None:
    """Stream contacts to stdout in `fmt`; a reader that went away just ends the output.

    `csv_raw` writes CSV cells as they are, without the formula protection (``--csv-raw``).
    """
    writers: dict[str, Callable[[TextIO, Sequence[msgspec.Struct], str], None]] = {
        "json": _json_stream,
        "csv": _csv_raw_stream if csv_raw else _csv_stream,
        "table": _table_stream,
    }
    try:
        writers[fmt](sys.stdout, contacts, empty)
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()


def _holds_structs(info: mi.Type) -> bool:
    while isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.StructType):
        return True
    if isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        return _holds_structs(info.item_type)
    if isinstance(info, mi.DictType):
        return _holds_structs(info.value_type)
    if isinstance(info, mi.UnionType):
        return any(_holds_structs(member) for member in info.types)
    return False


_FLAT: dict[type[msgspec.Struct], bool] = {}


def _declared(cls: type[msgspec.Struct]) -> type[msgspec.Struct]:
    """The generated class behind `cls`: drift decodes make a subclass per decode (same name),
    which must not become a cache key (the cache would keep every one of them alive)."""
    for klass in cls.__mro__:
        module = sys.modules.get(klass.__module__)
        if getattr(module, klass.__qualname__, None) is klass:
            return klass  # type: ignore[no-any-return]
    return cls


def _is_flat(cls: type[msgspec.Struct]) -> bool:
    """Whether no field of `cls` can hold a Struct (whose own .extra plain() would merge)."""
    declared = _declared(cls)
    flat = _FLAT.get(declared)
    if flat is None:
        info = mi.type_info(declared)
        assert isinstance(info, mi.StructType)
        flat = _FLAT[declared] = not any(_holds_structs(field.type) for field in info.fields)
    return flat


def row(value: msgspec.Struct) -> dict[str, Any]:
    """plain(value), fast for flat Structs (every contact): msgspec builds the dict."""
    if not _is_flat(type(value)):
        result: dict[str, Any] = plain(value)
        return result
    out: dict[str, Any] = msgspec.to_builtins(value)
    extra = getattr(value, "extra", None)
    if extra:
        out.update(extra)
    return out


def _json_stream(out: TextIO, contacts: Sequence[msgspec.Struct], empty: str) -> None:
    if not contacts:
        out.write("[]\n")
        return
    binary = getattr(out, "buffer", None)
    write: Callable[[bytes], object]
    if binary is not None:  # no decoding: msgspec writes UTF-8, as the text layer would
        out.flush()
        write = binary.write
    else:
        write = lambda data: out.write(data.decode())  # noqa: E731 - a stream without .buffer
    encode_into = msgspec.json.Encoder().encode_into
    flat = _is_flat(type(contacts[0]))
    known = not may_hold_extra(contacts)  # the answer did not drift: no contact has `.extra`
    chunk = bytearray(b"[\n")
    for contact in contacts:
        # A flat contact without unknown fields encodes as it is (UNSET fields are left out).
        as_is = flat and (known or not contact.extra)  # type: ignore[attr-defined]
        encode_into(contact if as_is else row(contact), chunk, -1)
        chunk += b",\n"
        if len(chunk) >= _CHUNK_BYTES:  # written every 64 KiB: the output is never held whole
            write(bytes(chunk))
            chunk.clear()
    del chunk[-2:]  # the last separator
    chunk += b"\n]\n"
    write(bytes(chunk))


def _contact_columns(contacts: Sequence[msgspec.Struct]) -> list[str]:
    """The type's fields that any contact has (in declared order), then unknown ones met."""
    if not contacts:
        return []
    fields = msgspec.structs.fields(type(contacts[0]))
    columns = {
        field.encode_name: None
        for field in fields
        if any(getattr(c, field.name) is not msgspec.UNSET for c in contacts)
    }
    for contact in contacts if may_hold_extra(contacts) else ():
        extra = getattr(contact, "extra", None)
        if extra:
            columns.update(dict.fromkeys(extra))
    return list(columns)


def _values(cls: type[msgspec.Struct], columns: list[str]) -> Callable[[Any], Sequence[Any]]:
    """A function giving a contact's values in `columns` order (UNSET where it has none)."""
    if not _is_flat(cls):
        return lambda contact: [row(contact).get(column) for column in columns]
    names = {field.encode_name: field.name for field in msgspec.structs.fields(cls)}
    known = [names[column] for column in columns if column in names]
    unknown = [column for column in columns if column not in names]
    if len(known) > 1 and not unknown:  # the usual contact: one C call
        return operator.attrgetter(*known)
    get = operator.attrgetter(*known) if known else (lambda contact: ())
    single = len(known) == 1  # attrgetter of one name gives the value, not a tuple

    def values(contact: Any) -> list[Any]:
        got = get(contact)
        found = [got] if single else list(got)
        if unknown:
            extra = contact.extra
            found += [extra.get(column, msgspec.UNSET) for column in unknown]
        return found

    return values


def _column_cells(column: Sequence[Any]) -> list[str]:
    """_cell of every value of one column; an all-str column goes through C-level maps, and
    one whose whitespace is already single spaces between words (most) is taken as it is."""
    try:
        joined = "\x00".join(column)
    except TypeError:  # some value is not a str (a number, None, UNSET, a list...)
        return [" ".join(v.split()) if type(v) is str else _cell(v) for v in column]
    # Tidy cells joined by NUL (not whitespace) stay as they are under split and join, and no
    # space touches a NUL; a NUL inside a cell can only make a tidy column look untidy.
    if " \x00" not in joined and "\x00 " not in joined and " ".join(joined.split()) == joined:
        return list(column)
    return list(map(" ".join, map(str.split, column)))


def _defused(cells: list[str]) -> list[str]:
    """_csv_cell's quoting of formula-like text, for a column of cells."""
    if not any(map(methodcaller("startswith", _FORMULA_STARTS), cells)):
        return cells  # the usual column: nothing to quote
    number = _NUMBER.fullmatch
    return ["'" + t if t.startswith(_FORMULA_STARTS) and number(t) is None else t for t in cells]


def _chunks(contacts: Sequence[msgspec.Struct], columns: list[str]) -> Iterator[list[list[str]]]:
    """The cells of `_CHUNK_ROWS` contacts at a time, column by column."""
    values = _values(type(contacts[0]), columns)
    for start in range(0, len(contacts), _CHUNK_ROWS):
        rows = list(map(values, contacts[start : start + _CHUNK_ROWS]))
        yield [_column_cells(column) for column in zip(*rows, strict=True)]


def _csv_stream(
    out: TextIO, contacts: Sequence[msgspec.Struct], empty: str, *, raw: bool = False
) -> None:
    columns = _contact_columns(contacts)
    if not columns:
        return
    cell = _cell if raw else _csv_cell
    out.write(_csv_lines([[cell(column)] for column in columns]))
    for cells in _chunks(contacts, columns):
        out.write(_csv_lines(cells if raw else [_defused(column) for column in cells]))


def _csv_raw_stream(out: TextIO, contacts: Sequence[msgspec.Struct], empty: str) -> None:
    _csv_stream(out, contacts, empty, raw=True)


def _csv_lines(columns: list[list[str]]) -> str:
    """CSV text of a chunk of rows given column by column (csv.writer on the text layer would
    cost a write per row)."""
    chunk = io.StringIO()
    csv.writer(chunk, lineterminator="\n").writerows(zip(*columns, strict=True))
    return chunk.getvalue()


def _table_stream(out: TextIO, contacts: Sequence[msgspec.Struct], empty: str) -> None:
    if not contacts:
        if empty:
            out.write(empty + "\n")
        return
    columns = _contact_columns(contacts)
    widths = [_width(column) for column in columns]
    # Kept for the second pass: cells are mostly the contacts' own strings (_column_cells copies
    # only untidy columns), so this costs about 8 bytes a cell, not a copy of the text.
    chunks = list(_chunks(contacts, columns))
    for cells in chunks:  # first pass: widths
        widths = [max(width, *_widths(column)) for width, column in zip(widths, cells, strict=True)]
    out.write(_table_lines([[column] for column in columns], widths))
    out.write(_table_lines([["-" * width] for width in widths], widths))
    for cells in chunks:
        out.write(_table_lines(cells, widths))


def _widths(column: list[str]) -> Iterator[int]:
    """_width of each cell; a column of printable ASCII (ids, types) is its lengths."""
    return map(len if _plain_ascii(column) else wcwidth.width, column)


def _plain_ascii(column: list[str]) -> bool:
    """Whether every cell is printable ASCII, where a character takes one terminal column."""
    joined = "".join(column)
    return joined.isascii() and joined.isprintable()


def _table_lines(columns: list[list[str]], widths: list[int]) -> str:
    """Table lines of a chunk given column by column, each cell padded to its column's width in
    terminal columns (C-level maps: a table has hundreds of thousands of cells)."""
    padded = [
        list(map(str.ljust if _plain_ascii(column) else wcwidth.ljust, column, repeat(w)))
        for column, w in zip(columns, widths, strict=True)
    ]
    return "\n".join(map(str.rstrip, map("  ".join, zip(*padded, strict=True)))) + "\n"


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
        if extra:  # a read-only mapping of what the API sent beyond the description
            out.update(extra)
        return out
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _cell(value: Any) -> str:
    if type(value) is str:  # the usual cell first
        return " ".join(value.split())
    if value is None or value is msgspec.UNSET:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not evaluate: formula-like text gets a leading '."""
    text = " ".join(value.split()) if type(value) is str else _cell(value)  # _cell, inlined
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
