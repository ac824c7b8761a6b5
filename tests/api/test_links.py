"""A record's API address is the one ``reverse()`` gives, however its identifier is spelt.

The serializers build addresses from a route reversed once per request
(``archive.api.serializers.IdentifierLinkField``); these tests hold them to DRF's own
``reverse()`` for identifiers that need quoting, under a ``?format=`` override, and for an
identifier no route takes.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import NoReverseMatch
from rest_framework.request import Request
from rest_framework.reverse import reverse
from rest_framework.test import APIRequestFactory

from archive.api.serializers import IdentifierLinkField

IDENTIFIERS = [
    "g1-0000123",
    "RGANI f.3 op.14 d.51",
    "NDL 1956-10 no. 2",
    "日ソ共同宣言",
    "Совместная декларация",
    "a&b=c;d,e+f",
    "per%cent",
    "question?hash#",
    "tilde~colon:at@bang!dollar$quote'paren()star*",
    "space  twice",
]


def _field(view_name: str, query: str = "") -> tuple[IdentifierLinkField, Request]:
    request = Request(APIRequestFactory().get(f"/api/v1/documents/{query}"))
    field = IdentifierLinkField(view_name)
    field.bind("url", None)
    return field, request


@pytest.mark.parametrize("query", ["", "?format=json"])
@pytest.mark.parametrize("view_name", ["api:document-detail", "api:agent-detail"])
def test_links_are_what_reverse_gives(view_name: str, query: str) -> None:
    field, request = _field(view_name, query)
    for identifier in IDENTIFIERS:
        record = SimpleNamespace(pk=1, identifier=identifier)
        expected = reverse(view_name, kwargs={"identifier": identifier}, request=request)
        assert field.get_url(record, view_name, request, None) == expected, identifier
    # the second and later records of the request used the route reversed for the first
    assert set(request.__dict__["_kiroku_link_templates"]) == {view_name}


def test_an_identifier_no_route_takes_fails_as_reverse_does() -> None:
    field, request = _field("api:document-detail")
    record = SimpleNamespace(pk=1, identifier="line\nbreak")
    with pytest.raises(NoReverseMatch):
        field.get_url(record, "api:document-detail", request, None)
