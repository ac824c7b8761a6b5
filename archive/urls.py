"""Root URL configuration: the public site at the root, the admin under /admin/."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from archive import views
from archive.jsonld import negotiated, public_collections, public_repositories
from archive.oai.views import endpoint as oai_endpoint
from archive.sitemaps import SITEMAPS, robots_txt
from documents.resolver import resolve_page

app_name = "archive"

archive_patterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("timeline/", views.timeline, name="timeline"),
    path("collections/", views.collection_list, name="collections"),
    path(
        "collections/<identifier:identifier>/",
        negotiated(public_collections)(views.collection_detail),
        name="collection",
    ),
    path(
        "repositories/<identifier:identifier>/",
        negotiated(public_repositories)(views.repository_detail),
        name="repository",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("archive.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include((archive_patterns, "archive"))),
    # exports: IIIF manifests, EAD3 and EAC-CPF (before the apps' catch-all detail pages)
    path("", include("archive.interchange.urls")),
    path("documents/", include("documents.urls")),
    path("people/", include("people.urls")),
    path("events/", include("documents.events_urls")),
    path("genealogies/", include("documents.genealogy_urls")),
    path("resolve/", resolve_page, name="resolve"),
    path("oai", oai_endpoint, name="oai"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
]
