"""The certification rules of the titres professionnels, in plain Python.

No Django here (DESIGN.md): frozen dataclasses in, frozen dataclasses out,
typed with mypy --strict. Each rule cites its source: the rule number of
shared/reference/regulation.md (R-nn) and the text it rests on.
"""
