"""The flavour registry: read from openapi.yaml, completed from the flavour documents, as Python.

openapi.yaml's root extension `x-green-api-flavours` declares each flavour once (the API facts
the rest of the description cannot express). Everything else a flavour's runtime needs is
derived here from the flavour's own document, so that it cannot disagree with it: the query
parameters and body fields of each operation, the contact item's id field (from the
GetContacts -> GetContactInfo link), the generated struct names (from the 200 answers and the
request body) and the chat-id pattern (from the schema the registry names). `render` writes the
result as a module of plain literals, so the installed package needs no YAML at run time.

Hand-written because no library turns OpenAPI extensions into typed Python literals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tools._openapi import RefError, load_document, resolve_ref

EXTENSION = "x-green-api-flavours"
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
TOKEN_RE = re.compile(r"[0-9a-f]{50}")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# camelCase in openapi.yaml (the description's house style) -> snake_case in Python.
_KEYS = {
    "title": "title",
    "classPrefix": "class_prefix",
    "typeInstance": "type_instance",
    "apiUrl": "api_url",
    "pathPrefixes": "path_prefixes",
    "idInstance": "id_instance",
    "mockToken": "mock_token",
    "chatId": "chat_id",
    "groupContactInfo": "group_contact_info",
    "validation": "validation",
}
_VALIDATION_STYLES = ("joi", "go")


class RegistryError(ValueError):
    """The registry in openapi.yaml is malformed or disagrees with a flavour document."""


def read_registry(source: Path) -> dict[str, dict[str, Any]]:
    """The flavours declared in the source document, in declaration order, checked."""
    document = load_document(source)
    if not isinstance(document, dict) or not isinstance(document.get(EXTENSION), dict):
        raise RegistryError(f"{source.name} has no `{EXTENSION}` mapping at its root")
    flavours: dict[str, dict[str, Any]] = document[EXTENSION]
    if not flavours:
        raise RegistryError(f"`{EXTENSION}` declares no flavour")
    for name, entry in flavours.items():
        _check_entry(name, entry)
    return flavours


def _check_entry(name: str, entry: Any) -> None:
    where = f"{EXTENSION}.{name}"
    if NAME_RE.fullmatch(name) is None:
        raise RegistryError(f"{where}: a flavour name is lowercase [a-z][a-z0-9_]*")
    if not isinstance(entry, dict) or set(entry) != set(_KEYS):
        have = set(entry) if isinstance(entry, dict) else set()
        raise RegistryError(
            f"{where}: missing {sorted(set(_KEYS) - have)}, unknown {sorted(have - set(_KEYS))}"
        )
    if not str(entry["classPrefix"]).isidentifier():
        raise RegistryError(f"{where}.classPrefix must be a Python identifier")
    if TOKEN_RE.fullmatch(str(entry["mockToken"])) is None:
        raise RegistryError(f"{where}.mockToken must be 50 lowercase hex characters")
    ids = entry["idInstance"]
    if not (isinstance(ids, dict) and ids["minimum"] <= ids["example"] <= ids["maximum"]):
        raise RegistryError(f"{where}.idInstance: minimum <= example <= maximum")
    if entry["validation"] not in _VALIDATION_STYLES:
        raise RegistryError(f"{where}.validation must be one of {_VALIDATION_STYLES}")
    prefixes = entry["pathPrefixes"]
    if not prefixes or any(p and (not p.startswith("/") or p.endswith("/")) for p in prefixes):
        raise RegistryError(f"{where}.pathPrefixes: '' or '/segment' items, at least one")
    chat = entry["chatId"]
    if set(chat) != {"schema", "description", "user", "group", "groupPattern"}:
        raise RegistryError(
            f"{where}.chatId needs schema, description, user, group and groupPattern"
        )
    group = entry["groupContactInfo"]
    if set(group) != {"status", "message"} or not isinstance(group["status"], int):
        raise RegistryError(f"{where}.groupContactInfo needs an integer status and a message")


def operations(source: Path) -> list[dict[str, Any]]:
    """Every operation of the source document's paths, in document order."""
    document: Any = load_document(source)
    found: list[dict[str, Any]] = []
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            params = [_resolve(document, p) for p in [*shared, *operation.get("parameters", [])]]
            found.append(
                {
                    "name": operation["operationId"],
                    "http_method": method.upper(),
                    "path": path,
                    "path_parameters": tuple(p["name"] for p in params if p["in"] == "path"),
                    "query_parameters": tuple(p["name"] for p in params if p["in"] == "query"),
                    "has_body": "requestBody" in operation,
                }
            )
    return found


def _resolve(document: Any, node: Any) -> Any:
    """Follow local `$ref`s (tools/_openapi.py's one resolver) until a node without one."""
    try:
        return resolve_ref(document, node, "#")[0]
    except RefError as exc:
        raise RegistryError(str(exc)) from exc


def _ref_name(node: Any) -> str:
    if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
        raise RegistryError(f"expected a $ref to a named component, found {node!r}")
    name: str = node["$ref"].rsplit("/", 1)[-1]
    return name


def _json_schema(document: Any, holder_ref: Any) -> Any:
    holder = _resolve(document, holder_ref)
    return holder["content"]["application/json"]["schema"]


