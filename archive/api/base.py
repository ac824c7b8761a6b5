"""The partner API's common behaviour: visibility, strict query strings, facets and the schema.

Every viewset of the API derives from :class:`PartnerViewSet`, which

* starts from ``visible_to(user)`` — public records for everyone, everything for staff — so
  an unpublished record answers 404 exactly like a missing one;
* rejects unknown query parameters with a 400 naming them (a typo such as ``?langauge=ja``
  would otherwise silently return everything), and invalid filter values the same way
  (``filterset.is_valid()``);
* filters, orders and facets through the model's FilterSet, the same one the site uses;
* adds ``facets`` to list responses when ``?facets=`` asks for them;
* gives every response an ETag and Last-Modified and answers a satisfied conditional GET with
  304 (:mod:`archive.api.conditional`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.http import HttpResponseBase, QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from archive.api.conditional import Validators, add_validators, data_digest
from archive.api.errors import BadQuery, ErrorSerializer
from archive.api.pagination import PAGINATION_PARAMS, KirokuPagination
from archive.catalogue_cache import cached, public_scope
from archive.converters import IDENTIFIER_PATTERN
from archive.facets import UnknownFacet, facet_counts, kept_total
from archive.filters import KirokuFilterSet
from archive.models import Collection
from archive.models.base import sees_everything

#: query parameters every endpoint accepts (DRF's format override)
COMMON_PARAMS = frozenset({"format"})
#: methods that change an existing record, and so need If-Match
WRITE_WITH_VERSION = ("PUT", "PATCH", "DELETE")


def split_list(request: Request, name: str) -> list[str]:
    """A comma-separated and/or repeated parameter as a list of non-empty items."""
    return [
        item.strip()
        for raw in request.query_params.getlist(name)
        for item in raw.split(",")
        if item.strip()
    ]


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, for list actions only, answering bad values with a 400."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise BadQuery(filterset.errors)
        return filterset.qs


class PartnerAutoSchema(AutoSchema):
    """Adds ``expand``/``facets`` parameters, the caching and concurrency headers, the error
    responses, and leaves expandable parts out of ``required``."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        view = self.view
        expansions = getattr(view, "expansions", ())
        if expansions and self.method == "GET":
            parameters.append(
                OpenApiParameter(
                    "expand",
                    {"type": "array", "items": {"type": "string", "enum": list(expansions)}},
                    OpenApiParameter.QUERY,
                    description="Include these related parts in full (comma-separated). "
                    "Detail responses include them all when expand is not given.",
                    explode=False,
                )
            )
        filterset_class = getattr(view, "filterset_class", None)
        if self._is_list_view() and filterset_class is not None and filterset_class.facets:
            parameters.append(
                OpenApiParameter(
                    "facets",
                    {
                        "type": "array",
                        "items": {"type": "string", "enum": sorted(filterset_class.facets)},
                    },
                    OpenApiParameter.QUERY,
                    description="Add counts per value of these facets under the current "
                    "filters (each facet ignores its own filter).",
                    explode=False,
                )
            )
        return parameters + self.header_parameters()

    def header_parameters(self) -> list[OpenApiParameter]:
        """Conditional request headers, and the validators every answer carries."""
        parameters = [
            OpenApiParameter(
                "ETag",
                str,
                OpenApiParameter.HEADER,
                description="The response's entity tag; a record's starts with its version "
                '("7-3f9c…"). Send it back in If-None-Match (GET) or If-Match (write).',
                response=[200, 201],
            ),
            OpenApiParameter(
                "Last-Modified",
                str,
                OpenApiParameter.HEADER,
                description="When the record (or a list's newest row) last changed.",
                response=[200, 201],
            ),
        ]
        if self.method == "GET":
            parameters += [
                OpenApiParameter(
                    "If-None-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="ETag(s) of a copy you hold: 304 with no body if unchanged.",
                ),
            ]
            if not self._is_list_view():
                parameters.append(
                    OpenApiParameter(
                        "If-Modified-Since",
                        str,
                        OpenApiParameter.HEADER,
                        description="HTTP date: 304 with no body if the record has not "
                        "changed since (lists answer If-None-Match only).",
                    )
                )
        if self.method in WRITE_WITH_VERSION:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the version you edited. Missing: 428; the "
                    "record changed since: 412 and nothing is written.",
                )
            )
        return parameters

    def get_request_serializer(self) -> Any:
        if self.method in ("POST", "PUT", "PATCH"):
            return self.view.write_serializer_class
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        if self.method in ("POST", "PUT", "PATCH"):
            return self.view.serializer_class  # a write answers with the record as GET shows it
        return super().get_response_serializers()

    def get_auth(self) -> list[dict[str, list[str]]]:
        auths = super().get_auth()
        if self.method in ("GET", "HEAD"):
            if {} not in auths:
                auths.append({})  # reads need no credentials
            return auths
        return [auth for auth in auths if auth and "partnerKey" not in auth]  # keys only read

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = ["401", "429"]
        if self.method == "GET":
            codes += ["400", "404"]
            responses.setdefault("304", {"description": "Not modified: no body."})
        else:
            codes += ["400", "403"]
            if self.method in WRITE_WITH_VERSION:
                codes += ["404", "412", "428"]
            if self.method == "DELETE":
                codes.append("409")
        for code in codes:
            responses.setdefault(
                code, self._get_response_for_code(ErrorSerializer, code, direction=direction)
            )
        return responses

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        schema = super()._map_basic_serializer(serializer, direction)
        expandable = getattr(getattr(serializer, "Meta", None), "expandable", ())
        if expandable and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in expandable]
        return schema


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only list and detail of one model, by its stable ``identifier``."""

    lookup_field = "identifier"
    lookup_value_regex = IDENTIFIER_PATTERN
    permission_classes = [AllowAny]
    filter_backends = [StrictFilterBackend]
    pagination_class = KirokuPagination
    schema = PartnerAutoSchema()
    filterset_class: type[KirokuFilterSet]
    #: related parts that ``?expand=`` can include in full
    expansions: ClassVar[tuple[str, ...]] = ()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)
        self.expand = self.parse_expand(request)
        self.facet_names = self.parse_facets(request)

    # -- query string -------------------------------------------------------------------------

    def allowed_parameters(self) -> set[str]:
        allowed = set(COMMON_PARAMS)
        if self.expansions:
            allowed.add("expand")
        if self.action == "list":
            allowed |= set(self.filterset_class.base_filters) | set(PAGINATION_PARAMS)
            if self.filterset_class.facets:
                allowed.add("facets")
        return allowed

    def check_query_parameters(self, request: Request) -> None:
        """Answer 400 naming every parameter this endpoint does not know, or whose value no
        record can match."""
        allowed = self.allowed_parameters()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            message = f"Unknown query parameter. Allowed here: {', '.join(sorted(allowed))}."
            raise BadQuery(
                {name: [message] for name in unknown}, summary="Unknown query parameter(s)"
            )
        # no stored value holds a NUL character, and PostgreSQL refuses one in a query
        with_nul = sorted(
            name
            for name, values in request.query_params.lists()
            if any("\x00" in value for value in values)
        )
        if with_nul:
            raise BadQuery({name: ["NUL characters are not allowed."] for name in with_nul})

    def parse_expand(self, request: Request) -> set[str]:
        names = split_list(request, "expand")
        unknown = [name for name in names if name not in self.expansions]
        if unknown:
            raise BadQuery(
                {
                    "expand": [
                        f"Unknown part(s): {', '.join(unknown)}. "
                        f"Choose from: {', '.join(self.expansions)}."
                    ]
                }
            )
        if not names and self.action == "retrieve" and "expand" not in request.query_params:
            return set(self.expansions)  # a single record comes whole unless told otherwise
        return set(names)

    def parse_facets(self, request: Request) -> list[str]:
        names = split_list(request, "facets")
        available = sorted(self.filterset_class.facets)
        unknown = [name for name in names if name not in available]
        if unknown:
            raise BadQuery({"facets": [str(UnknownFacet(unknown, available))]})
        return list(dict.fromkeys(names))

    # -- records ------------------------------------------------------------------------------

    def visible(self) -> QuerySet:
        """The records the requester may see: the one visibility rule of the models."""
        model = self.filterset_class._meta.model
        return model.objects.visible_to(self.request.user)

    def shown(self, model: type[Model], *related: str, order_by: tuple[str, ...] = ()) -> QuerySet:
        """Rows of ``model`` to list beside a record, with the ``related`` records they show:
        public ones (by the model's ``public_q``), or all of them for staff."""
        return related_rows(model, related, order_by, sees_everything(self.request.user)).all()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["expand"] = getattr(self, "expand", None)
        return context

    def prepare(self, rows: list[Any]) -> dict[str, Any]:
        """Load what a page of rows needs in bulk; returns extra serializer context."""
        return {}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.list_data)

    def list_data(self) -> tuple[Any, Validators]:
        request = self.request
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context(), **self.prepare(page)}
        data = self.get_serializer_class()(page, many=True, context=context).data
        modified = [row.updated_at for row in page if getattr(row, "updated_at", None)]
        body = self.paginator.get_paginated_data(data)
        if self.facet_names:
            body["facets"] = facet_counts(
                self.filterset_class,
                self.filter_params(),
                self.facet_names,
                self.visible(),
                request=request,
                shared=public_scope(request.user),
            )
        return body, Validators(modified=max(modified, default=None), is_list=True)

    def filter_params(self) -> QueryDict:
        """The request's parameters that filter the list (no paging, format, expansion or facet
        names): what every page of a list shares, its counts and its length."""
        params = self.request.query_params.copy()
        for name in (*PAGINATION_PARAMS, *COMMON_PARAMS, "expand", "facets"):
            params.pop(name, None)
        return params

    def kept_total(self) -> int | None:
        """The list's length without counting it: for a list of every public record, or of
        those with one value whose tallies are kept, from the tallies
        (:func:`archive.facets.kept_total`); ``None`` where the list is otherwise filtered,
        shows a curator unpublished records too, or its tallies are not kept."""
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is None or public_scope(self.request.user) is None:
            return None
        return kept_total(filterset_class, self.filter_params(), self.request)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.retrieve_data)

    def retrieve_data(self) -> tuple[Any, Validators]:
        instance = self.get_object()
        context = {**self.get_serializer_context(), **self.prepare([instance])}
        data = self.get_serializer_class()(instance, context=context).data
        return data, Validators(
            version=getattr(instance, "version", None),
            modified=getattr(instance, "updated_at", None),
        )

    def respond(self, compute: Callable[[], tuple[Any, Validators]]) -> Response:
        """A read's response: for a public reader, from the catalogue cache.

        A public reader's response depends only on the URL (host and query string included),
        the media type, the language and the catalogue, so it is cached under those until the
        catalogue changes (:mod:`archive.catalogue_cache`), with its ETag's digest; a
        harvester walking the pages pays for each page once. A curator's response (unpublished
        records too) is computed every time. An error (400, 404) is raised, never cached.
        """
        request = self.request
        scope = public_scope(request.user)
        if scope is None:
            data, self.validators = compute()
            return Response(data)

        def computed() -> tuple[Any, Validators]:
            data, validators = compute()
            digest = data_digest(data, request.accepted_media_type)
            # plain containers: the serializers' own keep a reference to the serializer
            return json.loads(json.dumps(data, cls=JSONEncoder)), replace(validators, digest=digest)

        what = ["api", scope, request.build_absolute_uri(), request.accepted_media_type]
        data, self.validators = cached(what, computed)
        return Response(data)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = getattr(self, "validators", None)
        if (
            validators is not None
            and isinstance(response, Response)
            and response.status_code in (200, 201)
        ):
            return add_validators(request, response, validators)
        return response


