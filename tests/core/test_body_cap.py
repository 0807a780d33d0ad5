"""Request bodies are capped before anything reads them (issue 11, item 12): 413, in the API's
shape under /api/ and as a French page elsewhere; a body without a length is refused (411)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.test import Client, RequestFactory

from titrepro.core.middleware import CappedStream, RequestBodyCapMiddleware

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request input that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise AssertionError("the body was read")


@pytest.fixture
def small_caps(settings):
    settings.TITREPRO_MAX_BODY_BYTES = 1000
    settings.TITREPRO_MAX_UPLOAD_BODY_BYTES = 5000


def test_an_api_body_over_the_cap_is_413_in_the_one_shape(small_caps) -> None:
    response = Client().post("/api/v1/candidates", data=json.dumps({"x": "y" * 2000}), content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    assert response.json()["message"]


def test_an_upload_view_takes_more_than_other_views(small_caps) -> None:
    upload = io.BytesIO(b"x" * 3000)
    upload.name = "candidats.csv"
    response = Client().post("/api/v1/candidates/import", {"file": upload, "centre": "C"})
    assert response.status_code == 401  # read, then refused for what it is: no authentication
    upload = io.BytesIO(b"x" * 6000)
    upload.name = "candidats.csv"
    response = Client().post("/api/v1/candidates/import", {"file": upload, "centre": "C"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_a_page_body_over_the_cap_is_a_french_page_and_is_never_read(small_caps) -> None:
    request = RequestFactory().post("/espace/centre/candidats/importer/", data=b"", content_type="multipart/form-data")
    request.META["CONTENT_LENGTH"] = str(10**9)
    request._stream = Unreadable()  # type: ignore[assignment]

    def view(request: object) -> HttpResponse:
        raise AssertionError("the view ran")

    response = RequestBodyCapMiddleware(view)(request)
    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "0 Mo" in page  # the page's cap (5000 bytes), in megabytes


def test_a_negative_or_garbled_length_is_refused(small_caps) -> None:
    for length in ("-1", "12abc"):
        request = RequestFactory().post("/api/v1/candidates", data=b"{}", content_type="application/json")
        request.META["CONTENT_LENGTH"] = length
        response = RequestBodyCapMiddleware(lambda r: HttpResponse())(request)
        assert response.status_code == 413


def test_a_body_without_a_length_is_411(small_caps) -> None:
    request = RequestFactory().post("/api/v1/candidates", data=b"", content_type="application/json")
    request.META.pop("CONTENT_LENGTH", None)
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    response = RequestBodyCapMiddleware(lambda r: HttpResponse())(request)
    assert response.status_code == 411
    assert json.loads(response.content)["code"] == "length_required"


def test_reading_past_the_cap_fails_whatever_the_server_gives() -> None:
    stream = CappedStream(io.BytesIO(b"x" * 200), 100)
    assert stream.read(100) == b"x" * 100
    with pytest.raises(RequestDataTooBig):
        stream.read(1)


def test_djangos_own_limit_is_413_not_400(settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = Client().post("/compte/connexion/", {"username": "x" * 500, "password": "y"})
    assert response.status_code == 413
    assert '<html lang="fr">' in response.content.decode()
