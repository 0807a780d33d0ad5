"""Baked badges: a badge's picture carrying its signed credential, the Open Badges 3.0 way ("Baking"), so the
image a holder posts is itself verifiable.

- PNG: an ``iTXt`` chunk with the keyword ``openbadgecredential``, not compressed, holding the credential's JSON,
  put before the image's end (``IEND``);
- SVG: an ``<openbadges:credential>`` element (namespace ``https://purl.imsglobal.org/ob/v3p0``) right inside
  the root element, holding the JSON in a CDATA section.

The picture itself is drawn by Typst (``core/typst/badge.typ``). ``unbake`` reads the credential back out of
either, for the verification of an uploaded file.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any

from titrepro.core import pdf
from titrepro.credentials.models import Badge, BadgeKind

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_ROOT = re.compile(rb"<svg\b[^>]*>")
SVG_CREDENTIAL = re.compile(rb"<openbadges:credential\b[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</openbadges:credential>", re.S)


def image_data(badge: Badge) -> dict[str, Any]:
    achieved = badge.credential["credentialSubject"]["achievement"]
    kind = {
        BadgeKind.TITLE: "TITRE PROFESSIONNEL",
        BadgeKind.CCP: f"CCP {badge.ccp.number}" if badge.ccp else "CCP",
        BadgeKind.CCS: "CCS",
    }[BadgeKind(badge.kind)]
    label = achieved["name"].split(" — ", 1)[-1].removeprefix("Titre professionnel ")
    return {"kind": kind, "name": label, "code": achieved.get("humanCode", ""), "authority": badge.authority.name}


def _json(badge: Badge) -> bytes:
    return json.dumps(badge.credential, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def baked_png(badge: Badge) -> bytes:
    image = pdf.render_image("badge", image_data(badge), image_format="png")
    text = KEYWORD + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + _json(badge)  # no compression, no language
    end = image.rindex(b"IEND") - 4  # the IEND chunk starts with its length
    return image[:end] + _chunk(b"iTXt", text) + image[end:]


def baked_svg(badge: Badge) -> bytes:
    image = pdf.render_image("badge", image_data(badge), image_format="svg")
    root = SVG_ROOT.search(image)
    if root is None:
        raise pdf.PdfError("badge", "Typst's SVG has no root element")
    opening = root.group(0)
    if b"xmlns:openbadges" not in opening:
        opening = opening[:-1] + f' xmlns:openbadges="{NAMESPACE}">'.encode()
    payload = _json(badge).replace(b"]]>", b"]]]]><![CDATA[>")
    element = b"<openbadges:credential><![CDATA[" + payload + b"]]></openbadges:credential>"
    return image[: root.start()] + opening + element + image[root.end() :]


def unbake(data: bytes) -> dict[str, Any] | None:
    """The credential baked into a PNG or an SVG, or None when there is none (or it is not JSON)."""
    text: bytes | None = None
    if data.startswith(PNG_SIGNATURE):
        position = len(PNG_SIGNATURE)
        while position + 8 <= len(data):
            (length,) = struct.unpack(">I", data[position : position + 4])
            kind = data[position + 4 : position + 8]
            body = data[position + 8 : position + 8 + length]
            if kind == b"iTXt" and body.startswith(KEYWORD + b"\x00"):
                rest = body[len(KEYWORD) + 1 :]
                compressed, rest = rest[:1] == b"\x01", rest[2:]
                _language, _sep, rest = rest.partition(b"\x00")
                _translated, _sep, text = rest.partition(b"\x00")
                if compressed:
                    try:
                        text = zlib.decompress(text)
                    except zlib.error:
                        return None
                break
            position += 12 + length
    else:
        found = SVG_CREDENTIAL.search(data)
        if found is not None:
            text = found.group(1).replace(b"]]]]><![CDATA[>", b"]]>")
    if text is None:
        return None
    try:
        credential = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return credential if isinstance(credential, dict) else None
