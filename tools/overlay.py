"""Apply OpenAPI Overlay 1.0 / 1.1 documents, following the Overlay Specification.

Why hand-written: no well-kept Python library applies Overlay 1.0/1.1 with RFC 9535 JSONPath.
The one Python applier on PyPI (oas-patch) evaluates targets with jsonpath-ng, whose syntax
predates RFC 9535 and adds extensions, which the 1.1 text ("RFC9535 Compliance") forbids.
The Overlay semantics are small, so they live here; JSONPath evaluation itself is python-jsonpath
in its RFC 9535 mode (``JSONPathEnvironment(strict=True)``), tightened where that mode still
accepts non-RFC syntax: hyphens in dot-shorthand names (``$.x-foo``; RFC 9535 needs
``$['x-foo']``) and the ``<>`` operator. python-jsonpath's optional ``strict`` extra (``regex``,
``iregexp-check``) is not installed, so ``match()``/``search()`` patterns run on Python's ``re``
without an RFC 9485 I-Regexp check.

Semantics (spec text in tests/data/overlay-spec and tools/overlay_schemas):

- The overlay is validated against the official JSON Schema of its ``major.minor`` version.
- Actions run in order, each on the result of the previous one; the input is never mutated.
- ``remove: true`` wins over ``update``/``copy``. Removing the root is an error. Several elements of
  one array are removed by descending index, so one action's removals never shift each other.
- ``update``/``copy`` on objects merge recursively (primitive replaces primitive, array concatenates
  with array, object merges into object, anything else is an error); on arrays an array value is
  concatenated and any other value appended; on primitives (1.1 only) a primitive value replaces
  the node. All nodes selected for one update/copy must be of one kind.
- ``copy`` (1.1) must select exactly one node in the current document; its value is merged like an
  ``update`` value.

Deliberate deviations and choices, each one so that an overlay can never silently stop working:

- A ``target`` that selects no node raises ``EmptyTargetError`` by default; the spec says the
  action succeeds without change. ``allow_empty_targets=True`` gives the spec's behaviour.
- An action with both ``update`` and ``copy`` (and no ``remove: true``) is rejected: the 1.1 text
  says each "has no impact" when the other is present, so it would do nothing at all (the copy
  proposal, OAI/Overlay-Specification#150, meant them to be mutually exclusive).
- Overlay 1.0 forbids primitive targets ("MUST be zero or more objects or arrays") and says
  primitive array items cannot be removed individually: both raise ``UnsupportedTargetError``
  for 1.0 overlays. Removing a primitive *map member* stays allowed in 1.0, as the official
  compliant set ``remove-example`` (a 1.0 overlay) requires.
- Array-onto-array in 1.0 concatenates, as 1.1 makes explicit (1.0 only says "an entry to append").
- A node selected twice by one query (``$['a','a']``) is acted on once.
- ``update: null`` is an update value (null is a JSON value), not an absent ``update``.
- Documents must be JSON-compatible trees: YAML aliases are expanded into independent copies,
  so an update through one path never changes another.

``load_document`` reads JSON (``.json``) or YAML (anything else). YAML is resolved with the YAML 1.2
core schema (which the spec recommends), not PyYAML's YAML 1.1 rules: ``2024-01-01``, ``yes``,
``on`` and ``1_000`` stay strings. Mapping keys are always strings, taken as written (the spec's
"Failsafe schema" rule), so ``200:`` gives the key ``"200"``; non-scalar keys, duplicate keys,
YAML 1.1 merge keys (``<<``) and non-JSON tags (``!!timestamp``, ``!!binary``, ``!!set``, ...) are
rejected. Output is deterministic: existing keys keep their place, new keys follow in update order.

CLI: ``python -m tools.overlay --overlay O --input I --output OUT`` writes YAML.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeAlias, cast

import jsonschema
import yaml
from jsonpath import JSONPathEnvironment, JSONPathError, JSONPathMatch, JSONPathSyntaxError
from jsonpath.lex import Lexer
from jsonpath.token import TOKEN_LG, Token

__all__ = [
    "CopySourceError",
    "DocumentLoadError",
    "EmptyTargetError",
    "IncompatibleMergeError",
    "OverlayError",
    "OverlayValidationError",
    "UnsupportedTargetError",
    "apply_overlay",
    "dump_yaml",
    "load_document",
    "main",
    "validate_overlay",
]

SCHEMA_DIR = Path(__file__).resolve().parent / "overlay_schemas"
"""The vendored official schemas, one folder per ``major.minor`` feature set."""

_SCHEMA_FOLDERS = {(1, 0): "v1.0", (1, 1): "v1.1"}

NodeKind = Literal["object", "array", "primitive"]

JSONValue: TypeAlias = Any
"""Any JSON-compatible value: dict with str keys, list, str, int, float, bool or None."""


# --------------------------------------------------------------------------- errors


class OverlayError(Exception):
    """Base of every error this module raises; carries the failing action when there is one."""

    def __init__(
        self, message: str, *, action_index: int | None = None, target: str | None = None
    ) -> None:
        self.action_index = action_index
        self.target = target
        if action_index is not None:
            where = f"actions[{action_index}]"
            if target is not None:
                where += f" (target {target!r})"
            message = f"{where}: {message}"
        super().__init__(message)


class OverlayValidationError(OverlayError):
    """The overlay document is not a valid Overlay (schema, version, JSONPath syntax, fields)."""


class DocumentLoadError(OverlayError):
    """A file could not be read as JSON-compatible JSON or YAML."""


class EmptyTargetError(OverlayError):
    """A target selected no node; raised unless ``allow_empty_targets=True``."""


class IncompatibleMergeError(OverlayError):
    """An update/copy value cannot be merged with the selected node(s)."""


class UnsupportedTargetError(OverlayError):
    """The selected nodes cannot be acted on (the root for remove; primitives in Overlay 1.0)."""


class CopySourceError(OverlayError):
    """A ``copy`` query did not select exactly one node."""


# --------------------------------------------------------------------------- JSON values


def _kind(value: object) -> NodeKind:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "primitive"


def _clone(value: JSONValue, *, _active: frozenset[int] = frozenset()) -> JSONValue:
    """Copy a JSON-compatible value as a tree: shared sub-objects become independent copies.

    ``copy.deepcopy`` keeps YAML aliases shared, so an update through one path would also change
    the other; this does not, and rejects cycles and non-JSON types on the way.
    """
    if isinstance(value, dict | list):
        if id(value) in _active:
            raise DocumentLoadError("the document contains a cycle (a YAML alias to an ancestor)")
        inner = _active | {id(value)}
        if isinstance(value, list):
            return [_clone(item, _active=inner) for item in value]
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise DocumentLoadError(f"mapping key {key!r} is not a string")
            result[key] = _clone(item, _active=inner)
        return result
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise DocumentLoadError(f"{type(value).__name__} value {value!r} is not JSON-compatible")


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
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found a non-scalar key; Overlay and JSON need string keys",
                    key_node.start_mark,
                )
            key = key_node.value
            if key == _YAML_MERGE_KEY and key_node.style is None:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found a YAML 1.1 merge key '<<'; it is not part of YAML 1.2 or JSON",
                    key_node.start_mark,
                )
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
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
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise DocumentLoadError(f"cannot load {path}: {error}") from error
    try:
        return _clone(data)
    except DocumentLoadError as error:
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


# --------------------------------------------------------------------------- validation


@cache
def _schema_checker(feature_set: tuple[int, int]) -> Callable[[Mapping[str, Any]], list[str]]:
    """Load the vendored schema once; the checker lists every error, where it is and why."""
    schema = load_document(SCHEMA_DIR / _SCHEMA_FOLDERS[feature_set] / "schema.yaml")
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # No format checker: in JSON Schema 2020-12 "format" is an annotation unless opted in.
    validator = validator_class(schema)

    def check(overlay: Mapping[str, Any]) -> list[str]:
        errors = sorted(validator.iter_errors(overlay), key=lambda e: (e.json_path, e.message))
        return [f"at {error.json_path}: {error.message}" for error in errors]

    return check


def _feature_set(overlay: Mapping[str, Any]) -> tuple[int, int]:
    version = overlay.get("overlay")
    match = re.match(r"(\d+)\.(\d+)(?:\.|$)", version) if isinstance(version, str) else None
    feature_set = (int(match[1]), int(match[2])) if match else None
    if feature_set not in _SCHEMA_FOLDERS:
        raise OverlayValidationError(
            f"unsupported overlay version {version!r}: expected a 1.0.x or 1.1.x version string"
        )
    return feature_set


def validate_overlay(overlay: Mapping[str, Any]) -> None:
    """Validate against the official schema of the overlay's version (1.0.x or 1.1.x)."""
    if not isinstance(cast("object", overlay), Mapping):
        raise OverlayValidationError(
            f"an overlay document must be an object, not {type(overlay).__name__}"
        )
    feature_set = _feature_set(overlay)
    errors = _schema_checker(feature_set)(overlay)
    if errors:
        version = ".".join(str(number) for number in feature_set)
        raise OverlayValidationError(
            f"not a valid Overlay {version} document ({len(errors)} schema error(s)): "
            + "; ".join(errors)
        )


