"""The newsroom: what editors file, validated once, and the operations that put it on the wire."""
