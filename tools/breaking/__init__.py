"""Breaking-change check for the API descriptions: ``make breaking BASE=<git ref>``.

Compares openapi.yaml and both flavour documents with the same files at a git ref (default
HEAD, so a dirty work tree is checked against the last commit) and lists, per document and
grouped into requests / responses / operations, every change that breaks clients.

Why hand-written (candidates checked when this was written): oasdiff, the best-kept tool,
is a Go program (OpenAPI 3.1 support left beta only in its v1.15.0) and not on PyPI;
OpenAPITools/openapi-diff is Java and its 3.1 support is still an open discussion. On PyPI,
openapispecdiff (last release 2022) and impoasdiff (0.0.4, 2023) are unmaintained;
api-schema-diff (2025) documents "OpenAPI 3.x" with no word on 3.1's ``type: [x, 'null']`` or
null branches in ``anyOf``; the rest (breakwatch, schemawatch, contractor-cli, ...) are 0.x
releases of 2026 with no track record, not evaluated further. None knows this project's rules
(open response enums, tolerant responses of a server we do not control), so they live here.

Direction. Requests are written by callers and read by the server: a request change breaks
callers when it accepts less (stricter). Responses are read by generated, validating decoders
(pydantic models, msgspec Structs) of a server we do not control, so a response change breaks
them both ways: when it gives readers something they never had to handle (a field removed,
required made optional, null added, a wider type, a new value in a closed enum) and when it
makes the decoder reject bodies it accepted (null removed, narrower type, tighter bound or
pattern, ``additionalProperties: false``, a field made or added as required) -- the description
changes, the API does not. Adding null to a response is therefore breaking
(``response-nullable-added``): the generated type goes from ``str`` to ``str | None`` and code
that calls ``.upper()`` on it no longer type-checks. Loosened response bounds and patterns, new
optional fields, new status codes and media types are compatible. Open enums (``anyOf: [enum,
{type: string}]``) accept any string, so their known values may come and go.

Every rule is a row of the table in ``tools.breaking.rules`` (id, level, description, the
detector that finds it); ``python -m tools.breaking --rules`` prints it, and
docs/breaking-rules.md shows it next to oasdiff's checks. Findings name a rule id, the group, a
JSON pointer into the old or the new document (``old`` for what is gone, ``new`` otherwise), a
one-line message and the operations that reach the node.
Local references (``$ref``) are followed: a change inside a component is reported at the
component's path, once per direction it is used in. Not compared: ``not``,
``if``/``then``/``else``, ``patternProperties``, ``contains``, headers and security.

A removed server is a warning: listed, but it never fails the check.

Exit codes: 0 no breaking change, or breaking changes while the major version of openapi.yaml
(``info.version``) moved; 1 breaking changes without a major bump; 2 usage error.

CLI: ``python -m tools.breaking [--base REF] [--old F --new F] [--format text|json] [--verbose]``
and ``python -m tools.breaking --rules [--format text|json|markdown]``.

Layout: ``rules`` (the table), ``_detect_ops`` and ``_detect_schema`` (the detectors),
``_walk`` and ``_walk_schema`` (pairing nodes of the two documents), ``_facts`` (what a schema
allows), ``_model`` (findings, changes), ``report``, ``sources`` (files and git), ``cli``.
"""

from tools.breaking._model import BreakingError, Finding
from tools.breaking._walk import compare_documents
from tools.breaking.cli import main
from tools.breaking.report import DocumentReport, Report
from tools.breaking.rules import RULES, Rule
from tools.breaking.sources import DOCUMENTS, compare_files, compare_with_base

__all__ = [
    "DOCUMENTS",
    "RULES",
    "BreakingError",
    "DocumentReport",
    "Finding",
    "Report",
    "Rule",
    "compare_documents",
    "compare_files",
    "compare_with_base",
    "main",
]
