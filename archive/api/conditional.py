"""Validators for the partner API's responses: ETag and Last-Modified, and conditional GET.

Each response's ETag is a digest of its body (with the media type it was rendered for), so it
changes whenever anything shown changes, including a related record's name, and differs
between what the public and a curator see. A single record's ETag also starts with the record's
``version``: ``"7-3f9c0a2b..."``. That version is what ``If-Match`` compares on a write (see
:mod:`archive.api.writes`), so a record's ETag from a GET is also its edit token.

``Last-Modified`` is the record's ``updated_at`` (for a list, the newest row shown). Lists
answer 304 to ``If-None-Match`` only: the newest row's date cannot tell that a row left the
list, so ``If-Modified-Since`` on a list is ignored (always a full answer, never a wrong 304).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

# an entity tag as sent in If-Match: optional W/ and a quoted value; a record's tag is
# "<version>-<digest>" (a bare "<version>" is accepted too)
ETAG_RE = re.compile(r'(W/)?"([^"]*)"')
VERSION_RE = re.compile(r"^(\d+)(?:-[0-9a-f]+)?$")


@dataclass
class Validators:
    """What a view knows about the record(s) in a response."""

    version: int | None = None
    modified: datetime | None = None
    is_list: bool = False
    #: the body's digest, when it was computed with the body (a cached response)
    digest: str | None = None


def data_digest(data: Any, media_type: str | None) -> str:
    """A short digest of a response's data as ``media_type``: the ETag's opaque part."""
    payload = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{media_type or ''}\n{payload}".encode()).hexdigest()[:20]


def make_etag(response: Response, validators: Validators) -> str:
    digest = validators.digest or data_digest(response.data, response.accepted_media_type)
    if validators.is_list:
        return f'W/"{digest}"'
    if validators.version is not None:
        return f'"{validators.version}-{digest}"'
    return f'"{digest}"'


def add_validators(
    request: Request, response: Response, validators: Validators
) -> HttpResponseBase:
    """Set ETag, Last-Modified and caching headers; answer 304 to a satisfied conditional GET."""
    response["ETag"] = make_etag(response, validators)
    last_modified = None
    if validators.modified is not None:
        response["Last-Modified"] = http_date(validators.modified.timestamp())
        last_modified = int(validators.modified.timestamp())
    # caches may keep responses but must revalidate them; the body differs by login
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Authorization", "Cookie"])
    if request.method not in ("GET", "HEAD"):
        return response
    conditional = get_conditional_response(
        request._request,
        etag=response["ETag"],
        last_modified=None if validators.is_list else last_modified,
        response=response,
    )
    return conditional


def if_match_versions(header: str) -> list[int] | None:
    """The record versions named by an ``If-Match`` header, or None if it names none usable."""
    versions = []
    for weak, value in ETAG_RE.findall(header):
        match = VERSION_RE.match(value)
        if match and not weak:
            versions.append(int(match.group(1)))
    return versions or None
