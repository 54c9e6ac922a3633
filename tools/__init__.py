"""Hand-written build and release tools, run as `python -m tools.<name>`; not shipped.

The overlay applier, the generation chain and the flavour registry, the example and
breaking-change checks, the release gate, the size limits, the smoke and SDK checks. None imports
the package it builds (tools.smoke, which runs the installed wheel, aside): see ARCHITECTURE.md.
"""
