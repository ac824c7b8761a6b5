"""Partner API representations of agents, their names in every script, and their relations."""

from __future__ import annotations

from rest_framework import serializers

from archive.api.serializers import (
    BriefSerializer,
    DateSerializer,
    DateStatementMixin,
    HtmlUrlField,
    IdentifierLinkField,
    ModelSerializer,
    SlugReferenceField,
)
from archive.models import IdentifierScheme
from documents.api.briefs import DocumentBriefSerializer, PublicationBriefSerializer
from documents.models import Document, Place, Publication
from people.models import (
    Agent,
    AgentRelation,
    AgentRelationType,
    AuthorityIdentifier,
    NameForm,
    Position,
)


class AgentBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:agent-detail")

    class Meta:
        model = Agent
        fields = ["identifier", "name", "url"]


class NameFormSerializer(ModelSerializer):
    """A name in one language and script (ISO 15924), with its scheme and reading."""

    language = serializers.CharField(source="language.code")

    class Meta:
        model = NameForm
        fields = [
            "name",
            "language",
            "script",
            "kind",
            "transliteration",
            "name_order",
            "family_name",
            "given_name",
            "kana_reading",
        ]


class PositionSerializer(ModelSerializer):
    organization = AgentBriefSerializer(read_only=True, allow_null=True)
    date = DateSerializer(source="*", read_only=True)

    class Meta:
        model = Position
        fields = ["title", "organization", "date", "note"]


class SchemeSerializer(ModelSerializer):
    class Meta:
        model = IdentifierScheme
        fields = ["code", "name"]


class AuthorityIdentifierSerializer(ModelSerializer):
    scheme = SchemeSerializer(read_only=True)
    url = serializers.CharField(read_only=True)

    class Meta:
        model = AuthorityIdentifier
        fields = ["scheme", "value", "url"]


class AgentSerializer(ModelSerializer):
    url = IdentifierLinkField("api:agent-detail")
    html_url = HtmlUrlField()
    date = DateSerializer(source="*", read_only=True)
    names = NameFormSerializer(source="name_forms", many=True, read_only=True)
    positions = PositionSerializer(many=True, read_only=True)
    authority_ids = AuthorityIdentifierSerializer(many=True, read_only=True)
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Agent
        fields = [
            "identifier",
            "url",
            "html_url",
            "kind",
            "name",
            "sort_name",
            "nationality",
            "date",
            "names",
            "biography",
            "functions",
            "positions",
            "authority_ids",
            "modified",
        ]


class AgentRelationTypeSerializer(ModelSerializer):
    class Meta:
        model = AgentRelationType
        fields = ["code", "label", "inverse_label", "symmetric", "category"]


class AgentRelationSerializer(ModelSerializer):
    """A typed, dated, directed relation; its evidence lists only public records."""

    url = serializers.HyperlinkedIdentityField(view_name="api:agentrelation-detail")
    relation_type = AgentRelationTypeSerializer(read_only=True)
    source = AgentBriefSerializer(read_only=True)
    target = AgentBriefSerializer(read_only=True)
    date = DateSerializer(source="*", read_only=True)
    supporting_documents = DocumentBriefSerializer(
        source="public_documents", many=True, read_only=True
    )
    supporting_publications = PublicationBriefSerializer(
        source="public_publications", many=True, read_only=True
    )

    class Meta:
        model = AgentRelation
        fields = [
            "id",
            "url",
            "relation_type",
            "source",
            "target",
            "date",
            "description",
            "supporting_documents",
            "supporting_publications",
            "source_note",
        ]


class AgentWriteSerializer(DateStatementMixin, ModelSerializer):
    """What a curator may send to create or change an agent (``POST``, ``PUT``, ``PATCH``).

    Name forms, positions and authority identifiers are edited in the admin for now.
    """

    places = SlugReferenceField(
        slug_field="identifier", queryset=Place.objects.all(), many=True, required=False
    )

    class Meta:
        model = Agent
        fields = [
            "identifier",
            "kind",
            "name",
            "sort_name",
            "nationality",
            "date_edtf",
            "biography",
            "functions",
            "places",
            "sources",
            "status",
            "restricted",
        ]


class AgentRelationWriteSerializer(DateStatementMixin, ModelSerializer):
    """What a curator may send to create or change a relation between two agents."""

    source = SlugReferenceField(slug_field="identifier", queryset=Agent.objects.all())
    relation_type = SlugReferenceField(slug_field="code", queryset=AgentRelationType.objects.all())
    target = SlugReferenceField(slug_field="identifier", queryset=Agent.objects.all())
    supporting_documents = SlugReferenceField(
        slug_field="identifier", queryset=Document.objects.all(), many=True, required=False
    )
    supporting_publications = SlugReferenceField(
        slug_field="identifier", queryset=Publication.objects.all(), many=True, required=False
    )

    class Meta:
        model = AgentRelation
        fields = [
            "source",
            "relation_type",
            "target",
            "date_edtf",
            "description",
            "supporting_documents",
            "supporting_publications",
            "source_note",
            "status",
            "restricted",
        ]
        # the model's constraints (unique, not to itself) are checked by full_clean on save
        validators: list = []
