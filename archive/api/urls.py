"""The partner API, version 1: every app's endpoints under one namespace (``api:``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from archive.api import views

app_name = "api"

router = SimpleRouter()
router.register("repositories", views.RepositoryViewSet, basename="repository")
router.register("collections", views.CollectionViewSet, basename="collection")

urlpatterns = [
    path("", views.api_root, name="root"),
    path("", include("documents.api.urls")),
    path("", include("people.api.urls")),
    *router.urls,
]
