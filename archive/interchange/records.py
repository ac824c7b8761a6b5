"""What the exports share about records: creator roles, paintable images, manifest URLs."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from documents.models import DigitalObject, Document
from people.models import DocumentRole

# Roles whose agents are a document's creators (EAD origination, Dublin Core creator, IIIF)
CREATOR_ROLES = {DocumentRole.AUTHOR, DocumentRole.SENDER, DocumentRole.ISSUER}


def image_objects_q(prefix: str = "") -> Q:
    """Digital objects a IIIF canvas can show: images of known size (visibility not included)."""
    return Q(
        **{
            f"{prefix}media_type__startswith": "image/",
            f"{prefix}width__isnull": False,
            f"{prefix}height__isnull": False,
        }
    )


def public_images() -> QuerySet[DigitalObject]:
    """Public image objects of public documents, in page order."""
    return DigitalObject.objects.filter(DigitalObject.public_q(), image_objects_q()).order_by(
        "order", "key"
    )


def manifest_url(document: Document) -> str:
    """The absolute URL of a document's IIIF manifest."""
    return settings.KIROKU_BASE_URL + reverse("iiif-manifest", args=[document.identifier])
