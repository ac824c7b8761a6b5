"""Admin for partner API keys: issue (the key is shown once), revoke, see when each was used."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from archive.models import PartnerKey


class RevokedFilter(admin.SimpleListFilter):
    """Active keys, or revoked ones."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "contact", "created_at", "last_used_at", "active"]
    list_filter = [RevokedFilter]
    search_fields = ["name", "contact", "prefix"]
    fields = ["name", "contact", "note", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(boolean=True, description="active")
    def active(self, key: PartnerKey) -> bool:
        return key.is_active

    def has_delete_permission(self, request: HttpRequest, obj: PartnerKey | None = None) -> bool:
        return False  # revoke instead: the record of who had a key stays

    def save_model(self, request: HttpRequest, obj: PartnerKey, form: ModelForm, change: bool):
        if change:
            return super().save_model(request, obj, form, change)
        raw = obj.assign_secret()
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            f"The API key for {obj.name} is {raw} — copy it now and send it to the partner "
            "safely: it is stored only as a hash and will not be shown again.",
            messages.WARNING,
        )
        return None

    @admin.action(description="Revoke selected keys (for good)", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        revoked = sum(key.revoke() for key in queryset)
        self.message_user(request, f"{revoked} key(s) revoked.", messages.SUCCESS)
