"""What search engines crawl: ``/sitemap.xml`` (an index of one sitemap per kind of public
record) and ``/robots.txt``.

Each sitemap lists only ``public()`` records and loads just the columns a URL and its
``lastmod`` need; the index asks each model for its latest ``updated_at`` with one aggregate
(Django's default would call ``lastmod`` on every record). URLs use the request's host, as
Django's sitemap views do (behind a proxy, set ``USE_X_FORWARDED_HOST``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from archive.models import Collection, Repository
from documents.models import Document
from people.models import Agent


class PublicSitemap(Sitemap):
    """Public records of one model, on the configured public host."""

    model: type[Model]
    limit = 10_000  # URLs per sitemap page: large archives page instead of one huge file

    def items(self) -> QuerySet:
        return self.model.objects.public().only("pk", "identifier", "updated_at").order_by("pk")

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.model.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class DocumentSitemap(PublicSitemap):
    model = Document
    priority = 0.8


class CollectionSitemap(PublicSitemap):
    model = Collection
    priority = 0.6


class AgentSitemap(PublicSitemap):
    model = Agent
    priority = 0.6


class RepositorySitemap(PublicSitemap):
    model = Repository
    priority = 0.5


SITEMAPS: dict[str, type[Sitemap]] = {
    "documents": DocumentSitemap,
    "collections": CollectionSitemap,
    "people": AgentSitemap,
    "repositories": RepositorySitemap,
}


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Everything may be crawled but the admin; the sitemap says what there is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
