"""Streaming contacts output (green_api_contacts.cli._output.write_contacts and its writers).

The fast writers must say exactly what the reflective `plain()` says (unknown fields included),
and they must stream: many bounded writes, never the whole output in one string. The closed-pipe
case (`| head -1`) is tested on a real subprocess in test_commands.py.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from typing import Any

import msgspec
import pytest
import wcwidth

from green_api_contacts._tolerant import TolerantStruct, may_hold_extra
from green_api_contacts.cli import _output
from green_api_contacts.client._flavours import CLIENT_FLAVOURS
from green_api_contacts.mock import ContactBook

FORMULAS = ["=1+2", "+7 999", "-5", "-x", "@SUM(A1)", "plain"]
WHATSAPP_FLAVOUR = CLIENT_FLAVOURS["whatsapp"]
TELEGRAM_FLAVOUR = CLIENT_FLAVOURS["telegram"]


class Recorder(io.StringIO):
    """A text stdout with a binary layer, recording the size of every write on either."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []
        self._binary = self._Binary(self)

    @property
    def buffer(self) -> Any:
        return self._binary

    class _Binary:
        def __init__(self, owner: Recorder) -> None:
            self.owner = owner

        def write(self, data: bytes) -> int:
            self.owner.sizes.append(len(data))
            return io.StringIO.write(self.owner, data.decode())

    def write(self, text: str) -> int:
        self.sizes.append(len(text))
        return super().write(text)


def contacts_of(flavour: Any, size: int, *, drift: bool = False) -> list[Any]:
    """Contacts of the mock's book, decoded by the client's decoder; `drift` adds unknown
    fields (on every third contact, so that columns appear late)."""
    items = json.loads(ContactBook(flavour.name, size, 7, 7).contacts_json())
    if drift:
        for position, item in enumerate(items):
            if position % 3 == 2:
                item["fieldFromANewerApi"] = {"nested": [position]}
                item["note"] = "  spaced\tout  "
    for position, item in enumerate(items[: len(FORMULAS)]):
        item["name"] = FORMULAS[position]
    decoded: list[Any] = flavour.decode_contacts(json.dumps(items).encode())
    return decoded


@pytest.mark.parametrize("flavour", list(CLIENT_FLAVOURS.values()), ids=list(CLIENT_FLAVOURS))
@pytest.mark.parametrize("drift", [False, True], ids=["known", "drift"])
def test_json_says_what_plain_says(flavour: Any, drift: bool) -> None:
    contacts = contacts_of(flavour, 300, drift=drift)
    out = Recorder()
    _output._json_stream(out, contacts, "")
    assert json.loads(out.getvalue()) == [_output.plain(c) for c in contacts]
    assert out.getvalue().count("\n") == len(contacts) + 2  # one contact per line
    assert all(_output.row(c) == _output.plain(c) for c in contacts)


