"""The drift report: what recorded API answers show that the API description does not know.

``green-api-contacts drift PATH...`` (or ``python -m green_api_contacts.drift``) reads recorded
answers (:mod:`._record`), walks each along the generated Struct that describes it
(:mod:`._describe`, :mod:`._compare`), infers schemas for what is new (:mod:`._infer`), and prints
the findings (:mod:`._report`), optionally as an OpenAPI Overlay (:mod:`._overlay`).
"""

from ._cli import add_parser, main, run
from ._compare import Finding, Report, compare
from ._record import Answer, RecordError, encode_answer, read_answers

__all__ = [
    "Answer",
    "Finding",
    "RecordError",
    "Report",
    "add_parser",
    "compare",
    "encode_answer",
    "main",
    "read_answers",
    "run",
]
