"""The one way tools/ reads and writes OpenAPI documents, and the one ``$ref`` resolver.

Why one module: the overlay applier, the example checker and the breaking-change checker must
see the same tree for the same file, or a document that passes one check could mean something
else to the next. Hand-written because PyYAML only speaks YAML 1.1 and no maintained library
loads YAML 1.2 into JSON-compatible trees with the checks below.

``load_document`` reads JSON (``.json``) or YAML (anything else). YAML is resolved with the YAML 1.2
core schema (which OpenAPI and the Overlay spec recommend), not PyYAML's YAML 1.1 rules:
``2024-01-01``, ``yes``, ``on`` and ``1_000`` stay strings. Mapping keys are always strings, taken
as written (the "Failsafe schema" rule), so ``200:`` gives the key ``"200"``; non-scalar keys,
duplicate keys, YAML 1.1 merge keys (``<<``) and non-JSON tags (``!!timestamp``, ``!!binary``,
``!!set``, ...) are rejected. YAML aliases are expanded into independent copies, so a change
through one path never changes another. Output (``dump_yaml``) is deterministic.

``resolve_ref`` follows local references (``#/a/b``, chains included); other references are
refused, since the documents here are self-contained by design.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import unquote

import yaml

__all__ = [
    "ROOT",
    "DocumentLoadError",
    "JSONValue",
    "RefError",
    "child_pointer",
    "clone_tree",
    "dump_yaml",
    "load_document",
    "resolve_ref",
    "split_pointer",
]

ROOT = Path(__file__).resolve().parents[1]
"""The repository root (tools/ lives directly under it)."""

JSONValue: TypeAlias = Any
"""Any JSON-compatible value: dict with str keys, list, str, int, float, bool or None."""


class DocumentLoadError(ValueError):
    """A file could not be read as JSON-compatible JSON or YAML."""


class RefError(ValueError):
    """A ``$ref`` that is not local, does not resolve, or loops; ``reason`` says which."""

    def __init__(self, ref: object, reason: str) -> None:
        self.ref = ref
        self.reason = reason
        super().__init__(f"$ref {ref!r} {reason}")


# --------------------------------------------------------------------------- JSON trees


def clone_tree(value: JSONValue, *, _active: frozenset[int] = frozenset()) -> JSONValue:
    """Copy a JSON-compatible value as a tree: shared sub-objects become independent copies.

    ``copy.deepcopy`` keeps YAML aliases shared, so an update through one path would also change
    the other; this does not, and rejects cycles and non-JSON types on the way.
    """
    if isinstance(value, dict | list):
        if id(value) in _active:
            raise DocumentLoadError("the document contains a cycle (a YAML alias to an ancestor)")
        inner = _active | {id(value)}
        if isinstance(value, list):
            return [clone_tree(item, _active=inner) for item in value]
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise DocumentLoadError(f"mapping key {key!r} is not a string")
            result[key] = clone_tree(item, _active=inner)
        return result
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise DocumentLoadError(f"{type(value).__name__} value {value!r} is not JSON-compatible")


# --------------------------------------------------------------------------- pointers


def child_pointer(pointer: str, *tokens: object) -> str:
    """``pointer`` extended by escaped JSON-pointer tokens (``/`` -> ``~1``, ``~`` -> ``~0``)."""
    escaped = (str(token).replace("~", "~0").replace("/", "~1") for token in tokens)
    return pointer + "".join(f"/{token}" for token in escaped)


def split_pointer(fragment: str) -> list[str]:
    """The unescaped tokens of a JSON pointer (``/a/b`` -> ``["a", "b"]``; ``""`` -> root)."""
    if fragment == "":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/")]


def _step(document: JSONValue, ref: str) -> tuple[Any, str]:
    if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
        raise RefError(ref, "is not a local JSON pointer (only '#/...' is supported)")
    node = document
    tokens = [] if ref in ("#", "#/") else split_pointer(unquote(ref[1:]))
    for token in tokens:
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise RefError(ref, "references a missing component")
    return node, child_pointer("#", *tokens)


def resolve_ref(document: JSONValue, value: JSONValue, pointer: str) -> tuple[Any, str, str | None]:
    """Follow ``value``'s local ``$ref`` chain: (target, its canonical pointer, last ref or None).

    ``value`` without ``$ref`` comes back as it is, at ``pointer``. Raises ``RefError``.
    """
    ref: str | None = None
    seen: set[str] = set()
    while isinstance(value, Mapping) and "$ref" in value:
        target = value["$ref"]
        if isinstance(target, str) and target in seen:
            raise RefError(target, "is circular")
        seen.add(str(target))
        value, pointer = _step(document, target)
        ref = pointer
    return value, pointer, ref


# --------------------------------------------------------------------------- loading

_YAML12_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_YAML12_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_YAML12_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_YAML_MERGE_KEY = "<<"
_YAML_TAG = "tag:yaml.org,2002:"


class _JSONCompatibleLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars and JSON-compatible mappings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a dict whose keys are the scalar keys as written (Failsafe schema), no dupes."""
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            problem = None
            if not isinstance(key_node, yaml.ScalarNode):
                problem = "found a non-scalar key; Overlay and JSON need string keys"
            elif key_node.value == _YAML_MERGE_KEY and key_node.style is None:
                problem = "found a YAML 1.1 merge key '<<'; it is not part of YAML 1.2 or JSON"
            elif key_node.value in mapping:
                problem = f"found duplicate key {key_node.value!r}"
            if problem is not None:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, problem, key_node.start_mark
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


