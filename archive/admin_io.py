"""Import and export in the curator admin: an Import page and export of the changelist.

The Import page takes a CSV or JSON file, runs it as a dry run and shows every row's action,
field changes and errors. Confirming imports the same bytes for real: the upload is kept in a
private folder under ``VAR_DIR`` (never a served one) with a random token that only the
uploader's session knows, and the import runs again, so a record changed in the meantime is
checked again. Only curators who may both add and change the model may import.

Export writes what the changelist's filters and search select (links above the list) or the
selected rows (actions), in the same format the import reads.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from archive.importers import (
    FORMATS,
    RecordImporter,
    RowError,
    export_text,
    import_file,
    importer_classes,
)
from archive.uploads import check_import_upload

SESSION_KEY = "kiroku_imports"
UPLOAD_LIFETIME = 24 * 3600  # seconds an unconfirmed upload is kept
# Rows the admin imports within one request (10,000 new documents take ~15 s on SQLite);
# larger files go through ``manage.py import_records``, which has no request timeout.
ADMIN_ROW_LIMIT = 5000


def upload_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def forget_old_uploads() -> None:
    for old in upload_dir().glob("*.upload"):
        if old.stat().st_mtime < time.time() - UPLOAD_LIFETIME:
            old.unlink(missing_ok=True)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV or JSON file")
    format = forms.ChoiceField(
        label="format",
        choices=[("", "from the file name"), *((fmt, fmt.upper()) for fmt in FORMATS)],
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_import_upload(upload)
        return upload


class ImportExportMixin:
    """Add to the bases of a ``ModelAdmin`` whose model has an importer (``importer_classes``)."""

    change_list_template = "admin/kiroku/change_list_import_export.html"
    import_template = "admin/kiroku/import_records.html"

    @property
    def importer_class(self) -> type[RecordImporter]:
        model = self.model  # type: ignore[attr-defined]
        return next(cls for cls in importer_classes().values() if cls.model is model)

    # -- URLs ----------------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta  # type: ignore[attr-defined]
        info = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("import/", wrap(self.import_view), name=f"{info}_import"),
            path("export/<str:fmt>/", wrap(self.export_view), name=f"{info}_export"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)  # type: ignore[attr-defined]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "export_formats": FORMATS,
        }
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    # -- export --------------------------------------------------------------------------------

    def export_response(self, queryset: QuerySet, fmt: str) -> HttpResponse:
        if fmt not in FORMATS:
            raise PermissionDenied
        importer = self.importer_class()
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        content_type = "text/csv" if fmt == "csv" else "application/json"
        response = StreamingHttpResponse(
            export_text(importer, queryset, fmt), content_type=f"{content_type}; charset=utf-8"
        )
        filename = f"{importer.record_type}-{stamp}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        """Everything the changelist shows with the same filters, search and ordering."""
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)  # type: ignore[attr-defined]
        except IncorrectLookupParameters:
            messages.error(request, "The filters in the address are not valid.")
            return HttpResponseRedirect("../../")
        return self.export_response(changelist.get_queryset(request), fmt)

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location)  # type: ignore[misc]
        if self.has_view_permission(request):  # type: ignore[attr-defined]
            for name in ("export_selected_csv", "export_selected_json"):
                actions[name] = self.get_action(name)  # type: ignore[attr-defined]
        return actions

    def export_selected_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self.export_response(queryset, "csv")

    export_selected_csv.short_description = "Export selected as CSV"  # type: ignore[attr-defined]

    def export_selected_json(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self.export_response(queryset, "json")

    export_selected_json.short_description = "Export selected as JSON"  # type: ignore[attr-defined]

    # -- import --------------------------------------------------------------------------------

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → dry-run preview → confirm (which imports the kept upload for real)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        opts = self.model._meta  # type: ignore[attr-defined]
        importer = self.importer_class
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": opts,
            "title": f"Import {opts.verbose_name_plural}",
            "columns": importer.column_names(),
            "required": [c.name for c in importer.columns if c.required],
            "record_type": importer.record_type,
        }
        uploads: dict[str, dict[str, str]] = request.session.get(SESSION_KEY, {})
        if request.method == "POST" and "token" in request.POST:
            token = request.POST["token"]
            upload = uploads.get(token)
            stored = upload_dir() / f"{token}.upload"
            if upload is None or not stored.exists():
                messages.error(request, "That upload has expired; please upload the file again.")
                return HttpResponseRedirect(request.path)
            result = import_file(
                stored.read_bytes(),
                filename=upload["name"],
                record_type=importer.record_type,
                fmt=upload["format"] or None,
                user=request.user,
            )
            if result.ok:
                stored.unlink(missing_ok=True)
                uploads.pop(token, None)
                request.session[SESSION_KEY] = uploads
                messages.success(request, f"{upload['name']}: {result.summary()}.")
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
            context.update(result=result, form=ImportForm(), filename=upload["name"])
            return TemplateResponse(request, self.import_template, context)

        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload_file = form.cleaned_data["file"]
            data = upload_file.read()
            fmt = form.cleaned_data["format"]
            result = import_file(
                data,
                filename=upload_file.name,
                record_type=importer.record_type,
                fmt=fmt or None,
                dry_run=True,
                user=request.user,
            )
            if len(result.rows) > ADMIN_ROW_LIMIT:
                result.file_errors.append(
                    RowError(
                        None,
                        "file",
                        f"{len(result.rows)} rows; the admin imports at most {ADMIN_ROW_LIMIT} "
                        "at a time: split the file or run manage.py import_records",
                    )
                )
            context.update(result=result, filename=upload_file.name)
            if result.ok and any(row.action != "unchanged" for row in result.rows):
                forget_old_uploads()
                token = secrets.token_urlsafe(24)
                (upload_dir() / f"{token}.upload").write_bytes(data)
                uploads[token] = {"name": upload_file.name, "format": fmt}
                request.session[SESSION_KEY] = uploads
                context["token"] = token
        context["form"] = form
        return TemplateResponse(request, self.import_template, context)
