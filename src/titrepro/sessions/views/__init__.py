"""Pages of the sessions app, split by role (docs/decisions/0020): ``centre``, ``authority``, ``jury``, ``candidate``.

Each module holds its views and its ``urlpatterns``; ``sessions.urls_spaces`` puts them together
under /espace/ in the ``sessions`` namespace.
"""
