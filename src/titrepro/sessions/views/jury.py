"""Pages of the jury (filled by the sessions pages work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