def reference_rows(contacts: list[Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns (declared fields any contact has, then unknown ones in order) and plain rows."""
    rows = [_output.plain(c) for c in contacts]
    declared = [f.encode_name for f in msgspec.structs.fields(type(contacts[0]))]
    present = {key for row in rows for key in row}
    columns = [name for name in declared if name in present]
    for row in rows:
        columns += [key for key in row if key not in columns]
    return columns, rows


@pytest.mark.parametrize("flavour", list(CLIENT_FLAVOURS.values()), ids=list(CLIENT_FLAVOURS))
@pytest.mark.parametrize("drift", [False, True], ids=["known", "drift"])
def test_csv_holds_every_value_and_defuses_formulas(flavour: Any, drift: bool) -> None:
    contacts = contacts_of(flavour, 1_200, drift=drift)
    out = Recorder()
    _output._csv_stream(out, contacts, "")
    columns, rows = reference_rows(contacts)
    read = list(csv.reader(io.StringIO(out.getvalue())))
    assert read[0] == columns
    expected = [[_output._csv_cell(row.get(column)) for column in columns] for row in rows]
    assert read[1:] == expected
    names = [line[columns.index("name")] for line in read[1 : len(FORMULAS) + 1]]
    assert names == ["'=1+2", "'+7 999", "-5", "'-x", "'@SUM(A1)", "plain"]


@pytest.mark.parametrize("drift", [False, True], ids=["known", "drift"])
def test_table_is_aligned_over_all_rows(drift: bool) -> None:
    contacts = contacts_of(TELEGRAM_FLAVOUR, 1_100, drift=drift)
    out = Recorder()
    _output._table_stream(out, contacts, "")
    columns, rows = reference_rows(contacts)
    cells = [[_output._cell(row.get(column)) for column in columns] for row in rows]
    # Widths in terminal columns (wcwidth): emoji and CJK names take two each.
    width = _output._width
    widths = [max([width(c)] + [width(line[i]) for line in cells]) for i, c in enumerate(columns)]
    expected = [
        "  ".join(wcwidth.ljust(t, w) for t, w in zip(line, widths, strict=True)).rstrip()
        for line in [columns, ["-" * w for w in widths], *cells]
    ]
    assert out.getvalue().splitlines() == expected


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_output_streams_in_bounded_writes(fmt: str) -> None:
    contacts = contacts_of(WHATSAPP_FLAVOUR, 5_000)
    out = Recorder()
    {"json": _output._json_stream, "csv": _output._csv_stream, "table": _output._table_stream}[fmt](
        out, contacts, ""
    )
    total = len(out.getvalue())
    assert len(out.sizes) >= 5  # many writes ...
    assert max(out.sizes) <= 128 * 1024 < total  # ... none of them the whole output


@pytest.mark.parametrize(("fmt", "expected"), [("json", "[]\n"), ("csv", ""), ("table", "none\n")])
def test_no_contacts(fmt: str, expected: str) -> None:
    out = Recorder()
    {"json": _output._json_stream, "csv": _output._csv_stream, "table": _output._table_stream}[fmt](
        out, [], "none"
    )
    assert out.getvalue() == expected


def test_per_decode_drift_classes_are_not_kept() -> None:
    for _ in range(3):  # each drift decode makes its own subclass of the generated class
        contacts = contacts_of(WHATSAPP_FLAVOUR, 10, drift=True)
        assert _output.row(contacts[2]) == _output.plain(contacts[2])
    assert all(
        getattr(sys.modules[klass.__module__], klass.__qualname__) is klass
        for klass in _output._FLAT
    )


# Characters that test the fast paths' shortcuts: whitespace of every kind (NBSP, em space,
# separators), NUL (the join's separator), wide and zero-width characters, plain letters.
_TRICKY = [
    " ",
    "  ",
    "\t",
    "\n",
    "\xa0",
    "\u2003",
    "\x1c",
    "\x00",
    "\u200b",
    "a",
    "\u0431",
    "中",
    "😀",
]


def _random_columns(count: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [
        ["".join(rng.choices(_TRICKY, k=rng.randrange(0, 6))) for _ in range(rng.randrange(1, 9))]
        for _ in range(count)
    ]


@pytest.mark.parametrize(
    "column",
    [
        *[["a b", "c"], ["a  b"], [" a"], ["a "], ["a\x00 b"], ["a \x00b"], ["\xa0"], [""]],
        *_random_columns(400, seed=15),
    ],
)
def test_cells_of_a_column_are_tidied_as_one_by_one(column: list[str]) -> None:
    """The tidy-column shortcut of _column_cells gives what _cell gives each value."""
    assert _output._column_cells(column) == [" ".join(v.split()) for v in column]


@pytest.mark.parametrize(
    "column", [["abc", "de"], ["中文", "a"], ["x\x00y"], *_random_columns(200, 7)]
)
def test_table_cells_are_measured_and_padded_in_terminal_columns(column: list[str]) -> None:
    """The printable-ASCII shortcut of _widths and _table_lines changes no width or padding."""
    cells = [" ".join(v.split()) for v in column]
    assert list(_output._widths(cells)) == [wcwidth.width(t) for t in cells]
    width = max(map(wcwidth.width, cells)) + 1
    lines = _output._table_lines([cells, cells], [width, width]).split("\n")
    expected = [f"{wcwidth.ljust(t, width)}  {wcwidth.ljust(t, width)}".rstrip() for t in cells]
    assert lines == [*expected, ""]


def test_only_a_drifted_answer_is_asked_for_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    known = contacts_of(WHATSAPP_FLAVOUR, 50)
    drifted = contacts_of(WHATSAPP_FLAVOUR, 50, drift=True)
    assert not may_hold_extra(known) and may_hold_extra(drifted)
    asked: list[object] = []
    real = vars(TolerantStruct)["extra"]

    def counted(self: TolerantStruct) -> Any:
        asked.append(self)
        return real.__get__(self)

    monkeypatch.setattr(TolerantStruct, "extra", property(counted))
    writers = [_output._json_stream, _output._csv_stream, _output._table_stream]
    for write in writers:
        write(Recorder(), known, "")
    assert asked == []  # a known answer: nobody has `.extra`, nobody is asked
    _output._csv_stream(Recorder(), drifted, "")
    assert {id(c) for c in asked} == {id(c) for c in drifted}
