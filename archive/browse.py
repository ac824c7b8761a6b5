"""The public browse pages: one FilterSet, its facets, chips, sorting and paging, as HTML.

A browse page is a FilterSet (the same one the API uses, so a query string means the same on
both) plus presentation: which facets to show, under which heading, and which query parameter a
facet value sets. :class:`Browse` reads the request once and gives the template everything:

* the page of results (``page_size`` 1–100, default 20; ``page``), in a fixed number of queries;
* facet groups with counts of the visible records under the current filters, each facet ignoring
  its own filter (:func:`archive.facets.facet_counts`, at most one query per facet), every
  value with the link that selects or deselects it (OR within a facet, AND across facets); with
  ``shared_counts`` (a queryset of ``public()`` records, the same for every reader), a public
  reader's counts come from the catalogue cache (:mod:`archive.catalogue_cache`);
* the active filters as chips, each with the link that removes it;
* the sort orders, the year histogram and the place map data;
* ``errors``: every unknown parameter and invalid value, by parameter name. A page with errors
  lists nothing and answers 400 with the messages, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from archive.catalogue_cache import cached, class_key, params_key, public_scope
from archive.facets import facet_counts, kept_total
from archive.filters import KirokuFilterSet
from archive.paging import KeysFirstPaginator

#: parameters of the page itself, beside the FilterSet's
PAGE_PARAMS = ("page", "page_size")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: the fewest years the date histogram spans
MIN_YEARS = 12


@dataclass(frozen=True)
class FacetSpec:
    """How a FilterSet facet shows on a page: its heading and the parameter a value sets.

    ``multiple`` facets are OR-ed checkboxes (``language=ja&language=ru``); the others replace
    the value. ``params`` maps a value to other parameters than ``param`` (a decade of agents
    becomes ``date_from``/``date_to``).
    """

    name: str
    title: str | Promise
    param: str = ""
    multiple: bool = True
    params: Callable[[Any], dict[str, str]] | None = None

    @property
    def parameter(self) -> str:
        return self.param or self.name


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetGroup:
    spec: FacetSpec
    values: list[FacetValue]
    selected: int = 0

    @property
    def title(self) -> str:
        return str(self.spec.title)


@dataclass
class Chip:
    """An active filter value, with the link that removes it."""

    title: str
    label: str
    remove_url: str


@dataclass
class Bar:
    """One year of the histogram (SVG coordinates in a 0–100 × 0–40 box)."""

    year: int
    count: int
    x: float
    width: float
    height: float
    url: str
    selected: bool = False

    @property
    def y(self) -> float:
        return round(40 - self.height, 2)


@dataclass
class Histogram:
    first: int
    last: int
    bars: list[Bar] = field(default_factory=list)


def param_value(value: Any) -> str:
    """A facet value as it is written in a query string (``True`` → ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query_values(params: QueryDict, name: str) -> list[str]:
    """Every value of ``name``, repeated or comma-separated, as the FilterSets read them."""
    return [item.strip() for raw in params.getlist(name) for item in raw.split(",") if item.strip()]


class Browse:
    """A browse page's state for one request; see the module docstring."""

    def __init__(
        self,
        request: HttpRequest,
        filterset_class: type[KirokuFilterSet],
        queryset: QuerySet,
        facets: list[FacetSpec],
        *,
        titles: dict[str, str | Promise] | None = None,
        prepare: Callable[[QuerySet], QuerySet] | None = None,
        params: QueryDict | None = None,
        shared_counts: bool = False,
    ) -> None:
        self.request = request
        self.filterset_class = filterset_class
        self.queryset = queryset
        self.specs = facets
        self.titles = {**{spec.parameter: spec.title for spec in facets}, **(titles or {})}
        self.params = (request.GET if params is None else params).copy()
        self.errors: dict[str, list[str]] = {}
        self.page_size = self._page_size()
        self._check_parameters()
        self.filterset = filterset_class(
            data=self._filter_params(), queryset=queryset, request=request
        )
        if not self.filterset.is_valid():
            for name, messages in self.filterset.errors.items():
                self.errors.setdefault(name, []).extend(str(m) for m in messages)
        self.page: Page | None = None
        self.groups: list[FacetGroup] = []
        self.counts: dict[str, list[dict[str, Any]]] = {}
        if self.errors:
            return
        rows = self.filterset.qs
        if prepare is not None:
            rows = prepare(rows)
        paginator = KeysFirstPaginator(rows, self.page_size)
        names = list(dict.fromkeys(spec.name for spec in facets))
        params = self._filter_params()

        shared = public_scope(request.user) if shared_counts else None

        def count() -> tuple[int, dict[str, list[dict[str, Any]]]]:
            """How many records match, and the facet counts: both over the whole catalogue."""
            counts = facet_counts(
                filterset_class, params, names, queryset, request=request, shared=shared
            )
            total = kept_total(filterset_class, params, request) if shared == "public" else None
            return paginator.count if total is None else total, counts

        if shared is None:
            total, self.counts = count()
        else:
            what = ["browse", class_key(filterset_class), shared, params_key(params), names]
            total, self.counts = cached(what, count)
            # ``Paginator.count`` is a cached property: setting it is what computing it does
            paginator.count = total
        self.page = paginator.get_page(self.params.get("page"))
        self.groups = [self._group(spec) for spec in facets]

    # -- query string ---------------------------------------------------------------------------

    def _page_size(self) -> int:
        raw = self.params.get("page_size", "")
        if raw == "":
            return DEFAULT_PAGE_SIZE
        if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_SIZE:
            return int(raw)
        self.errors["page_size"] = [
            gettext("Enter a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}
        ]
        return DEFAULT_PAGE_SIZE

    def _check_parameters(self) -> None:
        allowed = set(self.filterset_class.base_filters) | set(PAGE_PARAMS)
        for name in sorted(set(self.params) - allowed):
            self.errors[name] = [
                gettext("Unknown parameter. This page understands: %(allowed)s.")
                % {"allowed": ", ".join(sorted(allowed))}
            ]

    def _filter_params(self) -> QueryDict:
        data = self.params.copy()
        for name in PAGE_PARAMS:
            data.pop(name, None)
        return data

    def url(self, params: QueryDict | dict[str, list[str]]) -> str:
        """``?query`` for ``params`` (page reset), values in a stable order."""
        pairs = [
            (name, value)
            for name in (params.keys() if isinstance(params, dict) else params)
            for value in (params[name] if isinstance(params, dict) else params.getlist(name))
            if value != "" and name != "page"
        ]
        return "?" + urlencode(pairs) if pairs else "?"

    def _current(self) -> dict[str, list[str]]:
        """The parameters as lists of single values (comma lists split), page left out."""
        current: dict[str, list[str]] = {}
        for name in self.params:
            if name == "page":
                continue
            values = (
                query_values(self.params, name)
                if name in self.filterset_class.base_filters
                else self.params.getlist(name)
            )
            if values:
                current[name] = values
        return current

    def with_value(self, spec: FacetSpec, value: str) -> str:
        """The link that selects ``value`` (OR-ed for a multiple facet) or deselects it."""
        current = self._current()
        if spec.params is not None:
            extra = spec.params(value)
            if all(current.get(k) == [v] for k, v in extra.items()):
                for k in extra:
                    current.pop(k, None)
            else:
                current.update({k: [v] for k, v in extra.items()})
            return self.url(current)
        name = spec.parameter
        values = current.get(name, [])
        if value in values:
            values = [v for v in values if v != value]
        elif spec.multiple:
            values = [*values, value]
        else:
            values = [value]
        current[name] = values
        return self.url(current)

    def without(self, name: str, value: str | None = None) -> str:
        current = self._current()
        if value is None:
            current.pop(name, None)
        else:
            current[name] = [v for v in current.get(name, []) if v != value]
        return self.url(current)

    def with_params(self, **params: str) -> str:
        current = self._current()
        current.update({name: [value] for name, value in params.items()})
        return self.url(current)

    # -- facets and chips -----------------------------------------------------------------------

    def _selected(self, spec: FacetSpec, value: str) -> bool:
        if spec.params is not None:
            return all(self.params.get(k) == v for k, v in spec.params(value).items())
        return value in query_values(self.params, spec.parameter)

    def _group(self, spec: FacetSpec) -> FacetGroup:
        values = []
        rows = self.counts.get(spec.name, [])
        if spec.name in {"decade", "year"}:  # dates read in time order, not by count
            rows = sorted(rows, key=lambda row: row["value"])
        for row in rows:
            value = param_value(row["value"])
            values.append(
                FacetValue(
                    value=value,
                    label=row["label"],
                    count=row["count"],
                    selected=self._selected(spec, value),
                    url=self.with_value(spec, value),
                )
            )
        return FacetGroup(spec, values, selected=sum(v.selected for v in values))

    def group(self, name: str) -> FacetGroup | None:
        return next((group for group in self.groups if group.spec.name == name), None)

    @property
    def chips(self) -> list[Chip]:
        labels = {
            (group.spec.parameter, value.value): value.label
            for group in self.groups
            for value in group.values
        }
        chips = []
        for name, values in self._current().items():
            if name in {"ordering", "page_size"}:
                continue
            title = str(self.titles.get(name, name))
            for value in values:
                label = labels.get((name, value), value)
                chips.append(Chip(title, label, self.without(name, value)))
        return chips

    # -- sorting --------------------------------------------------------------------------------

    @property
    def ordering(self) -> str:
        return self.filterset.ordering_key() if not self.errors else ""

    @property
    def orderings(self) -> list[tuple[str, str, bool]]:
        """(value, label, current) for every sort order offered."""
        current = self.ordering
        searching = bool(self.params.get("q", "").strip())
        return [
            (key, gettext(label), key == current)
            for key, label in self.filterset_class.ordering_choices()
            if key != "relevance" or searching
        ]

    @property
    def page_prefix(self) -> str:
        """``?filters&`` to which a pagination link adds ``page=N``: paging keeps the filters."""
        query = self.url(self._current())
        return query if query == "?" else query + "&"

    def hidden_fields(self, *skip: str) -> list[tuple[str, str]]:
        """The current parameters as (name, value) pairs for a form's hidden inputs."""
        return [
            (name, value)
            for name, values in self._current().items()
            if name not in skip
            for value in values
        ]

    # -- date histogram -------------------------------------------------------------------------

    def histogram(self, facet: str = "year") -> Histogram | None:
        """Documents per year (from the ``facet`` counts) as SVG bars; years without any
        documents between the first and the last are kept as gaps."""
        rows = {int(row["value"]): row["count"] for row in self.counts.get(facet, [])}
        if not rows:
            return None
        first, last = min(rows), max(rows)
        chosen = self._chosen_years()
        # at least MIN_YEARS wide, so that one year is a bar and not the whole box
        span = max(last - first + 1, MIN_YEARS)
        origin = first - (span - (last - first + 1)) // 2
        top = max(rows.values())
        width = 100 / span
        bars = [
            Bar(
                year=year,
                count=rows[year],
                x=round((year - origin) * width, 3),
                width=round(width * 0.85, 3),
                height=round(max(rows[year] / top * 40, 1.5), 2),
                url=self.with_params(date_from=str(year), date_to=str(year)),
                selected=chosen is not None and chosen[0] <= year <= chosen[1],
            )
            for year in range(first, last + 1)
            if year in rows
        ]
        return Histogram(origin, origin + span - 1, bars)

    def _chosen_years(self) -> tuple[int, int] | None:
        """The years the date filters cover, for highlighting bars (None when unfiltered)."""
        data = self.filterset.form.cleaned_data
        bounds = []
        if data.get("year"):
            bounds.append((int(data["year"]), int(data["year"])))
        if data.get("decade") is not None and self.params.get("decade"):
            bounds.append((int(data["decade"]), int(data["decade"]) + 9))
        if data.get("date_from") or data.get("date_to"):
            first = data["date_from"][0].year if data.get("date_from") else 1
            last = data["date_to"][1].year if data.get("date_to") else 9999
            bounds.append((first, last))
        if not bounds:
            return None
        return max(b[0] for b in bounds), min(b[1] for b in bounds)


#: labels defined in code outside any request (sort orders, kinds of search hit), marked for
#: translation here and translated where they are shown
CODE_LABELS = (
    gettext_noop("Date"),
    gettext_noop("Date (latest first)"),
    gettext_noop("Title"),
    gettext_noop("Title (Z–A)"),
    gettext_noop("Identifier"),
    gettext_noop("Name"),
    gettext_noop("Name (Z–A)"),
    gettext_noop("Relevance (with a search)"),
    gettext_noop("Document"),
    gettext_noop("Person or organization"),
    gettext_noop("Archival unit"),
    gettext_noop("Publication"),
)

DOCUMENT_TITLES: dict[str, str | Promise] = {
    "q": _("Search"),
    "date_from": _("From"),
    "date_to": _("Until"),
    "year": _("Year"),
    "agent": _("Person"),
    "role": _("Role"),
    "repository_id": _("Repository"),
}


def document_facets(*, exclude: frozenset[str] = frozenset()) -> list[FacetSpec]:
    """The facets of the document browse pages (a collection's page leaves the repository
    out)."""
    specs = [
        FacetSpec("repository", _("Repository")),
        FacetSpec("collection", _("Collection")),
        FacetSpec("form", _("Documentary form")),
        FacetSpec("language", _("Language")),
        FacetSpec("decade", _("Decade"), multiple=False),
        FacetSpec("year", _("Year"), param="year", multiple=False),
        FacetSpec("agent", _("People")),
        FacetSpec("role", _("Role")),
        FacetSpec("subject", _("Subject")),
        FacetSpec("place", _("Place")),
        FacetSpec("has_transcript", _("Has a transcript"), multiple=False),
        FacetSpec("has_translation", _("Has a translation"), multiple=False),
        FacetSpec("has_digital_object", _("Has an image or file"), multiple=False),
    ]
    return [spec for spec in specs if spec.name not in exclude]


@dataclass
class MapPoint:
    """A place on the world map: plate carrée in degrees, as ``static/kiroku/world.svg``."""

    label: str
    count: int
    x: float
    y: float
    r: float
    selected: bool
    url: str


@dataclass
class PlaceMap:
    points: list[MapPoint]
    view_box: str


def place_map(group: FacetGroup | None, coordinates: dict[str, tuple[float, float]]) -> PlaceMap:
    """The place facet's values that have coordinates, as points on a cropped world map.

    ``coordinates`` are (latitude, longitude) by place identifier. The view is the points'
    bounding box with a margin, at least 60° × 30° and never past the edges of the world.
    """
    if group is None:
        return PlaceMap([], "0 0 360 180")
    top = max((value.count for value in group.values), default=1)
    located = [
        (value, float(coordinates[value.value][1]) + 180, 90 - float(coordinates[value.value][0]))
        for value in group.values
        if value.value in coordinates
    ]
    if not located:
        return PlaceMap([], "0 0 360 180")
    left = min(x for _, x, _ in located) - 8
    right = max(x for _, x, _ in located) + 8
    upper = min(y for _, _, y in located) - 6
    lower = max(y for _, _, y in located) + 6
    width, height = max(right - left, 60), max(lower - upper, 30)
    # always 2:1, the world's own shape: never a sliver, never a tall column
    width = max(width, height * 2)
    width = min(width, 360)
    height = width / 2
    left = min(max(0.0, (left + right - width) / 2), 360 - width)
    upper = min(max(0.0, (upper + lower - height) / 2), 180 - height)
    view = f"{left:.1f} {upper:.1f} {width:.1f} {height:.1f}"
    scale = width / 100  # a dot keeps its size on screen however far the map zooms
    points = [
        MapPoint(
            label=value.label,
            count=value.count,
            x=round(x, 2),
            y=round(y, 2),
            r=round(scale * (1.2 + 2.3 * (value.count / top) ** 0.5), 2),
            selected=value.selected,
            url=value.url,
        )
        for value, x, y in located
    ]
    return PlaceMap(points, view)
