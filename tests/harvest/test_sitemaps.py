"""Crawlers: /robots.txt and the sitemap index with one sitemap per kind of public record."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import etree

from archive.models import Collection, Repository
from documents.models import Document
from people.models import Agent

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    return [loc.text for loc in etree.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_robots_txt_allows_all_but_the_admin_and_names_the_sitemap(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:3] == ["User-agent: *", "Disallow: /admin/", "Allow: /"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_index_lists_one_sitemap_per_kind(client: Client) -> None:
    assert locations(client, "/sitemap.xml") == [
        f"http://testserver/sitemap-{section}.xml"
        for section in ["documents", "collections", "people", "repositories"]
    ]


def test_sitemaps_list_exactly_the_public_records(client: Client, holdings: dict[str, Any]) -> None:
    for section, model in [
        ("documents", Document),
        ("collections", Collection),
        ("people", Agent),
        ("repositories", Repository),
    ]:
        urls = locations(client, f"/sitemap-{section}.xml")
        expected = [f"http://testserver{r.get_absolute_url()}" for r in model.objects.public()]
        assert sorted(urls) == sorted(expected), section
    documents = locations(client, "/sitemap-documents.xml")
    assert "http://testserver/documents/t-oai-letter/" in documents
    for hidden in ["t-oai-draft", "t-oai-review", "t-oai-restricted", "t-oai-gone"]:
        assert f"http://testserver/documents/{hidden}/" not in documents
    assert "http://testserver/people/t-oai-secret/" not in locations(client, "/sitemap-people.xml")
