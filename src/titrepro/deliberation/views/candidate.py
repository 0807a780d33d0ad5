"""Pages of the candidate for their results (/espace/candidat/resultats/...)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
