"""What every app shares: lifecycles as data, refusals, the API error shape, forms, authority decisions.

No models of its own (only abstract ones); it imports ``audit`` and nothing above it.
"""
