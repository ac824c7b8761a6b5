"""Root URL configuration: the public site at the root, the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

from archive import views

app_name = "archive"

archive_patterns = [
    path("", views.home, name="home"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/<str:identifier>/", views.collection_detail, name="collection"),
    path("repositories/<str:identifier>/", views.repository_detail, name="repository"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((archive_patterns, "archive"))),
    path("documents/", include("documents.urls")),
    path("people/", include("people.urls")),
]