def _construct_yaml12_int(loader: _JSONCompatibleLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_yaml12_float(loader: _JSONCompatibleLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


def _reject_tag(loader: _JSONCompatibleLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"tag {node.tag!r} has no JSON equivalent", node.start_mark
    )


_JSONCompatibleLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", _YAML12_BOOL, "tTfF"),
    ("int", _YAML12_INT, "-+0123456789"),
    ("float", _YAML12_FLOAT, "-+.0123456789"),
    ("null", _YAML12_NULL, ["~", "n", "N", ""]),
):
    _JSONCompatibleLoader.add_implicit_resolver(_YAML_TAG + _tag, _pattern, list(_first))
_JSONCompatibleLoader.add_constructor(_YAML_TAG + "int", _construct_yaml12_int)
_JSONCompatibleLoader.add_constructor(_YAML_TAG + "float", _construct_yaml12_float)
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _JSONCompatibleLoader.add_constructor(_YAML_TAG + _tag, _reject_tag)


def _reject_json_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def load_document(path: Path) -> JSONValue:
    """Load a JSON (``.json``) or YAML file as a JSON-compatible tree (see the module docstring)."""
    try:
        raw = path.read_bytes()
        if path.suffix.lower() == ".json":
            data = json.loads(
                raw, object_pairs_hook=_json_object, parse_constant=_reject_json_constant
            )
        else:
            loader = _JSONCompatibleLoader(raw)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
        return clone_tree(data)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise DocumentLoadError(f"cannot load {path}: {error}") from error


class _YAMLDumper(yaml.SafeDumper):
    """SafeDumper that quotes strings a YAML 1.1 *or* 1.2 reader would take for another type."""

    def ignore_aliases(self, data: object) -> bool:
        """Never emit anchors: the output must read the same in JSON-minded tools."""
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line strings in block style, so documents diff line by line."""
    if "\n" in value:
        return dumper.represent_scalar(_YAML_TAG + "str", value, style="|")
    return dumper.represent_str(value)


_YAMLDumper.add_representer(str, _represent_str)

for _tag, _pattern, _first in (
    ("int", _YAML12_INT, "-+0123456789"),
    ("float", _YAML12_FLOAT, "-+.0123456789"),
):
    _YAMLDumper.add_implicit_resolver(_YAML_TAG + _tag, _pattern, list(_first))


def dump_yaml(document: JSONValue) -> str:
    """Serialise a document as block YAML, keys in document order, long lines kept whole."""
    return yaml.dump(
        document,
        Dumper=_YAMLDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1 << 30,
        default_flow_style=False,
    )
