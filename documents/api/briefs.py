"""Brief forms of documents, publications and vocabulary terms, for nesting in other records.

Kept apart from :mod:`documents.api.serializers` so that other apps' serializers can nest them
without importing the full document representation (and its imports of theirs).
"""

from __future__ import annotations

from rest_framework import serializers

from archive.api.serializers import BriefSerializer
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
    url = serializers.HyperlinkedIdentityField(
        view_name="api:document-detail", lookup_field="identifier"
    )

    class Meta:
        model = Document
        fields = ["identifier", "title", "url"]


class PublicationBriefSerializer(BriefSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:publication-detail", lookup_field="identifier"
    )

    class Meta:
        model = Publication
        fields = ["identifier", "title", "url"]


class SubjectBriefSerializer(BriefSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:subject-detail", lookup_field="identifier"
    )

    class Meta:
        model = Subject
        fields = ["identifier", "name", "url"]


class PlaceBriefSerializer(BriefSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:place-detail", lookup_field="identifier"
    )

    class Meta:
        model = Place
        fields = ["identifier", "name", "url"]


class DocumentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentType
        fields = ["code", "name"]


class EventBriefSerializer(BriefSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:event-detail", lookup_field="identifier"
    )

    class Meta:
        model = Event
        fields = ["identifier", "title", "url"]


class GenealogyBriefSerializer(BriefSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:genealogy-detail", lookup_field="identifier"
    )

    class Meta:
        model = TextLineage
        fields = ["identifier", "title", "url"]
