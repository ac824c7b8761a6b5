"""Brief forms of documents, publications and vocabulary terms, for nesting in other records.

Kept apart from :mod:`documents.api.serializers` so that other apps' serializers can nest them
without importing the full document representation (and its imports of theirs).
"""

from __future__ import annotations

from archive.api.serializers import BriefSerializer, IdentifierLinkField, ModelSerializer
from documents.models import (
    Document,
    DocumentType,
    Event,
    Place,
    Publication,
    Subject,
    TextLineage,
)


class DocumentBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:document-detail")

    class Meta:
        model = Document
        fields = ["identifier", "title", "url"]


class PublicationBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:publication-detail")

    class Meta:
        model = Publication
        fields = ["identifier", "title", "url"]


class SubjectBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:subject-detail")

    class Meta:
        model = Subject
        fields = ["identifier", "name", "url"]


class PlaceBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:place-detail")

    class Meta:
        model = Place
        fields = ["identifier", "name", "url"]


class DocumentTypeSerializer(ModelSerializer):
    class Meta:
        model = DocumentType
        fields = ["code", "name"]


class EventBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:event-detail")

    class Meta:
        model = Event
        fields = ["identifier", "title", "url"]


class GenealogyBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:genealogy-detail")

    class Meta:
        model = TextLineage
        fields = ["identifier", "title", "url"]
