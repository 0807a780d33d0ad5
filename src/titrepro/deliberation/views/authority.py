"""Pages of the authority agent for the deliberation (/espace/dreets/pv/...)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