# --------------------------------------------------------------------------- JSONPath


_RFC9535_NAME_FIRST = r"a-zA-Z_\u0080-\ud7ff\ue000-\U0010ffff"


class _RFC9535Lexer(Lexer):
    """python-jsonpath's strict lexer minus two extensions its strict mode still accepts."""

    # RFC 9535 member-name-shorthand: name-first *(name-first / DIGIT); no "-".
    key_pattern = rf"[{_RFC9535_NAME_FIRST}][{_RFC9535_NAME_FIRST}0-9]*"

    def tokenize(self, path: str) -> Iterator[Token]:
        """Reject ``<>``, which is not an RFC 9535 comparison operator."""
        for token in super().tokenize(path):
            if token.kind == TOKEN_LG:
                raise JSONPathSyntaxError(
                    "'<>' is not an RFC 9535 operator (use '!=')", token=token
                )
            yield token


class _RFC9535Environment(JSONPathEnvironment):
    lexer_class = _RFC9535Lexer


_JSONPATH = _RFC9535Environment(strict=True)
_HYPHENATED_SHORTHAND = re.compile(r"\.[A-Za-z_][A-Za-z0-9_]*-")


class _Action:
    """One action with its JSONPath queries compiled, so bad syntax fails before any change."""

    def __init__(self, index: int, action: Mapping[str, Any]) -> None:
        self.index = index
        self.target: str = action["target"]
        self.remove = action.get("remove") is True
        self.has_update = "update" in action
        self.update: Any = action.get("update")
        self.copy_query: str | None = action.get("copy")
        if self.has_update and self.copy_query is not None and not self.remove:
            raise self.error(
                OverlayValidationError,
                "has both 'update' and 'copy'; the spec says each has no impact when the other "
                "is present, so the action would do nothing: use one of them",
            )
        self.compiled_target = self._compile(self.target, "target")
        self.compiled_copy = (
            self._compile(self.copy_query, "copy") if self.copy_query is not None else None
        )

    def error(self, kind: type[OverlayError], message: str) -> OverlayError:
        return kind(message, action_index=self.index, target=self.target)

    def _compile(self, query: str, field: str) -> Callable[[Any], list[JSONPathMatch]]:
        try:
            compiled = _JSONPATH.compile(query)
        except JSONPathError as error:
            problem = str(error).splitlines()[0]
            if _HYPHENATED_SHORTHAND.search(query):
                problem += " (a name with '-' needs brackets in RFC 9535: $['x-foo'], not $.x-foo)"
            subject = "the target" if field == "target" else f"copy {query!r}"
            raise self.error(
                OverlayValidationError,
                f"{subject} is not an RFC 9535 JSONPath query: {problem}",
            ) from error

        def select(document: JSONValue) -> list[JSONPathMatch]:
            """Evaluate, dropping repeats of a node already selected (same normalized path)."""
            seen: set[tuple[int | str, ...]] = set()
            nodes = []
            for node in compiled.finditer(document):
                if node.parts not in seen:
                    seen.add(node.parts)
                    nodes.append(node)
            return nodes

        return select


