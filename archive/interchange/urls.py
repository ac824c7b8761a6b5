"""Export URLs, named without a namespace so that record pages link to them by name."""

from django.urls import path

from archive.interchange import views

urlpatterns = [
    path("iiif/<identifier:identifier>/manifest", views.iiif_manifest, name="iiif-manifest"),
    path(
        "collections/<identifier:identifier>/ead.xml", views.collection_ead, name="collection-ead"
    ),
    path("people/<identifier:identifier>/eac.xml", views.agent_eac, name="agent-eac"),
]
