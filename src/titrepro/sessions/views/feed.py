"""The jury member's calendar feed (/espace/agenda/<secret>.ics): public, the secret is the key.

No login (calendar applications cannot sign in); an unknown or revoked secret answers 404. Wired in
``views.jury.urlpatterns`` (the jury member's space), so ``urls_spaces`` needs no change.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from titrepro.core.calendar import calendar
from titrepro.sessions import feeds


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = feeds.feed_of_token(token)
    response = HttpResponse(calendar(feeds.feed_events(feed.member)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="titrepro-jury.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
