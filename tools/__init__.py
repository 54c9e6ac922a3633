"""Hand-written build tooling (overlay applier, generation chain, spec checks). Not shipped."""
