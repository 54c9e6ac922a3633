"""Tolerant, fast decoding of API bodies into the generated msgspec Structs.

Why this is hand-written: msgspec decodes JSON into typed Structs in about half the time
json.loads takes to build dicts, but it either drops unknown fields or rejects them; no
library keeps them. The generated Structs all derive from TolerantStruct, which forbids unknown
fields, so the body this version of the API description knows takes one strict decode.

A drifted body (a newer API) makes that decode fail, usually at its first object, so the
failed attempt costs little. It is then decoded once more, ignoring unknown fields, into
per-decode "drift" subclasses of the generated Structs (same name, fields, repr, equality and
pickling; isinstance holds). The subclass is the whole trick: each object reaches the decode's
context through its type, so drift costs no work per object. The context keeps the body's
bytes, and `.extra` is computed on first access: one `list[msgspec.Raw]` scan of the body
(cached), then only the accessed item's raw slice is decoded to builtins and split; a caller
reading more than a few dozen items' `.extra` (the CLI) gets one pass over the whole body instead
(about 1.3x json.loads, once). Measured on 100k contacts with a new field on every item
(`make bench`, drift rows; decoding and freeing), this reads at about 0.6x json.loads, 1.2x the
known body; the earlier design (strip every object in a second decode to dicts) took 2 to 3
times json.loads. When the answer is dropped, its objects are counted once to find those the
caller still holds (_tolerant_lifetime.py): about 0.03x json.loads for a list of contacts, more
for deep cards (every nested object is read once).
Alternatives measured and dropped: attaching a reference to each object after decoding (a
setattr per object, +0.2x json.loads) and detecting drift with a second decode.
Costs: the body's bytes live with the objects of that decode (until a whole-body pass, or until
the caller drops them: _tolerant_lifetime.py), `type(x) is WhatsAppContact` is false for drifted
objects and `type(result) is list` for a drifted list (isinstance is the test to use).
Known limit: a list inside a card (`products`) is matched to the body by position; if the caller
reorders it before the first `.extra` is read, its items get each other's `.extra` (removing or
adding items gives them none). The top-level list keeps a snapshot and has no such limit.

Tolerant reader, decided here: a new value of an enumeration is kept as is (the generated types
say `str | Literal[...]`). An optional scalar field whose value has a type the description does
not allow (a changed type) reads as absent (its default, else UNSET) and the value is kept in
`.extra` under its JSON name; such a field is widened to Any in that decode's subclass, found
from msgspec's error path, and read there through a property (_tolerant_changed.py): the value
sent stays in the slot, so decoding rewrites nothing (moving every odd value aside after the
decode took 0.13x json.loads on 100k contacts), and msgspec's encoders, which read slots, give
the value sent. A required field, or one that holds objects, that cannot be read still raises
msgspec.ValidationError (the clients' ResponseValidationError).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import msgspec
from msgspec import inspect as mi

from green_api_contacts._tolerant_changed import Widened, changed_type_reader
from green_api_contacts._tolerant_drift import Drift, drift_type, reachable, top_structs
from green_api_contacts._tolerant_split import NO_EXTRA, UNKNOWN_FIELD, compile_splitter, unwrap

T = TypeVar("T")


class TolerantStruct(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """Base of every generated Struct: strict on the fast path, with room for unknown fields.

    `gc=False`: API answers hold no reference cycles, so the collector need not track them
    (a decode about 6% faster, 16 bytes less per object); a caller who makes a cycle through
    them (an object stored inside itself) leaks it. The drift subclasses are tracked and keep
    `.extra` in a __dict__.
    """

    def __repr__(self) -> str:
        """Each field the API sent, once; fields it did not send (UNSET) are left out.

        The generated Structs have a dozen optional fields; a repr full of ``x=UNSET`` hides the
        few values that arrived. Unknown fields stay in ``.extra``, not in the repr.
        """
        sent = (f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({', '.join(sent)})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        """The fields sent, as they read (rich prints these; msgspec's own reads the slots,
        where a changed type keeps the value sent)."""
        read = ((name, getattr(self, name)) for name in self.__struct_fields__)
        return [(name, value) for name, value in read if value is not msgspec.UNSET]

    @property
    def extra(self) -> Mapping[str, Any]:
        """Fields the API sent that the API description does not (yet) know, by JSON name."""
        found: Mapping[str, Any] | None = getattr(self, "_extra", None)
        if found is None:
            drift: Drift | None = getattr(type(self), "_drift", None)
            found = NO_EXTRA if drift is None else drift.extra_of(self)
        return found


def may_hold_extra(objects: Iterable[object]) -> bool:
    """Whether any of `objects` can have a non-empty `.extra`: only a drifted decode's can.

    One C-level pass over their types, so that a reader of 100k contacts (the CLI) asks each
    one's `.extra` only when the answer drifted (the property costs about 0.5 us a call).
    """
    return any(getattr(kind, "_drift", None) is not None for kind in set(map(type, objects)))


def tolerant_decoder(type_: type[T] | Any) -> Callable[[bytes], T]:
    """A function that decodes JSON bytes into `type_`, keeping unknown fields as `.extra`.

    Raises msgspec.DecodeError for bytes that are not JSON and msgspec.ValidationError for JSON
    of the wrong shape; the clients turn both into their own typed error.
    """
    strict: msgspec.json.Decoder[T] = msgspec.json.Decoder(type_)
    root = mi.type_info(type_)
    splitter = compile_splitter(root)
    structs: dict[type, mi.StructType] = {}
    reachable(root, structs)
    whole = unwrap(root)
    item = unwrap(whole.item_type) if isinstance(whole, mi.ListType) else None
    flat = isinstance(item, mi.StructType) and len(structs) == 1
    tops = frozenset(top_structs(root))

    def decode(body: bytes) -> T:
        try:
            return strict.decode(body)
        except msgspec.ValidationError as exc:
            error = exc.with_traceback(None)  # no frame cycle: it would hold the result
        widened = Widened()
        tolerable = str(error).startswith(UNKNOWN_FIELD)
        while tolerable or widened.add(error, root):
            names = {
                c: frozenset(f.encode_name for f in fs.values()) for c, fs in widened.fields.items()
            }
            drift = Drift(body, compile_splitter(root, names) if names else splitter, flat)
            lenient: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
                drift_type(type_, structs, widened.fields, drift, tops, changed_type_reader)
            )
            try:
                value = lenient.decode(body)
            except msgspec.ValidationError as exc:
                error, tolerable = exc.with_traceback(None), False
                continue
            result: T = drift.bind(value)
            return result
        raise error

    return decode