@functools.cache
def related_rows(
    model: type[Model], related: tuple[str, ...], order_by: tuple[str, ...], everything: bool
) -> QuerySet:
    """:meth:`PartnerViewSet.shown`'s query, built once per process and visibility.

    A public condition that reaches through relations costs Django a fraction of a millisecond
    to build (joins resolved, lookups checked), and a document's detail response lists four
    kinds of related rows: built once, each request takes a copy (``.all()``). The query is
    never run itself, so it holds no rows.
    """
    queryset = model.objects.select_related(*related) if related else model.objects.all()
    if not everything:
        queryset = queryset.filter(model.public_q())
    return queryset.order_by(*order_by) if order_by else queryset


def load_lineages(units: list[Collection]) -> dict[int, list[Collection]]:
    """The lineage (root → unit) of each of ``units``, all in one query, by the unit's pk.

    A reference is written from a unit's whole lineage; loading it per row would cost one
    query per document or collection in a list.
    """
    paths = {
        unit.pk: [int(part) for part in unit.tree_path.strip("/").split("/") if part]
        for unit in units
    }
    by_id = {unit.pk: unit for unit in units}
    above = {pk for path in paths.values() for pk in path} - set(by_id)
    if above:
        # only what a reference and the custody read of the units above (archive.references)
        by_id |= (
            Collection.objects.select_related("level")
            .only("reference_segment", "title", "custody_status", "level")
            .order_by()
            .in_bulk(above)
        )
    return {pk: [by_id[part] for part in path if part in by_id] for pk, path in paths.items()}
