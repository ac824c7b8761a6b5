"""Curator admin for documents, their parts, vocabularies and publications."""

from django.contrib import admin
from django.utils.html import format_html

from archive.admin_base import CuratorAdmin, CuratorStackedInline, CuratorTabularInline
from archive.admin_io import ImportExportMixin
from documents.admin_citations import CitationMatchingMixin, MatchedFilter
from documents.models import (
    Citation,
    Copy,
    DigitalObject,
    Document,
    DocumentRelation,
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
from people.admin_suggestions import AgentSuggestionMixin
from people.models import AgentRole


class DocumentTextInline(CuratorStackedInline):
    model = DocumentText
    extra = 0
    fields = [
        ("key", "kind", "language", "order"),
        "label",
        "body",
        "source",
        ("side", "lineage", "lineage_position", "stage"),
        ("status", "restricted"),
    ]
    autocomplete_fields = ["language", "side", "lineage"]


class AgentRoleInline(CuratorTabularInline):
    model = AgentRole
    extra = 0
    fields = ["agent", "role", "name_as_written", "order", "note"]
    autocomplete_fields = ["agent"]


class CopyInline(CuratorStackedInline):
    model = Copy
    extra = 0
    fields = [
        ("key", "kind"),
        ("holder", "publication"),
        "citation",
        ("language", "date_added"),
        "url",
        "rights",
        "note",
        ("status", "restricted"),
    ]
    autocomplete_fields = ["holder", "publication", "language"]


class IdentifierInline(CuratorTabularInline):
    model = Identifier
    extra = 0
    fields = ["scheme", "value", "copy"]


class RelationInline(CuratorTabularInline):
    model = DocumentRelation
    fk_name = "source"
    extra = 0
    fields = ["relation_type", "target", "note"]
    autocomplete_fields = ["target"]


class DigitalObjectInline(CuratorTabularInline):
    model = DigitalObject
    extra = 0
    fields = ["key", "file", "label", "media_type", "order", "sha256", "status"]
    readonly_fields = ["sha256"]


@admin.register(Document)
class DocumentAdmin(ImportExportMixin, AgentSuggestionMixin, CuratorAdmin):
    list_display = ["title", "document_type", "date_edtf", "collection", "status", "restricted"]
    list_filter = ["status", "restricted", "document_type", "collection__repository", "languages"]
    list_select_related = ["document_type", "collection"]
    search_fields = ["title", "title_original", "identifier", "summary", "identifiers__value"]
    autocomplete_fields = [
        "document_type",
        "place",
        "collection",
        "reference_level",
        "languages",
        "subjects",
        "places",
    ]
    readonly_fields = ["full_reference", "date_as_shown", "public_links", "suggested_people"]
    inlines = [
        DocumentTextInline,
        AgentRoleInline,
        CopyInline,
        IdentifierInline,
        RelationInline,
        DigitalObjectInline,
    ]
    fieldsets = [
        (
            "Identity",
            {
                "fields": [
                    "identifier",
                    "title",
                    "title_original",
                    "document_type",
                    ("date_edtf", "date_as_shown"),
                    "place",
                    "languages",
                    "extent",
                ]
            },
        ),
        (
            "Provenance",
            {
                "fields": [
                    "collection",
                    ("reference_level", "reference_segment"),
                    "locator",
                    "full_reference",
                    "provenance",
                ]
            },
        ),
        ("Content", {"fields": ["summary", "description", "subjects", "places"]}),
        ("People named in the texts", {"fields": ["suggested_people"]}),
        ("Rights and credits", {"fields": ["rights", "license_url", "credit_line"]}),
        ("Publication", {"fields": ["status", "restricted", "featured", "public_links"]}),
    ]

    @admin.display(description="public page and API record")
    def public_links(self, obj: Document) -> str:
        if obj is None or obj.pk is None:
            return "—"
        if not obj.is_public:
            return "Not public yet: the page and API record appear once it is published."
        return format_html(
            '<a href="{}">public page</a> · <a href="{}">API record</a>',
            obj.get_absolute_url(),
            f"/api/v1/documents/{obj.identifier}/",
        )

    @admin.display(description="full reference")
    def full_reference(self, obj: Document) -> str:
        return obj.reference() or "—"

    @admin.display(description="date as shown")
    def date_as_shown(self, obj: Document) -> str:
        return obj.date_display or "—"


@admin.register(DocumentType)
class DocumentTypeAdmin(CuratorAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Subject)
class SubjectAdmin(CuratorAdmin):
    list_display = ["name", "identifier", "broader"]
    search_fields = ["name", "name_ja", "name_ru", "identifier"]
    autocomplete_fields = ["broader"]


@admin.register(Place)
class PlaceAdmin(CuratorAdmin):
    list_display = ["name", "kind", "country", "latitude", "longitude"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_ja", "name_ru", "alternative_names", "identifier"]
    autocomplete_fields = ["part_of"]


@admin.register(TextLineage)
class TextLineageAdmin(CuratorAdmin):
    list_display = ["title", "identifier", "status"]
    search_fields = ["title", "identifier"]


@admin.register(DocumentText)
class DocumentTextAdmin(CuratorAdmin):
    list_display = ["__str__", "document", "kind", "language", "lineage", "stage", "status"]
    list_filter = ["kind", "language", "stage", "status"]
    list_select_related = ["document", "language", "lineage"]
    search_fields = ["label", "body", "document__title"]
    autocomplete_fields = ["document", "language", "side", "lineage"]


@admin.register(DocumentRelation)
class DocumentRelationAdmin(CuratorAdmin):
    list_display = ["source", "relation_type", "target"]
    list_filter = ["relation_type"]
    list_select_related = ["source", "target"]
    search_fields = ["source__title", "target__title"]
    autocomplete_fields = ["source", "target"]


@admin.register(Copy)
class CopyAdmin(CuratorAdmin):
    list_display = ["__str__", "document", "kind", "holder", "publication", "status"]
    list_filter = ["kind", "holder", "status"]
    list_select_related = ["document", "holder", "publication"]
    search_fields = ["citation", "document__title"]
    autocomplete_fields = ["document", "holder", "publication", "language"]


@admin.register(Identifier)
class IdentifierAdmin(CuratorAdmin):
    list_display = ["value", "scheme", "document"]
    list_filter = ["scheme"]
    list_select_related = ["scheme", "document"]
    search_fields = ["value", "document__title"]
    autocomplete_fields = ["document"]


@admin.register(DigitalObject)
class DigitalObjectAdmin(CuratorAdmin):
    list_display = ["__str__", "document", "media_type", "sha256", "status"]
    list_select_related = ["document"]
    search_fields = ["label", "document__title"]
    autocomplete_fields = ["document"]
    readonly_fields = ["sha256"]


class PublicationCreatorInline(CuratorTabularInline):
    model = PublicationCreator
    extra = 0
    autocomplete_fields = ["agent"]


class CitationInline(CuratorTabularInline):
    model = Citation
    fk_name = "publication"
    extra = 0
    fields = [
        "kind",
        "number",
        "part",
        "label",
        "text",
        "pages",
        "cited_document",
        "cited_publication",
    ]
    autocomplete_fields = ["cited_document", "cited_publication"]


@admin.register(Publication)
class PublicationAdmin(CuratorAdmin):
    list_display = ["title", "kind", "container_title", "date_edtf", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "title_translated", "container_title", "identifier", "doi"]
    autocomplete_fields = ["container", "language"]
    inlines = [PublicationCreatorInline, CitationInline]


@admin.register(PublicationCreator)
class PublicationCreatorAdmin(CuratorAdmin):
    list_display = ["__str__", "publication", "agent", "role", "order"]
    list_filter = ["role"]
    list_select_related = ["publication", "agent"]
    search_fields = ["name_as_printed", "agent__name", "publication__title"]
    autocomplete_fields = ["publication", "agent"]


@admin.register(Citation)
class CitationAdmin(CitationMatchingMixin, CuratorAdmin):
    list_display = ["__str__", "publication", "label", "cited_document", "cited_publication"]
    list_filter = [MatchedFilter, "kind", ("publication", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["publication", "cited_document", "cited_publication"]
    search_fields = ["text", "label"]
    autocomplete_fields = ["publication", "cited_document", "cited_publication"]
    readonly_fields = ["suggested_documents"]


class EventParticipantInline(CuratorTabularInline):
    model = EventParticipant
    extra = 0
    fields = ["agent", "role", "side", "order", "note"]
    autocomplete_fields = ["agent", "side"]


class EventDocumentInline(CuratorTabularInline):
    model = EventDocument
    extra = 0
    fields = ["document", "relation", "side", "order", "note"]
    autocomplete_fields = ["document", "side"]


class SubEventInline(CuratorTabularInline):
    """The rounds or sessions of a negotiation, listed on it (edited on their own pages)."""

    model = Event
    fk_name = "parent"
    extra = 0
    fields = ["identifier", "title", "kind", "date_edtf", "status"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Event)
class EventAdmin(CuratorAdmin):
    list_display = ["title", "kind", "date_edtf", "time_start", "place", "status", "restricted"]
    list_filter = ["status", "restricted", "kind", "place"]
    list_select_related = ["place"]
    search_fields = ["title", "identifier", "summary"]
    autocomplete_fields = ["place", "parent"]
    readonly_fields = ["date_as_shown", "public_links"]
    inlines = [EventParticipantInline, EventDocumentInline, SubEventInline]
    fieldsets = [
        (
            "Identity",
            {
                "fields": [
                    "identifier",
                    "title",
                    "kind",
                    ("date_edtf", "date_as_shown"),
                    ("time_start", "time_end"),
                    ("place", "venue"),
                    "parent",
                ]
            },
        ),
        ("Content", {"fields": ["summary", "source"]}),
        ("Publication", {"fields": ["status", "restricted", "public_links"]}),
    ]

    @admin.display(description="date as shown")
    def date_as_shown(self, obj: Event) -> str:
        return obj.date_display or "—"

    @admin.display(description="public page and API record")
    def public_links(self, obj: Event) -> str:
        if obj is None or obj.pk is None:
            return "—"
        if not obj.is_public:
            return "Not public yet: the page and API record appear once it is published."
        return format_html(
            '<a href="{}">public page</a> · <a href="{}">API record</a>',
            obj.get_absolute_url(),
            f"/api/v1/events/{obj.identifier}/",
        )


@admin.register(EventParticipant)
class EventParticipantAdmin(CuratorAdmin):
    list_display = ["event", "agent", "role", "side"]
    list_filter = ["role"]
    list_select_related = ["event", "agent", "side"]
    search_fields = ["event__title", "agent__name"]
    autocomplete_fields = ["event", "agent", "side"]


@admin.register(EventDocument)
class EventDocumentAdmin(CuratorAdmin):
    list_display = ["event", "document", "relation", "side"]
    list_filter = ["relation"]
    list_select_related = ["event", "document", "side"]
    search_fields = ["event__title", "document__title"]
    autocomplete_fields = ["event", "document", "side"]
