"""Pages of the centre staff: sessions, registrations, jury, convocations, the session day, the programme."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
