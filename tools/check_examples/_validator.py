"""Validating one example against the schema at a location of the document."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol
from urllib.parse import quote

from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from tools._openapi import RefError, child_pointer, resolve_ref
from tools.check_examples._formats import FORMAT_CHECKER
from tools.check_examples._report import ExampleFailure, ExampleReport

# The whole document is registered under this URI so that a `$ref` such as
# `#/components/schemas/X` resolves against the document from any subschema.
# It must use a scheme urljoin treats as hierarchical (not `urn:`); `.invalid`
# never resolves and the registry has no retriever, so nothing is fetched.
_DOCUMENT_URI = "https://openapi.invalid/document.json"


class _Validator(Protocol):
    """The part of a jsonschema validator we use (jsonschema ships no type hints)."""

    def iter_errors(self, instance: object) -> Iterator[Any]: ...


class ExampleValidator:
    """One document's examples validated against their schemas; failures collected."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc = document
        self.report = ExampleReport()
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_DOCUMENT_URI, resource)
        self._validators: dict[str, _Validator] = {}

    # reporting / references

    def fail(self, location: str, message: str) -> None:
        self.report.failures.append(ExampleFailure(location, message))

    def lookup(self, ref: object, at: str) -> tuple[Any, str] | None:
        """Follow a local `$ref` (chains too); report and return None if it is broken."""
        try:
            target, location, _ = resolve_ref(self.doc, {"$ref": ref}, at)
        except RefError as error:
            self.fail(at, str(error))
            return None
        return target, location

    def resolved(self, obj: object, at: str) -> tuple[Any, str] | None:
        """Return (object, its location), following a `$ref` if obj is one."""
        if isinstance(obj, Mapping) and "$ref" in obj:
            return self.lookup(obj["$ref"], at)
        return obj, at

    # validation

    def _validator(self, schema_location: str) -> _Validator:
        validator = self._validators.get(schema_location)
        if validator is None:
            fragment = quote(schema_location[1:], safe="/~")
            validator = OAS31Validator(
                {"$ref": f"{_DOCUMENT_URI}#{fragment}"},
                registry=self._registry,
                format_checker=FORMAT_CHECKER,
            )
            self._validators[schema_location] = validator
        return validator

    def validate(self, value: object, schema_location: str | None, where: str) -> None:
        """Validate one example value against the schema found at schema_location."""
        self.report.checked += 1
        if schema_location is None:
            self.fail(where, "example has no schema to be checked against")
            return
        try:
            errors = list(self._validator(schema_location).iter_errors(value))
        except Unresolvable as exc:
            ref = str(getattr(exc, "ref", exc)).removeprefix(_DOCUMENT_URI)
            shown_ref = f"#{ref}" if ref.startswith("/") else ref
            self.fail(
                where,
                f"schema at {schema_location} references a missing component: {shown_ref!r}",
            )
            return
        except Exception as exc:  # a malformed schema must not stop the whole run
            self.fail(where, f"schema at {schema_location} cannot be used: {exc}")
            return
        for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
            instance_at = child_pointer("", *error.absolute_path) or "(root)"
            self.fail(where, f"at {instance_at}: {_explain(error)}")

    def example_object(self, example: object, at: str, schema_location: str | None) -> None:
        """An Example Object (or a `$ref` to one, e.g. in components.examples)."""
        found = self.resolved(example, at)
        if found is None:
            self.report.checked += 1
            return
        target, target_at = found
        where = at if target_at == at else f"{at} (-> {target_at})"
        if not isinstance(target, Mapping):
            self.report.checked += 1
            self.fail(where, "Example Object is not a mapping")
        elif "value" in target:
            if "externalValue" in target:
                self.fail(where, "Example Object has both value and externalValue")
            self.validate(target["value"], schema_location, where)
        else:
            self.report.checked += 1
            if "externalValue" in target:
                self.fail(where, "externalValue examples cannot be checked; inline the value")
            else:
                self.fail(where, "Example Object has no value")

    def examples_of(self, holder: Mapping[str, Any], at: str, schema_location: str | None) -> None:
        """`example` / `examples` on a media type, parameter or header."""
        if "example" in holder:
            self.validate(holder["example"], schema_location, child_pointer(at, "example"))
        examples = holder.get("examples")
        if examples is None:
            return
        if not isinstance(examples, Mapping):
            self.fail(child_pointer(at, "examples"), "examples must be a map of Example Objects")
            return
        for name, example in examples.items():
            self.example_object(example, child_pointer(at, "examples", name), schema_location)


def _explain(error: Any) -> str:
    """The error's message, plus why each anyOf/oneOf branch failed."""
    if not error.context:
        return str(error.message)
    reasons = dict.fromkeys(str(sub.message) for sub in error.context)
    return f"{error.message} ({'; '.join(reasons)})"
