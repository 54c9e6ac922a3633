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

Documents are read and written by ``tools._openapi`` (YAML 1.2 core schema, JSON-compatible
trees, deterministic output), the loader every tool shares; ``load_document`` here only turns its
errors into ``DocumentLoadError``, an ``OverlayError`` like everything this package raises.

Layout: ``_errors`` (the exceptions), ``_document`` (loading, cloning), ``_validate`` (the
official schemas), ``_action`` (RFC 9535 queries of one action), ``_apply`` (the semantics),
``cli``.

CLI: ``python -m tools.overlay --overlay O --input I --output OUT`` writes YAML.
"""

from tools.overlay._apply import apply_overlay
from tools.overlay._document import dump_yaml, load_document
from tools.overlay._errors import (
    CopySourceError,
    DocumentLoadError,
    EmptyTargetError,
    IncompatibleMergeError,
    OverlayError,
    OverlayValidationError,
    UnsupportedTargetError,
)
from tools.overlay._validate import validate_overlay
from tools.overlay.cli import main

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
