"""Curator admin for holdings: repositories, their reference levels, collections."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html

from archive.admin_base import CuratorAdmin, CuratorTabularInline
from archive.models import (
    Collection,
    IdentifierScheme,
    Language,
    ReferenceLevel,
    Repository,
    RetiredIdentifier,
)
from archive.references import format_reference


class ReferenceLevelInline(CuratorTabularInline):
    model = ReferenceLevel
    extra = 0
    fields = ["rank", "code", "name", "label", "separator"]


@admin.register(Repository)
class RepositoryAdmin(CuratorAdmin):
    list_display = ["name", "short_name", "kind", "country", "status"]
    list_filter = ["kind", "status", "country"]
    search_fields = ["name", "short_name", "name_original", "identifier"]
    inlines = [ReferenceLevelInline]
    fieldsets = [
        (None, {"fields": ["identifier", "name", "short_name", "name_original", "kind"]}),
        ("Contact and location", {"fields": ["country", "location", "url", "description"]}),
        ("Citation convention", {"fields": ["reference_template", "show_japanese_era"]}),
        ("Publication", {"fields": ["status", "restricted"]}),
    ]


@admin.register(ReferenceLevel)
class ReferenceLevelAdmin(CuratorAdmin):
    list_display = ["name", "repository", "rank", "label", "separator"]
    list_filter = ["repository"]
    list_select_related = ["repository"]
    search_fields = ["name", "code", "repository__name"]


@admin.register(Collection)
class CollectionAdmin(CuratorAdmin):
    list_display = ["indented_title", "level", "reference", "repository", "status", "date_edtf"]
    list_filter = ["repository", "status", "custody_status"]
    list_select_related = ["repository", "level", "parent"]
    search_fields = ["title", "identifier", "reference_segment", "scope_and_content"]
    autocomplete_fields = ["repository", "parent", "creator", "level"]
    readonly_fields = ["full_reference"]
    fieldsets = [
        (
            "Identity statement (ISAD(G) 3.1)",
            {
                "fields": [
                    "identifier",
                    "repository",
                    "parent",
                    "level",
                    "reference_segment",
                    "full_reference",
                    "title",
                    "date_edtf",
                    "extent",
                ]
            },
        ),
        (
            "Context (3.2)",
            {
                "fields": [
                    "creator",
                    "administrative_history",
                    "custodial_history",
                    "acquisition",
                    "custody_status",
                ]
            },
        ),
        ("Content and structure (3.3)", {"fields": ["scope_and_content", "arrangement"]}),
        (
            "Conditions of access and use (3.4)",
            {
                "fields": [
                    "access_conditions",
                    "reproduction_conditions",
                    "languages",
                    "finding_aids",
                ]
            },
        ),
        ("Notes (3.6)", {"fields": ["notes"]}),
        ("Publication", {"fields": ["status", "restricted"]}),
    ]

    @admin.display(description="title", ordering="tree_path")
    def indented_title(self, obj: Collection) -> str:
        return format_html("{}{}", "\u2003" * obj.depth, obj.title)

    @admin.display(description="segment")
    def reference(self, obj: Collection) -> str:
        return obj.reference_segment

    @admin.display(description="full reference")
    def full_reference(self, obj: Collection) -> str:
        return format_reference(obj) if obj.pk else "—"


@admin.register(IdentifierScheme)
class IdentifierSchemeAdmin(CuratorAdmin):
    list_display = ["name", "code", "issuer"]
    search_fields = ["name", "code"]


@admin.register(Language)
class LanguageAdmin(CuratorAdmin):
    list_display = ["name", "code", "native_name"]
    search_fields = ["name", "code", "native_name"]


@admin.register(RetiredIdentifier)
class RetiredIdentifierAdmin(admin.ModelAdmin):
    """Identifiers given up by renamed or deleted records (written by archive.tombstones).

    Read-only: they are kept so old links keep working and nobody reuses them. Deleting one
    (a reviewer's permission) frees the identifier again and ends its redirect.
    """

    list_display = ["identifier", "content_type", "object_id", "retired_at"]
    list_filter = ["content_type"]
    search_fields = ["identifier"]
    list_select_related = ["content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# partner API keys have their own module; importing it registers their admin
import archive.admin_keys  # noqa: E402, F401
