"""Partner API representations of documents, publications, subjects and places."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archive.api.serializers import (
    CollectionBriefSerializer,
    DateSerializer,
    DateStatementMixin,
    ExpandableSerializer,
    HtmlUrlField,
    IdentifierLinkField,
    LanguageSerializer,
    LinkField,
    ModelSerializer,
    RepositoryBriefSerializer,
    SlugReferenceField,
)
from archive.models import Collection, Language, ReferenceLevel
from archive.models.base import listed
from archive.references import format_reference
from documents.api.briefs import (
    DocumentBriefSerializer,
    DocumentTypeSerializer,
    EventBriefSerializer,
    GenealogyBriefSerializer,
    PlaceBriefSerializer,
    PublicationBriefSerializer,
    SubjectBriefSerializer,
)
from documents.genealogy import span_display, span_edtf
from documents.models import (
    Copy,
    Document,
    DocumentText,
    DocumentType,
    Event,
    EventDocument,
    EventParticipant,
    Identifier,
    Place,
    Publication,
    PublicationCreator,
    Subject,
    TextLineage,
)
from documents.views import text_reference
from people.api.serializers import AgentBriefSerializer, SchemeSerializer
from people.models import AgentRole


class IdentifierSerializer(ModelSerializer):
    """A typed identifier of the document (a Wilson Center record number, a DOI, ...)."""

    scheme = SchemeSerializer(read_only=True)
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Identifier
        fields = ["scheme", "value", "url"]


class TextSerializer(ModelSerializer):
    """One public text of a document: original, transcript, translation, draft, ..."""

    language = serializers.CharField(source="language.code")
    side = AgentBriefSerializer(read_only=True, allow_null=True)
    date = DateSerializer(source="*", read_only=True)

    class Meta:
        model = DocumentText
        fields = ["key", "kind", "language", "label", "stage", "side", "date", "source", "body"]


class AgentRoleSerializer(ModelSerializer):
    """An agent's part in a document."""

    agent = AgentBriefSerializer(read_only=True)

    class Meta:
        model = AgentRole
        fields = ["role", "agent", "name_as_written", "note"]


class CopySerializer(ModelSerializer):
    """Where a copy, edition or translation of the document is held or published."""

    holder = RepositoryBriefSerializer(read_only=True, allow_null=True)
    publication = PublicationBriefSerializer(read_only=True, allow_null=True)
    language = serializers.CharField(source="language.code", allow_null=True, default=None)
    url = LinkField()

    class Meta:
        model = Copy
        fields = [
            "key",
            "kind",
            "holder",
            "publication",
            "citation",
            "language",
            "url",
            "rights",
            "date_added",
            "note",
        ]


class DocumentSerializer(ExpandableSerializer):
    """A document with its provenance, dates, languages and vocabulary terms.

    ``texts``, ``agents`` and ``copies`` come with ``?expand=`` (and on detail responses);
    each lists only its public parts. ``reference`` is the full archival reference in the
    holding repository's style.
    """

    url = IdentifierLinkField("api:document-detail")
    html_url = HtmlUrlField()
    form = DocumentTypeSerializer(source="document_type", read_only=True)
    date = DateSerializer(source="*", read_only=True)
    languages = LanguageSerializer(source=listed("languages"), many=True, read_only=True)
    reference = serializers.SerializerMethodField()
    collection = CollectionBriefSerializer(read_only=True, allow_null=True)
    repository = RepositoryBriefSerializer(
        source="collection.repository", read_only=True, allow_null=True
    )
    place = PlaceBriefSerializer(read_only=True, allow_null=True)
    subjects = SubjectBriefSerializer(source=listed("subjects"), many=True, read_only=True)
    places = PlaceBriefSerializer(source=listed("places"), many=True, read_only=True)
    identifiers = IdentifierSerializer(source="shown_identifiers", many=True, read_only=True)
    license_url = LinkField()
    modified = serializers.DateTimeField(source="updated_at")
    texts = TextSerializer(source="shown_texts", many=True, read_only=True)
    agents = AgentRoleSerializer(source="shown_roles", many=True, read_only=True)
    copies = CopySerializer(source="shown_copies", many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "identifier",
            "url",
            "html_url",
            "title",
            "title_original",
            "form",
            "date",
            "languages",
            "summary",
            "description",
            "extent",
            "reference",
            "collection",
            "repository",
            "locator",
            "place",
            "subjects",
            "places",
            "identifiers",
            "rights",
            "license_url",
            "credit_line",
            "modified",
            "texts",
            "agents",
            "copies",
        ]
        expandable = ("texts", "agents", "copies")

    def get_reference(self, document: Document) -> str:
        if not document.collection_id:
            return ""
        lineages = self.context.get("lineages") or {}
        return format_reference(
            document.collection,
            level=document.reference_level,
            segment=document.reference_segment,
            locator=document.locator,
            lineage=lineages.get(document.collection_id),
        )


class PublicationCreatorSerializer(ModelSerializer):
    agent = AgentBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PublicationCreator
        fields = ["role", "agent", "name_as_printed", "affiliation"]


