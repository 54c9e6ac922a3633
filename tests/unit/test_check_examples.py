"""tools.check_examples finds every example in an OpenAPI 3.1 document and validates it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tools.check_examples import check_document, check_examples, main

OP = "#/paths/~1contacts/get"
MEDIA_200 = f"{OP}/responses/200/content/application~1json"

CONTACT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "string", "pattern": "@c\\.us$"},
        "name": {"type": "string", "examples": ["Bob"]},
        "email": {"type": ["string", "null"], "format": "email"},
        "avatar": {"anyOf": [{"type": "string", "format": "uri"}, {"type": "null"}]},
        "lastSeen": {"type": "string", "format": "date-time"},
    },
    "additionalProperties": False,
}
BOB: dict[str, Any] = {"id": "79001234567@c.us", "name": "Bob", "email": None, "avatar": None}


def _doc(paths: dict[str, Any] | None = None, **components: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": copy.deepcopy(paths or {}),
        "components": copy.deepcopy(components),
    }


def _one_response(media: dict[str, Any], **op: Any) -> dict[str, Any]:
    """Paths with GET /contacts answering 200 with the given media type object."""
    return {
        "/contacts": {
            "get": {
                "operationId": "getContacts",
                **op,
                "responses": {"200": {"description": "ok", "content": {"application/json": media}}},
            }
        }
    }


CONTACT_REF = {"$ref": "#/components/schemas/Contact"}


def _valid_doc() -> dict[str, Any]:
    """Examples in every kind of place (numbered), all of them correct."""
    path = "/waInstance{idInstance}/getContactInfo/{apiTokenInstance}"
    return _doc(
        paths={
            path: {
                "parameters": [{"$ref": "#/components/parameters/IdInstance"}],
                "post": {
                    "operationId": "getContactInfo",
                    "parameters": [
                        {
                            "name": "apiTokenInstance",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "password"},
                            "example": "d75b3a66374942c5b3c019c698abc2067e151558acbd412345",  # 1
                        }
                    ],
                    "requestBody": {"$ref": "#/components/requestBodies/ChatId"},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "X-Request-Id": {
                                    "schema": {"type": "string", "format": "uuid"},
                                    "example": "0b1d3f3e-8f6a-4c53-9a51-3f9a3c8f6f10",  # 2
                                }
                            },
                            "content": {
                                "application/json": {
                                    "schema": CONTACT_REF,
                                    "examples": {
                                        "bob": {"$ref": "#/components/examples/Bob"},  # 3
                                        "alice": {
                                            "value": {  # 4
                                                "id": "79001112233@c.us",
                                                "name": "Alice",
                                                "email": "alice@example.com",
                                                "avatar": "https://example.com/a.jpg",
                                                "lastSeen": "2024-05-01T10:00:00+03:00",
                                            }
                                        },
                                    },
                                }
                            },
                        },
                        "400": {"$ref": "#/components/responses/BadRequest"},
                    },
                },
            }
        },
        schemas={
            "Contact": CONTACT,  # 5: properties.name.examples[0]
            "ErrorText": {"type": "string", "example": "Bad Request"},  # 6: deprecated `example`
        },
        parameters={
            "IdInstance": {
                "name": "idInstance",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "format": "int64"},
                "examples": {"typical": {"value": 1101000001}},  # 7
            }
        },
        requestBodies={
            "ChatId": {
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"chatId": {"type": "string"}}},
                        "example": {"chatId": "79001234567@c.us"},  # 8
                    }
                }
            }
        },
        responses={
            "BadRequest": {
                "description": "bad",
                "content": {
                    "text/plain": {
                        "schema": {"$ref": "#/components/schemas/ErrorText"},
                        "example": "Bad Request",  # 9
                    }
                },
            }
        },
        examples={"Bob": {"summary": "null email", "value": BOB}},
    )


def _messages(doc: dict[str, Any]) -> list[str]:
    return [str(f) for f in check_examples(doc)]


def test_valid_document_counts_every_example_and_has_no_failures() -> None:
    report = check_document(_valid_doc())
    assert report.failures == []
    assert report.ok
    assert report.checked == 9


def test_bad_media_type_example() -> None:
    doc = _doc(
        paths=_one_response({"schema": CONTACT_REF, "example": {**BOB, "id": 42}}),
        schemas={"Contact": CONTACT},
    )
    failures = check_examples(doc)
    assert len(failures) == 1
    assert failures[0].location == f"{MEDIA_200}/example"
    assert "/id" in failures[0].message
    assert "not of type 'string'" in failures[0].message


def test_bad_named_example_via_components_examples_ref() -> None:
    doc = _doc(
        paths=_one_response(
            {"schema": CONTACT_REF, "examples": {"bad": {"$ref": "#/components/examples/NoName"}}}
        ),
        schemas={"Contact": CONTACT},
        examples={"NoName": {"value": {"id": "1@c.us"}}},
    )
    failures = check_examples(doc)
    assert len(failures) == 1
    assert failures[0].location == f"{MEDIA_200}/examples/bad (-> #/components/examples/NoName)"
    assert "'name' is a required property" in failures[0].message


def test_bad_parameter_example() -> None:
    param = {
        "name": "count",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1},
        "example": 0,
    }
    doc = _doc(
        paths=_one_response({"schema": CONTACT_REF, "example": BOB}, parameters=[param]),
        schemas={"Contact": CONTACT},
    )
    failures = check_examples(doc)
    assert [f.location for f in failures] == [f"{OP}/parameters/0/example"]
    assert "less than the minimum of 1" in failures[0].message


def test_bad_component_parameter_named_example() -> None:
    doc = _doc(
        paths=_one_response(
            {"schema": CONTACT_REF, "example": BOB},
            parameters=[{"$ref": "#/components/parameters/Count"}],
        ),
        schemas={"Contact": CONTACT},
        parameters={
            "Count": {
                "name": "count",
                "in": "query",
                "schema": {"type": "integer"},
                "examples": {"text": {"value": "ten"}},
            }
        },
    )
    assert [f.location for f in check_examples(doc)] == [
        "#/components/parameters/Count/examples/text"
    ]


def test_bad_schema_level_examples() -> None:
    contact = copy.deepcopy(CONTACT)
    contact["properties"]["name"]["examples"] = ["Bob", 7]
    contact["examples"] = [{"id": "x@c.us", "name": "X", "extra": True}]
    contact["properties"]["lastSeen"]["example"] = "yesterday"
    doc = _doc(
        paths=_one_response({"schema": CONTACT_REF, "example": BOB}),
        schemas={"Contact": contact},
    )
    by_location = {f.location: f.message for f in check_examples(doc)}
    assert set(by_location) == {
        "#/components/schemas/Contact/properties/name/examples/1",
        "#/components/schemas/Contact/examples/0",
        "#/components/schemas/Contact/properties/lastSeen/example",
    }
    assert (
        "Additional properties are not allowed"
        in by_location["#/components/schemas/Contact/examples/0"]
    )
    assert "date-time" in by_location["#/components/schemas/Contact/properties/lastSeen/example"]


def test_nullable_examples_accept_null_and_reject_other_types() -> None:
    ok = _doc(
        paths=_one_response({"schema": CONTACT_REF, "example": BOB}),
        schemas={"Contact": CONTACT},
    )
    assert check_document(ok).failures == []
    bad = _doc(
        paths=_one_response({"schema": CONTACT_REF, "example": {**BOB, "email": 5, "avatar": 5}}),
        schemas={"Contact": CONTACT},
    )
    messages = _messages(bad)
    assert len(messages) == 2
    assert any("/email" in m and "is not of type 'string', 'null'" in m for m in messages)
    assert any("/avatar" in m for m in messages)


def test_example_in_a_referenced_response_component() -> None:
    doc = _doc(
        paths={
            "/contacts": {
                "get": {
                    "operationId": "getContacts",
                    "responses": {"200": {"$ref": "#/components/responses/Contacts"}},
                }
            }
        },
        schemas={"Contact": CONTACT},
        responses={
            "Contacts": {
                "description": "ok",
                "content": {"application/json": {"schema": CONTACT_REF, "example": [BOB]}},
            }
        },
    )
    report = check_document(doc)
    assert report.checked == 2  # the response example and Contact.name's schema example
    assert [f.location for f in report.failures] == [
        "#/components/responses/Contacts/content/application~1json/example"
    ]
    assert "is not of type 'object'" in report.failures[0].message


def test_format_checks_uri_and_date_time() -> None:
    doc = _doc(
        paths=_one_response(
            {
                "schema": CONTACT_REF,
                "example": {**BOB, "avatar": "not a uri", "lastSeen": "2024-02-30T00:00:00Z"},
            }
        ),
        schemas={"Contact": CONTACT},
    )
    messages = _messages(doc)
    assert any("/lastSeen" in m and "'date-time'" in m for m in messages)
    assert any("/avatar" in m for m in messages)


def test_text_plain_example_is_validated_as_its_schema_says() -> None:
    def doc_with(example: Any) -> dict[str, Any]:
        return _doc(
            paths={
                "/page": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "text/html": {
                                        "schema": {"$ref": "#/components/schemas/Html"},
                                        "example": example,
                                    }
                                },
                            }
                        }
                    }
                }
            },
            schemas={"Html": {"type": "string", "minLength": 1}},
        )

    assert check_examples(doc_with("<p>hi</p>")) == []
    failures = check_examples(doc_with({"html": "<p>hi</p>"}))
    assert [f.location for f in failures] == [
        "#/paths/~1page/get/responses/200/content/text~1html/example"
    ]


def test_missing_example_component_fails() -> None:
    doc = _doc(
        paths=_one_response(
            {"schema": CONTACT_REF, "examples": {"gone": {"$ref": "#/components/examples/Gone"}}}
        ),
        schemas={"Contact": CONTACT},
    )
    messages = _messages(doc)
    assert messages == [
        f"{MEDIA_200}/examples/gone: $ref '#/components/examples/Gone' "
        "references a missing component"
    ]


@pytest.mark.parametrize(
    ("examples", "reason"),
    [
        (
            {"loop": {"$ref": "#/components/examples/A"}},
            "$ref '#/components/examples/A' is circular",
        ),
        (
            {"far": {"$ref": "other.yaml#/components/examples/A"}},
            "$ref 'other.yaml#/components/examples/A' is not a local JSON pointer",
        ),
    ],
)
def test_circular_and_non_local_example_refs_fail(examples: dict[str, Any], reason: str) -> None:
    """The shared resolver (tools._openapi.resolve_ref) reports why a $ref cannot be followed."""
    doc = _doc(
        paths=_one_response({"schema": CONTACT_REF, "examples": examples}),
        schemas={"Contact": CONTACT},
        examples={
            "A": {"$ref": "#/components/examples/B"},
            "B": {"$ref": "#/components/examples/A"},
        },
    )
    (name,) = examples
    messages = [m for m in _messages(doc) if m.startswith(f"{MEDIA_200}/examples/{name}:")]
    assert len(messages) == 1
    assert reason in messages[0]


def test_missing_schema_component_fails() -> None:
    doc = _doc(paths=_one_response({"schema": CONTACT_REF, "example": BOB}))
    messages = _messages(doc)
    assert any(
        m.startswith(f"{MEDIA_200}/schema/$ref:") and "missing component" in m for m in messages
    )
    assert any(m.startswith(f"{MEDIA_200}/example:") and "missing component" in m for m in messages)


def test_document_without_examples_is_a_failure() -> None:
    doc = _doc(
        paths=_one_response({"schema": CONTACT_REF}), schemas={"Contact": {"type": "object"}}
    )
    report = check_document(doc)
    assert report.checked == 0
    assert [f.location for f in report.failures] == ["#"]
    assert "no examples" in report.failures[0].message


def test_yaml_dates_stay_strings_and_int_keys_resolve(tmp_path: Path) -> None:
    """Unquoted YAML timestamps stay strings; an unquoted `200:` still resolves as "200"."""
    spec = tmp_path / "dates.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /seen:\n"
        "    get:\n"
        "      responses:\n"
        "        200:\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {type: object, properties: {at: {type: string, format: date}}}\n"
        "              example: {at: 2024-05-01}\n"
        "components:\n"
        "  schemas:\n"
        "    Seen:\n"
        "      type: string\n"
        "      format: date-time\n"
        "      examples: [2024-05-01T10:00:00Z]\n",
        encoding="utf-8",
    )
    report = check_document(spec)
    assert (report.checked, report.failures) == (2, [])


def _write(tmp_path: Path, name: str, doc: dict[str, Any]) -> Path:
    import json

    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_cli_reports_problems_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path, "good.json", _valid_doc())
    assert main([str(good)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"9 examples checked in {good}, 0 failures"]

    bad_doc = _valid_doc()
    bad_doc["components"]["examples"]["Bob"]["value"]["name"] = None
    bad = _write(tmp_path, "bad.json", bad_doc)
    empty = _write(tmp_path, "empty.json", _doc())
    assert main([str(good), str(bad), str(empty)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"9 examples checked in {good}, 0 failures"
    assert lines[1].startswith(f"{bad}: #/paths/")
    assert "(-> #/components/examples/Bob): at /name: None is not of type 'string'" in lines[1]
    assert lines[2] == f"9 examples checked in {bad}, 1 failures"
    assert lines[3] == f"{empty}: #: no examples found; every document must carry examples"
    assert lines[4] == f"0 examples checked in {empty}, 1 failures"


def test_cli_unreadable_file_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    assert main([str(missing)]) == 1
    assert f"0 examples checked in {missing}, 1 failures" in capsys.readouterr().out
