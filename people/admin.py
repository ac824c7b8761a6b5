"""Curator admin for agents: names, offices, relations, authority identifiers."""

from django.contrib import admin

from archive.admin_base import CuratorAdmin, CuratorStackedInline, CuratorTabularInline
from archive.admin_io import ImportExportMixin
from people.admin_romanization import RomanizationMixin
from people.models import (
    Agent,
    AgentRelation,
    AgentRelationType,
    AgentRole,
    AuthorityIdentifier,
    NameForm,
    Position,
)


class NameFormInline(CuratorTabularInline):
    model = NameForm
    extra = 0
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
    autocomplete_fields = ["language"]


class PositionInline(CuratorTabularInline):
    model = Position
    fk_name = "agent"
    extra = 0
    fields = ["title", "organization", "date_edtf", "source"]
    autocomplete_fields = ["organization"]


class RelationInline(CuratorStackedInline):
    model = AgentRelation
    fk_name = "source"
    extra = 0
    fields = [
        ("relation_type", "target", "date_edtf"),
        "description",
        ("supporting_documents", "supporting_publications"),
        "source_note",
        ("status", "restricted"),
    ]
    autocomplete_fields = [
        "relation_type",
        "target",
        "supporting_documents",
        "supporting_publications",
    ]


class AuthorityInline(CuratorTabularInline):
    model = AuthorityIdentifier
    extra = 0


@admin.register(Agent)
class AgentAdmin(ImportExportMixin, RomanizationMixin, CuratorAdmin):
    list_display = ["name", "kind", "nationality", "date_edtf", "status", "restricted"]
    list_filter = ["kind", "status", "restricted", "nationality"]
    search_fields = ["name", "sort_name", "identifier", "name_forms__name"]
    autocomplete_fields = ["places"]
    inlines = [NameFormInline, PositionInline, RelationInline, AuthorityInline]
    fieldsets = [
        ("Identity (ISAAR(CPF) 5.1)", {"fields": ["identifier", "kind", "name", "sort_name"]}),
        (
            "Description (5.2)",
            {"fields": ["date_edtf", "nationality", "biography", "functions", "places"]},
        ),
        ("Control (5.4)", {"fields": ["sources"]}),
        ("Publication", {"fields": ["status", "restricted"]}),
        ("Names in other scripts", {"fields": ["proposed_romanizations"]}),
    ]
    readonly_fields = ["proposed_romanizations"]

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        results, _ = super().get_search_results(request, queryset, search_term)
        return results.distinct(), False


@admin.register(NameForm)
class NameFormAdmin(CuratorAdmin):
    list_display = ["name", "agent", "language", "script", "kind", "transliteration"]
    list_filter = ["script", "kind", "transliteration", "language"]
    list_select_related = ["agent", "language"]
    search_fields = ["name", "kana_reading", "agent__name"]
    autocomplete_fields = ["agent", "language"]


@admin.register(Position)
class PositionAdmin(CuratorAdmin):
    list_display = ["title", "agent", "organization", "date_edtf"]
    list_select_related = ["agent", "organization"]
    search_fields = ["title", "agent__name"]
    autocomplete_fields = ["agent", "organization"]


@admin.register(AgentRelationType)
class AgentRelationTypeAdmin(CuratorAdmin):
    list_display = ["label", "inverse_label", "code", "symmetric", "category"]
    search_fields = ["label", "inverse_label", "code"]


@admin.register(AgentRelation)
class AgentRelationAdmin(ImportExportMixin, CuratorAdmin):
    list_display = ["source", "relation_type", "target", "date_edtf", "status"]
    list_filter = ["relation_type", "status"]
    list_select_related = ["source", "relation_type", "target"]
    search_fields = ["source__name", "target__name", "description"]
    autocomplete_fields = [
        "source",
        "relation_type",
        "target",
        "supporting_documents",
        "supporting_publications",
    ]


@admin.register(AgentRole)
class AgentRoleAdmin(CuratorAdmin):
    list_display = ["agent", "role", "document"]
    list_filter = ["role"]
    list_select_related = ["agent", "document"]
    search_fields = ["agent__name", "document__title", "name_as_written"]
    autocomplete_fields = ["agent", "document"]


@admin.register(AuthorityIdentifier)
class AuthorityIdentifierAdmin(CuratorAdmin):
    list_display = ["value", "scheme", "agent"]
    list_select_related = ["scheme", "agent"]
    search_fields = ["value", "agent__name"]
    autocomplete_fields = ["agent"]
