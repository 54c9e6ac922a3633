"""Contract tests: schemathesis and the generated clients against the mock, Prism or the live API.

``CONTRACT_TARGET`` picks the server (see ``contract_tests/_target.py``); ``make contract``,
``make contract-prism`` and ``make contract-live`` run the suite and print a summary.
"""
