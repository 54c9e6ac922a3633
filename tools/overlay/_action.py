"""One overlay action with its RFC 9535 JSONPath queries compiled before anything changes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonpath import JSONPathEnvironment, JSONPathError, JSONPathMatch, JSONPathSyntaxError
from jsonpath.lex import Lexer
from jsonpath.token import TOKEN_LG, Token

from tools.overlay._document import JSONValue
from tools.overlay._errors import OverlayError, OverlayValidationError

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


class Action:
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
