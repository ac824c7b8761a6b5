"""Partner API routes for documents, publications and the vocabularies (``api:`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from documents.api import views
from documents.resolver import resolve_api

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("places", views.PlaceViewSet, basename="place")
router.register("events", views.EventViewSet, basename="event")
router.register("genealogies", views.GenealogyViewSet, basename="genealogy")

urlpatterns = [path("resolve/", resolve_api, name="resolve"), *router.urls]
