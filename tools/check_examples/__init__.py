"""Check every example in an OpenAPI 3.1 document against its schema.

OpenAPI validators check that a document is well formed, not that its examples
match their schemas; Spectral's example rules skip `$ref`'d examples and formats.
Our mock serves these examples and our docs show them, so a wrong example is a
bug. This module walks the document the way OpenAPI defines it, finds every
example (media types, parameters, headers, schemas; inline or via a local
`$ref`, components included) and validates it with JSON Schema draft 2020-12 as
OpenAPI 3.1 uses it, with format checking on.

Documents are read by ``tools._openapi`` (YAML 1.2, as every tool reads them: unquoted dates
stay strings, ``200:`` is the key ``"200"``) and ``$ref`` is followed by its resolver.
Layout: ``_formats`` (format checks we own), ``_validator`` (validating one example),
``_walk`` (finding every example in the document), ``cli``.

CLI: ``python -m tools.check_examples FILE [FILE ...]``; exit 1 on any failure
or on a file with no examples at all.
"""

from tools.check_examples._report import ExampleFailure, ExampleReport
from tools.check_examples._walk import check_document, check_examples
from tools.check_examples.cli import main

__all__ = ["ExampleFailure", "ExampleReport", "check_document", "check_examples", "main"]