class PublicationSerializer(ModelSerializer):
    url = IdentifierLinkField("api:publication-detail")
    html_url = HtmlUrlField()
    date = DateSerializer(source="*", read_only=True)
    container = PublicationBriefSerializer(read_only=True, allow_null=True)
    language = serializers.CharField(source="language.code", allow_null=True, default=None)
    link = LinkField(source="url")
    license_url = LinkField()
    creators = PublicationCreatorSerializer(many=True, read_only=True)
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Publication
        fields = [
            "identifier",
            "url",
            "html_url",
            "kind",
            "title",
            "title_translated",
            "title_transliterated",
            "creators",
            "container_title",
            "container",
            "editors",
            "publisher",
            "publication_place",
            "date",
            "volume",
            "issue",
            "pages",
            "chapter_number",
            "issn_print",
            "issn_online",
            "isbn",
            "doi",
            "link",
            "language",
            "license",
            "license_url",
            "abstract",
            "citation_text",
            "modified",
        ]


class SubjectSerializer(ModelSerializer):
    url = IdentifierLinkField("api:subject-detail")
    html_url = HtmlUrlField()
    broader = SubjectBriefSerializer(read_only=True, allow_null=True)
    document_count = serializers.IntegerField(read_only=True, help_text="Public documents.")

    class Meta:
        model = Subject
        fields = [
            "identifier",
            "url",
            "html_url",
            "name",
            "name_ja",
            "name_ru",
            "broader",
            "scope_note",
            "document_count",
        ]


class PlaceSerializer(ModelSerializer):
    url = IdentifierLinkField("api:place-detail")
    html_url = HtmlUrlField()
    part_of = PlaceBriefSerializer(read_only=True, allow_null=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    documents_created = serializers.IntegerField(
        source="created_here_count", read_only=True, help_text="Public documents written here."
    )
    documents_mentioning = serializers.IntegerField(
        source="mentioning_count",
        read_only=True,
        help_text="Public documents that mention the place.",
    )

    class Meta:
        model = Place
        fields = [
            "identifier",
            "url",
            "html_url",
            "name",
            "name_ja",
            "name_ru",
            "alternative_names",
            "kind",
            "country",
            "part_of",
            "latitude",
            "longitude",
            "geonames_id",
            "wikidata_id",
            "note",
            "documents_created",
            "documents_mentioning",
        ]


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "16:15"})
class LocalTimeField(serializers.TimeField):
    """A local time of day as ``HH:MM`` (no zone: the time where the event took place)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", read_only=True, allow_null=True, **kwargs)


class EventParticipantSerializer(ModelSerializer):
    """An agent's part in an event, with the side it represented (``null`` if not public)."""

    agent = AgentBriefSerializer(read_only=True)
    side = AgentBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EventParticipant
        fields = ["role", "agent", "side", "note"]


class EventDocumentSerializer(ModelSerializer):
    """A document about an event, with the side that produced it (``null`` if not public)."""

    document = DocumentBriefSerializer(read_only=True)
    side = AgentBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EventDocument
        fields = ["relation", "document", "side", "note"]


class EventSerializer(ModelSerializer):
    """An event with its date (and times of day), place, participants and documents.

    ``participants`` and ``documents`` list only public agents and documents; ``part_of`` is
    the negotiation or visit the event belongs to (``null`` when none, or not public).
    """

    url = IdentifierLinkField("api:event-detail")
    html_url = HtmlUrlField()
    date = DateSerializer(source="*", read_only=True)
    time_start = LocalTimeField()
    time_end = LocalTimeField()
    place = PlaceBriefSerializer(read_only=True, allow_null=True)
    part_of = EventBriefSerializer(source="parent", read_only=True, allow_null=True)
    participants = EventParticipantSerializer(
        source="shown_participants", many=True, read_only=True
    )
    documents = EventDocumentSerializer(source="shown_documents", many=True, read_only=True)
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Event
        fields = [
            "identifier",
            "url",
            "html_url",
            "title",
            "kind",
            "date",
            "time_start",
            "time_end",
            "place",
            "venue",
            "part_of",
            "summary",
            "source",
            "participants",
            "documents",
            "modified",
        ]


class ReferenceLevelCodeField(serializers.CharField):
    """A reference level by its code, within the repository of the document's unit."""

    def to_representation(self, value: ReferenceLevel | None) -> str:
        return value.code if value is not None else ""