# --------------------------------------------------------------------------- applying


def _container(document: JSONValue, parts: Sequence[int | str]) -> JSONValue:
    node = document
    for part in parts:
        node = node[part]
    return node


def _describe(parts: Sequence[int | str]) -> str:
    return "$" + "".join(f"[{part!r}]" if isinstance(part, str) else f"[{part}]" for part in parts)


def _merge_object(
    target: dict[str, Any], value: Mapping[str, Any], where: list[int | str], action: _Action
) -> None:
    """The spec's recursive merge of ``value`` into ``target``, in place."""
    for key, new in value.items():
        if key not in target:
            target[key] = _clone(new)
            continue
        old = target[key]
        old_kind, new_kind = _kind(old), _kind(new)
        if old_kind == new_kind == "object":
            _merge_object(old, new, [*where, key], action)
        elif old_kind == new_kind == "array":
            old.extend(_clone(new))
        elif old_kind == new_kind == "primitive":
            target[key] = new
        else:
            raise action.error(
                IncompatibleMergeError,
                f"cannot merge {'an' if new_kind == 'object' else 'a'} {new_kind} into the "
                f"{old_kind} at {_describe([*where, key])}",
            )


def _remove(document: JSONValue, nodes: list[JSONPathMatch], action: _Action, version: str) -> None:
    groups: dict[int, tuple[Any, list[int | str]]] = {}
    for node in nodes:
        if not node.parts:
            raise action.error(UnsupportedTargetError, "cannot remove the document root")
        container = _container(document, node.parts[:-1])
        if version == "1.0" and isinstance(container, list) and _kind(node.obj) == "primitive":
            raise action.error(
                UnsupportedTargetError,
                f"Overlay 1.0 cannot remove the primitive array item {node.path} "
                "(1.1 can: set overlay: 1.1.0)",
            )
        groups.setdefault(id(container), (container, []))[1].append(node.parts[-1])
    for container, keys in groups.values():
        if isinstance(container, list):
            for index in sorted(cast("list[int]", keys), reverse=True):
                del container[index]
        else:
            for key in keys:
                del container[key]