def derive(
    name: str, entry: Mapping[str, Any], document: Any, model_suffixes: Sequence[str]
) -> dict[str, Any]:
    """One flavour's registry record: its entry, completed from its own document."""
    ops = {o["operationId"]: o for item in document["paths"].values() for o in _ops(item)}
    contacts, info = ops["getContacts"], ops["getContactInfo"]
    contacts_ok = _resolve(document, contacts["responses"]["200"])
    list_schema = _resolve(document, contacts_ok["content"]["application/json"]["schema"])
    contact_struct = _ref_name(list_schema["items"])
    link = next(iter(contacts_ok.get("links", {}).values()), None)
    expression = str(link["requestBody"]["chatId"]) if link else ""
    if not expression.startswith("$response.body#/0/"):
        raise RegistryError(f"{name}: GetContacts' link must say which field is the chatId")
    info_ref = _json_schema(document, info["responses"]["200"])
    info_schema = _resolve(document, info_ref)
    branches = info_schema.get("anyOf", [])
    nullable = any(b == {"type": "null"} for b in branches)
    info_struct = _ref_name(next(b for b in branches if "$ref" in b)) if nullable else None
    request_ref = _json_schema(document, info["requestBody"])
    request_schema = _resolve(document, request_ref)
    chat = entry["chatId"]
    if request_schema["properties"]["chatId"] != {"$ref": chat["schema"]}:
        raise RegistryError(f"{name}: chatId.schema is not the schema GetContactInfo's body uses")
    pattern = _resolve(document, {"$ref": chat["schema"]})["pattern"]
    if re.fullmatch(pattern, chat["user"]) is None:
        raise RegistryError(f"{name}: chatId.user does not match {pattern}")
    group_pattern = chat["groupPattern"]
    if group_pattern is not None and (
        re.fullmatch(group_pattern, str(chat["group"])) is None
        or re.fullmatch(group_pattern, chat["user"]) is not None
    ):
        raise RegistryError(f"{name}: chatId.groupPattern must match group and not user")
    group = entry["groupContactInfo"]
    ids = entry["idInstance"]
    modules = {suffix: f"{name}_{suffix}" for suffix in model_suffixes}
    return {
        "name": name,
        "title": entry["title"],
        "class_prefix": entry["classPrefix"],
        "type_instance": entry["typeInstance"],
        "api_url": entry["apiUrl"],
        "path_prefixes": tuple(entry["pathPrefixes"]),
        "id_instance_min": ids["minimum"],
        "id_instance_max": ids["maximum"],
        "id_instance_example": ids["example"],
        "mock_token": entry["mockToken"],
        "chat_id_schema": _ref_name({"$ref": chat["schema"]}),
        "chat_id_pattern": pattern,
        "chat_id_description": " ".join(chat["description"].split()),
        "chat_id_user_example": chat["user"],
        "chat_id_group_example": chat["group"],
        "chat_id_group_pattern": group_pattern,
        "group_info_status": group["status"],
        "group_info_message": group["message"] and " ".join(group["message"].split()),
        "validation": entry["validation"],
        "options": {
            op_name: tuple(
                [
                    *(p["name"] for p in _params(document, op) if p["in"] == "query"),
                    *_body_fields(document, op),
                ]
            )
            for op_name, op in ops.items()
        },
        "contact_id_field": expression.removeprefix("$response.body#/0/"),
        "document": f"{name}.openapi.yaml",
        "client_package": f"{name}_client",
        "structs_module": modules.get("structs", ""),
        "models_module": modules.get("models", ""),
        "contact_struct": contact_struct,
        "info_struct": info_struct or _ref_name(info_ref),
        "info_result": _ref_name(info_ref),
        "info_nullable": nullable,
        "request_struct": _ref_name(request_ref),
    }


def _ops(item: Mapping[str, Any]) -> list[Any]:
    return [item[m] for m in HTTP_METHODS if m in item]


def _params(document: Any, operation: Any) -> list[Any]:
    return [_resolve(document, p) for p in operation.get("parameters", [])]


def _body_fields(document: Any, operation: Any) -> list[str]:
    if "requestBody" not in operation:
        return []
    schema = _resolve(document, _json_schema(document, operation["requestBody"]))
    return list(schema.get("properties", {}))


_TYPES = '''
class OperationData(TypedDict):
    """One operation of openapi.yaml's paths."""

    name: str
    http_method: str
    path: str
    path_parameters: tuple[str, ...]
    query_parameters: tuple[str, ...]
    has_body: bool


class FlavourData(TypedDict):
    """One entry of x-green-api-flavours, completed from the flavour's document."""

    name: str
    title: str
    class_prefix: str
    type_instance: str
    api_url: str
    path_prefixes: tuple[str, ...]
    id_instance_min: int
    id_instance_max: int
    id_instance_example: int
    mock_token: str
    chat_id_schema: str
    chat_id_pattern: str
    chat_id_description: str
    chat_id_user_example: str
    chat_id_group_example: str | None
    chat_id_group_pattern: str | None
    group_info_status: int
    group_info_message: str | None
    validation: str
    options: dict[str, tuple[str, ...]]
    contact_id_field: str
    document: str
    client_package: str
    structs_module: str
    models_module: str
    contact_struct: str
    info_struct: str
    info_result: str
    info_nullable: bool
    request_struct: str
'''


def render(
    header: str, flavours: Sequence[Mapping[str, Any]], ops: Sequence[Mapping[str, Any]]
) -> str:
    """The generated registry module: TypedDicts and literals, ruff formats it afterwards."""
    lines = [
        f"# {header}",
        '"""The flavour registry (openapi.yaml\'s x-green-api-flavours) and the operations.',
        "",
        "Read it through green_api_contacts.flavours, the typed view.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Final, TypedDict",
        "",
        _TYPES,
        "",
        f"OPERATIONS: Final[tuple[OperationData, ...]] = ({_literals(ops)})",
        "",
        f"FLAVOURS: Final[tuple[FlavourData, ...]] = ({_literals(flavours)})",
        "",
    ]
    return "\n".join(lines)


def _literals(records: Sequence[Mapping[str, Any]]) -> str:
    """Python literals of plain records (str, int, bool, None, tuples, dicts): repr is exact."""
    return "".join(f"{dict(r)!r}," for r in records)
