"""A cap on the size of every request body, checked before anything reads it (issue 11, item 12).

Django reads a body lazily, and at most ``Content-Length`` bytes of it under WSGI; a multipart
upload is streamed to a temporary file, but an import then reads the whole file into memory. So
``RequestBodyCapMiddleware``, first in ``MIDDLEWARE``, answers 413 to a request whose declared
length is over the cap of its view (``TITREPRO_MAX_UPLOAD_BODY_BYTES`` for the views named in
``TITREPRO_UPLOAD_VIEWS``, ``TITREPRO_MAX_BODY_BYTES`` elsewhere), 411 to a body sent without a
length (chunked), and wraps the input so that reading past the cap fails whatever the server
gives. Under ``/api/`` the answer is the API's error shape; elsewhere a small French page.
The reverse proxy holds the same cap (README, "Request bodies"): it refuses before Django runs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from titrepro.core.api import API_PREFIX, body, json_response


class CappedStream(io.IOBase):
    """A request's input that raises ``RequestDataTooBig`` once more than ``cap`` bytes are read."""

    def __init__(self, stream: Any, cap: int) -> None:
        super().__init__()
        self.stream = stream
        self.cap = cap
        self.count = 0

    def _counted(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self.cap:
            raise RequestDataTooBig(f"request body over {self.cap} bytes")
        return data

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1, /) -> bytes:
        return self._counted(self.stream.read(size))

    def readline(self, size: int | None = -1, /) -> bytes:
        return self._counted(self.stream.readline(size))


def body_cap(request: HttpRequest) -> int:
    """The largest body the view of this request takes."""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        view_name = ""
    if view_name in settings.TITREPRO_UPLOAD_VIEWS:
        return int(settings.TITREPRO_MAX_UPLOAD_BODY_BYTES)
    return int(settings.TITREPRO_MAX_BODY_BYTES)


def refuse(request: HttpRequest, status: int, cap: int | None = None) -> HttpResponse:
    if status == 411:
        code, message = "length_required", _("The request body must be sent with its length (Content-Length).")
    else:
        code, message = "body_too_large", _("The request body is too large.")
    if request.path_info.startswith(API_PREFIX):
        return json_response(body(code, message), status)
    megabytes = (cap or int(settings.TITREPRO_MAX_BODY_BYTES)) // (1024 * 1024)
    page = render_to_string("core/request_refused.html", {"message": message, "megabytes": megabytes})
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class RequestBodyCapMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cap = body_cap(request)
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0 or length > cap:
                return refuse(request, 413, cap)
        elif request.headers.get("Transfer-Encoding"):
            return refuse(request, 411)
        stream = getattr(request, "_stream", None)
        if stream is not None:
            request._stream = CappedStream(stream, cap)  # type: ignore[assignment]
        request.titrepro_body_cap = cap  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE) and ours, read past: 413, not 400."""
        if isinstance(exception, RequestDataTooBig):
            return refuse(request, 413, getattr(request, "titrepro_body_cap", None))
        return None