def _merge_value(
    document: JSONValue,
    nodes: list[JSONPathMatch],
    value: JSONValue,
    source: str,
    action: _Action,
    version: str,
) -> JSONValue:
    """Apply an update/copy value to every selected node; returns the (possibly new) root."""
    kinds = sorted({_kind(node.obj) for node in nodes})
    if len(kinds) > 1:
        raise action.error(
            IncompatibleMergeError,
            f"target selects a mix of {' and '.join(kinds)} nodes; for {source} they must be "
            "all objects, all arrays or all primitives",
        )
    kind, value_kind = kinds[0], _kind(value)
    if kind == "object":
        if value_kind != "object":
            raise action.error(
                IncompatibleMergeError,
                f"target selects objects, so the {source} value must be an object, "
                f"not {'an' if value_kind == 'array' else 'a'} {value_kind}",
            )
        for node in nodes:
            _merge_object(cast("dict[str, Any]", node.obj), value, list(node.parts), action)
    elif kind == "array":
        for node in nodes:
            array = cast("list[Any]", node.obj)
            if value_kind == "array":
                array.extend(_clone(value))
            else:
                array.append(_clone(value))
    else:
        if version == "1.0":
            raise action.error(
                UnsupportedTargetError,
                "Overlay 1.0 targets must be objects or arrays; select the containing object, "
                "or use overlay: 1.1.0 to replace primitive values",
            )
        if value_kind != "primitive":
            raise action.error(
                IncompatibleMergeError,
                f"target selects primitive values, so the {source} value must be a primitive, "
                f"not {'an' if value_kind == 'array' else 'a'} {value_kind}",
            )
        for node in nodes:
            if not node.parts:
                return value
            _container(document, node.parts[:-1])[node.parts[-1]] = value
    return document


def apply_overlay(
    document: JSONValue, overlay: Mapping[str, Any], *, allow_empty_targets: bool = False
) -> JSONValue:
    """Return ``document`` with the overlay's actions applied in order; the input is not changed.

    Raises ``EmptyTargetError`` when a target selects nothing, unless ``allow_empty_targets``.
    """
    validate_overlay(overlay)
    version = "1.0" if _feature_set(overlay) == (1, 0) else "1.1"
    actions = [_Action(index, action) for index, action in enumerate(overlay["actions"])]
    result = _clone(document)
    for action in actions:
        nodes = action.compiled_target(result)
        if not nodes:
            if allow_empty_targets:
                continue
            raise action.error(
                EmptyTargetError,
                "selects no node; an overlay that no longer matches must fail loudly "
                "(pass allow_empty_targets=True for the spec's no-op behaviour)",
            )
        if action.remove:
            _remove(result, nodes, action, version)
        elif action.has_update:
            result = _merge_value(result, nodes, action.update, "update", action, version)
        elif action.compiled_copy is not None:
            sources = action.compiled_copy(result)
            if len(sources) != 1:
                raise action.error(
                    CopySourceError,
                    f"copy {action.copy_query!r} must select exactly one node, "
                    f"it selects {len(sources)}",
                )
            copied = _clone(sources[0].obj)
            result = _merge_value(result, nodes, copied, "copy", action, version)
    return result


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    """Apply one overlay file to one OpenAPI file and write the result as YAML."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.overlay", description="Apply an OpenAPI Overlay (1.0 or 1.1)."
    )
    parser.add_argument("--overlay", required=True, type=Path, help="overlay file (YAML/JSON)")
    parser.add_argument("--input", required=True, type=Path, help="OpenAPI file (YAML/JSON)")
    parser.add_argument("--output", required=True, type=Path, help="where to write the YAML")
    parser.add_argument(
        "--allow-empty-targets",
        action="store_true",
        help="let a target that selects nothing pass (the spec's behaviour) instead of failing",
    )
    args = parser.parse_args(argv)
    try:
        overlay = load_document(args.overlay)
        if not isinstance(overlay, dict):
            raise OverlayValidationError(f"{args.overlay}: an overlay document must be an object")
        result = apply_overlay(
            load_document(args.input), overlay, allow_empty_targets=args.allow_empty_targets
        )
    except OverlayError as error:
        print(f"overlay: {error}", file=sys.stderr)
        return 1
    args.output.write_text(dump_yaml(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