class DocumentWriteSerializer(DateStatementMixin, ModelSerializer):
    """What a curator may send to create or change a document (``POST``, ``PUT``, ``PATCH``).

    Related records are named by their stable identifiers or codes, as the read
    representation shows them. The model's own validation (``full_clean``) runs on save.
    """

    form = SlugReferenceField(
        source="document_type", slug_field="code", queryset=DocumentType.objects.all()
    )
    collection = SlugReferenceField(
        slug_field="identifier",
        queryset=Collection.objects.all(),
        allow_null=True,
        required=False,
    )
    reference_level = ReferenceLevelCodeField(
        required=False,
        allow_blank=True,
        help_text="Code of the level at which the document is numbered in its unit's "
        "repository (with reference_segment).",
    )
    place = SlugReferenceField(
        slug_field="identifier", queryset=Place.objects.all(), allow_null=True, required=False
    )
    languages = SlugReferenceField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    subjects = SlugReferenceField(
        slug_field="identifier", queryset=Subject.objects.all(), many=True, required=False
    )
    places = SlugReferenceField(
        slug_field="identifier", queryset=Place.objects.all(), many=True, required=False
    )

    class Meta:
        model = Document
        fields = [
            "identifier",
            "title",
            "title_original",
            "form",
            "date_edtf",
            "languages",
            "summary",
            "description",
            "extent",
            "collection",
            "reference_level",
            "reference_segment",
            "locator",
            "provenance",
            "place",
            "subjects",
            "places",
            "rights",
            "license_url",
            "credit_line",
            "status",
            "restricted",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "reference_level" in attrs:
            code = attrs.pop("reference_level")
            unit = attrs.get("collection", getattr(self.instance, "collection", None))
            attrs["reference_level"] = None
            if code:
                if unit is None:
                    raise serializers.ValidationError(
                        {"reference_level": "A numbered document must sit in an archival unit."}
                    )
                level = ReferenceLevel.objects.filter(
                    repository_id=unit.repository_id, code=code
                ).first()
                if level is None:
                    raise serializers.ValidationError(
                        {
                            "reference_level": f"The repository of {unit.identifier} has no "
                            f"level “{code}”."
                        }
                    )
                attrs["reference_level"] = level
        return attrs


# -- text genealogies ---------------------------------------------------------------------------


class GenealogyStepSerializer(ModelSerializer):
    """One step of a genealogy: a text of a document, with its place in the chain.

    ``reference`` (``<document identifier>:<key>``) names the step in ``compare?a=&b=``.
    """

    reference = serializers.SerializerMethodField()
    position = serializers.IntegerField(source="lineage_position")
    side = AgentBriefSerializer(read_only=True, allow_null=True)
    date = DateSerializer(source="*", read_only=True)
    document = DocumentBriefSerializer(read_only=True)
    language = serializers.CharField(source="language.code")
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentText
        fields = [
            "reference",
            "position",
            "stage",
            "kind",
            "side",
            "date",
            "document",
            "language",
            "label",
            "source",
            "body",
            "html_url",
        ]

    def get_reference(self, text: DocumentText) -> str:
        return text_reference(text)

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, text: DocumentText) -> str:
        """The text on its document's public page."""
        url = f"{text.document.get_absolute_url()}#text-{text.key}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class GenealogySpanSerializer(serializers.Serializer):
    """The span of a genealogy's dates: the earliest and latest day its steps' dates allow."""

    edtf = serializers.SerializerMethodField()
    start = serializers.DateField(source="first_date", allow_null=True)
    end = serializers.DateField(source="last_date", allow_null=True)
    display = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_edtf(self, lineage: TextLineage) -> str | None:
        return span_edtf(lineage.first_date, lineage.last_date) or None

    def get_display(self, lineage: TextLineage) -> str:
        return span_display(lineage)


class GenealogySerializer(ModelSerializer):
    """A text genealogy: an ordered chain of texts of one instrument or clause.

    ``step_count`` and ``dates`` count only the steps the requester may see.
    """

    url = IdentifierLinkField("api:genealogy-detail")
    html_url = HtmlUrlField()
    step_count = serializers.IntegerField(read_only=True)
    dates = GenealogySpanSerializer(source="*", read_only=True)
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = TextLineage
        fields = [
            "identifier",
            "url",
            "html_url",
            "title",
            "description",
            "step_count",
            "dates",
            "modified",
        ]


class GenealogyDetailSerializer(GenealogySerializer):
    """A genealogy with its steps in order."""

    steps = GenealogyStepSerializer(source="shown_steps", many=True, read_only=True)

    class Meta(GenealogySerializer.Meta):
        fields = [*GenealogySerializer.Meta.fields, "steps"]


class ComparisonSegmentSerializer(serializers.Serializer):
    """A run of text that is in both steps (``equal``), or only in the earlier (``delete``)
    or the later one (``insert``)."""

    operation = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class ComparisonSidesSerializer(serializers.Serializer):
    a = ComparisonSegmentSerializer(many=True, help_text="The earlier step, as segments.")
    b = ComparisonSegmentSerializer(many=True, help_text="The later step, as segments.")


class GenealogyComparisonSerializer(serializers.Serializer):
    """Two steps of a genealogy compared word by word: each step's text cut into segments
    (joined, they give the text back), and the number of words removed and added."""

    genealogy = GenealogyBriefSerializer()
    a = GenealogyStepSerializer()
    b = GenealogyStepSerializer()
    segments = ComparisonSidesSerializer()
    removed = serializers.IntegerField(help_text="Words of a that b does not have.")
    added = serializers.IntegerField(help_text="Words of b that a does not have.")
    identical = serializers.BooleanField(help_text="The two texts differ in white space only.")
