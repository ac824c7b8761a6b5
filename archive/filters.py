"""FilterSets for the holdings, and the building blocks every app's FilterSets share.

One FilterSet per browsable model defines its filters, its sort orders and its facets once; the
public list pages and the partner API both use it, so a query string means the same thing on the
site and in the API.

Conventions (after NetBox's filtersets):

* ``q`` is free text, through a ``search()`` method;
* a relation is filtered by its public key (``repository=ndl``) and, NetBox-style, by primary key
  (``repository_id=3``); both are multi-valued, given repeated (``?language=ja&language=ru``) or
  comma-separated (``?language=ja,ru``). Values are OR-ed within a parameter and parameters are
  AND-ed;
* filters on large relations take identifiers, never choice lists, so nothing renders every row
  of a table into a form;
* bad values are errors (the views check ``is_valid()``), never silently ignored;
* ``ordering`` picks one of an allow-list of sort orders. Each ends with the primary key, and
  its keys are never NULL, so that keyset (cursor) pagination can page through it exactly.
  ``relevance`` (the default when ``q`` is given, for models in the search index) ranks by the
  search backend instead; without ``q`` it falls back to the default order.
"""

from __future__ import annotations

import calendar
import functools
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db.models import F, IntegerField, Model, Q, QuerySet
from django.db.models.expressions import Expression
from django.db.models.functions import Cast, ExtractYear, Mod
from django.db.models.lookups import Exact
from drf_spectacular.drainage import set_override

from archive import search as search_backend
from archive.models import Collection, Repository, RepositoryKind
from archive.models.base import DATE_SPAN_CLASSES, OPEN_SPAN, DateSpanClass, sort_date

# ---------------------------------------------------------------------------------------------
# Fields and filters


class MultiValueWidget(forms.TextInput):
    """Reads every value of a repeated parameter, each split at commas."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name) or ""]
        return [item for value in raw if value for item in str(value).split(",")]

    def format_value(self, value: Any) -> str | None:
        return ",".join(value) if isinstance(value, list | tuple) else value


class MultiValueField(forms.Field):
    """A list of non-empty strings from repeated or comma-separated query parameters."""

    widget = MultiValueWidget

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = {str(value) for value, _label in choices} if choices else None

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [item.strip() for item in value if item and item.strip()]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if self.allowed is not None:
            unknown = [item for item in value if item not in self.allowed]
            if unknown:
                raise forms.ValidationError(
                    "Unknown value(s): %(unknown)s. Choose from: %(allowed)s.",
                    code="invalid_choice",
                    params={
                        "unknown": ", ".join(unknown),
                        "allowed": ", ".join(sorted(self.allowed)),
                    },
                )


#: the largest primary key (a signed 64-bit integer, as every supported database stores it)
MAX_ID = 2**63 - 1


class MultiValueIntegerField(MultiValueField):
    """A list of integers (primary keys) from repeated or comma-separated parameters."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        items = super().to_python(value)
        try:
            ids = [int(item) for item in items]
        except ValueError as exc:
            raise forms.ValidationError("Enter whole numbers (ids).", code="invalid") from exc
        if any(not 1 <= pk <= MAX_ID for pk in ids):
            raise forms.ValidationError(f"Enter ids from 1 to {MAX_ID}.", code="invalid")
        return ids


def document_filter(filter_: django_filters.Filter, schema: dict[str, Any]) -> None:
    """Describe ``filter_`` in the OpenAPI schema: its JSON schema, with its label."""
    label = filter_.extra.get("label") or filter_.label
    set_override(filter_, "field", {**schema, **({"description": str(label)} if label else {})})


class MultiValueCharFilter(django_filters.Filter):
    """One or more strings; OR-ed. Filter through ``field_name`` + ``__in`` or a ``method``."""

    field_class = MultiValueField
    item_schema: ClassVar[dict[str, Any]] = {"type": "string"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)
        items = dict(self.item_schema)
        if kwargs.get("choices"):
            items["enum"] = [str(value) for value, _label in kwargs["choices"]]
        document_filter(self, {"type": "array", "items": items})


class MultiValueNumberFilter(MultiValueCharFilter):
    """One or more primary keys; OR-ed."""

    field_class = MultiValueIntegerField
    item_schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class StrictBooleanField(forms.Field):
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``); anything else is an error.

    django-filter's own boolean field reads an unknown value as "not given", which would make a
    typo silently widen the result.
    """

    widget = forms.TextInput
    TRUE = frozenset({"true", "1", "yes", "on"})
    FALSE = frozenset({"false", "0", "no", "off"})

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document_filter(self, {"type": "boolean"})


_PARTIAL_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")


def partial_date_bounds(text: str) -> tuple[date, date]:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (EDTF's plain dates)."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(text)
    year = int(match["y"])
    if match["m"] is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(match["m"])
    if match["d"] is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(year, month, int(match["d"]))
    return day, day


class PartialDateField(forms.CharField):
    """A date at the precision given (year, month or day), cleaned to its first and last day."""

    def to_python(self, value: Any) -> tuple[date, date] | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return partial_date_bounds(text)
        except ValueError as exc:
            raise forms.ValidationError(
                "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 1956 or 1956-10-19).",
                code="invalid",
            ) from exc


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document_filter(
            self,
            {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "1956-10"},
        )


def date_overlap_q(
    first: date | None, last: date | None, prefix: str = "", *, by_span: bool = False
) -> Q:
    """Records whose [date_start, date_end] overlaps [first, last].

    An open end (NULL) reaches infinitely far that way, as the EDTF interval ``1955/..`` does;
    a record with no date at all never matches a date filter.

    ``by_span`` (a period with both ends, on a model with an index on :class:`DateSpanClass`)
    gives the same records as one condition per class of span (:func:`overlap_by_span`).
    """
    if by_span and first is not None and last is not None:
        parts = overlap_by_span(first, last, prefix)
        return functools.reduce(operator.or_, parts)
    start, end = f"{prefix}date_start", f"{prefix}date_end"
    condition = Q(**{f"{start}__isnull": False}) | Q(**{f"{end}__isnull": False})
    if first is not None:
        condition &= Q(**{f"{end}__gte": first}) | Q(**{f"{end}__isnull": True})
    if last is not None:
        condition &= Q(**{f"{start}__lte": last}) | Q(**{f"{start}__isnull": True})
    return condition


def overlap_by_span(first: date, last: date, prefix: str = "") -> list[Q]:
    """:func:`date_overlap_q` of a period with both ends, one condition per class of span
    (:class:`DateSpanClass`): each of :data:`DATE_SPAN_CLASSES` bounds the start on both sides,
    which an index on the class and the start reads as a range; open or longer spans are tested
    as :func:`date_overlap_q` tests every record."""
    start, end = f"{prefix}date_start", f"{prefix}date_end"
    span = DateSpanClass(prefix)
    parts = []
    for number, days in DATE_SPAN_CLASSES.items():
        earliest = first - timedelta(days=days) if first.toordinal() > days else date.min
        near = {f"{start}__gte": earliest, f"{start}__lte": last, f"{end}__gte": first}
        parts.append(Q(Exact(span, number), **near))
    return [*parts, Q(Exact(span, OPEN_SPAN), date_overlap_q(first, last, prefix))]


def earliest_start(rows: QuerySet, first: date, last: date) -> date | None:
    """The earliest ``date_start`` among ``rows`` that overlap the period, read class of span
    by class (:func:`overlap_by_span`), each the first of a range of an index on the class and
    the start: one ``MIN()`` over them all is walked along an index on the start alone, from
    the earliest record on (at a million documents, 0.5–0.9 s for the year 1956)."""
    starts = [
        rows.filter(part, date_start__isnull=False)
        .order_by("date_start")
        .values_list("date_start", flat=True)
        .first()
        for part in overlap_by_span(first, last)
    ]
    return min((start for start in starts if start is not None), default=None)


class DateFilterMixin:
    """``date_from``, ``date_to``, ``year`` and ``decade`` methods over date_start/date_end."""

    form: forms.Form

    def overlapping(self, first: date | None, last: date | None) -> Q:
        """The records whose dates overlap the period (either end may be open)."""
        return date_overlap_q(first, last)

    def filter_date_from(self, queryset: QuerySet, name: str, value: tuple[date, date]) -> QuerySet:
        # with ``date_to``, one period with both ends, which an index can bound on both sides
        until = self.form.cleaned_data.get("date_to")
        return queryset.filter(self.overlapping(value[0], until[1] if until else None))

    def filter_date_to(self, queryset: QuerySet, name: str, value: tuple[date, date]) -> QuerySet:
        if self.form.cleaned_data.get("date_from"):
            return queryset  # the period's end is applied with its start
        return queryset.filter(self.overlapping(None, value[1]))

    def filter_year(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        year = int(value)
        return queryset.filter(self.overlapping(date(year, 1, 1), date(year, 12, 31)))

    def filter_decade(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        decade = int(value)
        return queryset.filter(self.overlapping(date(decade, 1, 1), date(decade + 9, 12, 31)))


def year_filter(label: str = "Year (records whose dates overlap it)") -> django_filters.Filter:
    year = django_filters.NumberFilter(
        method="filter_year", label=label, min_value=1, max_value=9999, decimal_places=0
    )
    document_filter(year, {"type": "integer", "minimum": 1, "maximum": 9999})
    return year


def decade_filter() -> django_filters.Filter:
    decade = django_filters.NumberFilter(
        method="filter_decade",
        label="Decade, by its first year (1950 for 1950–1959)",
        min_value=0,
        max_value=9990,
        step_size=10,
        decimal_places=0,
    )
    document_filter(decade, {"type": "integer", "minimum": 0, "maximum": 9990, "multipleOf": 10})
    return decade


# ---------------------------------------------------------------------------------------------
# Sort orders and facets


@dataclass(frozen=True)
class Ordering:
    """A sort order: ``(name, expression)`` keys, the last one unique; ``-`` for descending.

    Keys are annotated under their names (``sort_date``), so a keyset paginator can read each
    row's position from the instance and compare it in SQL.
    """

    label: str
    keys: tuple[tuple[str, Expression | F], ...]
    descending: bool = False

    def apply(self, queryset: QuerySet) -> QuerySet:
        annotations = {name: expr for name, expr in self.keys if not isinstance(expr, F)}
        sign = "-" if self.descending else ""
        names = [name if name in annotations else expr.name for name, expr in self.keys]
        return queryset.annotate(**annotations).order_by(*(sign + name for name in names))


def date_ordering(label: str, *, descending: bool = False, title_field: str = "title") -> Ordering:
    """By earliest date, then title and id; undated records last in either direction."""
    return Ordering(
        label,
        (
            ("sort_date", sort_date(descending=descending)),
            (title_field, F(title_field)),
            ("id", F("id")),
        ),
        descending,
    )


def field_ordering(label: str, *names: str, descending: bool = False) -> Ordering:
    """By non-null model fields, then id."""
    return Ordering(label, tuple((name, F(name)) for name in (*names, "id")), descending)


@dataclass(frozen=True)
class Facet:
    """A facet: the value and label paths to group by, and the parameters it ignores.

    ``restrict`` limits the rows joined for the values (a public related record only), so a
    facet never shows the name of something the public may not see. Without a ``label`` path,
    ``display`` turns a value into its human label (a choice's name, a country, "1950s").
    """

    value: str
    label: str | None = None
    excludes: tuple[str, ...] = ()
    restrict: Q = field(default_factory=Q)
    annotate: dict[str, Expression] = field(default_factory=dict)
    display: Callable[[Any], str] | None = None
    #: counts the filtered rows itself, for a facet no single grouping expresses: takes the
    #: rows, returns ``{value, label, count}`` rows (one query, largest counts first)
    counter: Callable[[QuerySet, int], Any] | None = None
    #: with a ``counter``, each record's values: takes the rows, returns ``(pk, value, label)``
    #: for every value of every row (``label`` ``None`` where ``display`` gives it), from which
    #: the unfiltered counts are kept as records change (:mod:`archive.facet_tallies`)
    members: Callable[[QuerySet], Iterable[tuple[int, Any, Any]]] | None = None
    #: whether a record can meet the same value twice on the way (an agent in two roles), so
    #: records must be counted DISTINCT; ``False`` for a unique pair (a many-to-many table).
    #: By default: only when the path crosses a many-valued relation
    distinct: bool | None = None
    #: whether the facet has thousands of values (a collection tree's units), which keeps it
    #: out of a search's shared pass (:func:`archive.facets._shared_passes` says why)
    many_values: bool = False

    def counts_distinct(self, model: type[Model]) -> bool:
        """Whether counting needs ``COUNT(DISTINCT id)``: a plain ``COUNT(*)`` is much cheaper
        and right whenever each record meets each value at most once."""
        if self.distinct is not None:
            return self.distinct
        return _crosses_many(model, self.value)

    def single_valued(self, model: type[Model]) -> bool:
        """Whether a record has at most one value of this facet: no counter, and no path of
        the value, label, restriction or annotations crosses a many-valued relation. Such
        facets can be counted side by side from one row per record
        (:func:`archive.facets.facet_counts` does)."""
        if self.counter is not None:
            return False
        paths = [self.value, *([self.label] if self.label else []), *_paths(self.restrict)]
        for expression in self.annotate.values():
            paths += _paths(expression)
        return not any(_crosses_many(model, path) for path in paths)

    def label_for(self, value: Any, label: Any = None) -> str:
        """A value's label: read from ``label``'s path, or given by a ``counter`` with the
        value (``members``), or made by ``display``, or the value itself."""
        if self.label or (self.counter is not None and label is not None):
            return str(label)
        if self.display is not None:
            return str(self.display(value))
        return str(value)


def _crosses_many(model: type[Model], path: str) -> bool:
    """Whether the lookup ``path`` from ``model`` crosses a many-valued relation."""
    for part in path.split("__")[:-1]:
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:  # an annotation or a lookup: a value of the record itself
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:  # a column, then transforms and lookups
            return False
        model = field.related_model
    return False


def _paths(node: Any) -> list[str]:
    """The field paths a ``Q`` or an expression refers to (lookups included)."""
    if isinstance(node, Q):
        return [
            path
            for child in node.children
            for path in (_paths(child) if isinstance(child, Q) else [child[0], *_paths(child[1])])
        ]
    if isinstance(node, F):
        return [node.name]
    if hasattr(node, "get_source_expressions"):
        return [path for source in node.get_source_expressions() for path in _paths(source)]
    return []


def choice_label(choices: Any) -> Callable[[Any], str]:
    """``display`` for a facet over a ``TextChoices`` field: the member's label."""
    labels = dict(choices.choices)
    return lambda value: labels.get(value, value)


class Year(ExtractYear):
    """The year of a date field, as ``ExtractYear``, but computed by SQLite itself.

    SQLite keeps a date as ``YYYY-MM-DD`` text, and Django's ``ExtractYear`` there calls a
    Python function for every row, which makes a year or decade facet over a large table
    many times slower than the grouping itself; the year is the text's first four characters.
    """

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


def decade_of(field_name: str) -> Expression:
    """The decade of a date field as an integer (1956 → 1950) on every backend: the year minus
    its last digit, cast back to an integer (PostgreSQL's ``EXTRACT`` and ``MOD`` give numerics,
    which would read 1950.0)."""
    year = Year(field_name)
    return Cast(year - Mod(year, 10), IntegerField())


def decade_label(value: Any) -> str:
    return f"{value}s"


def yes_no_label(value: Any) -> str:
    from django.utils.translation import gettext

    return gettext("Yes") if value else gettext("No")


def country_label(code: Any) -> str:
    """The name of an ISO 3166-1 (or withdrawn 3166-3) alpha-2 code, in the active language."""
    import gettext as gettext_module

    import pycountry
    from django.utils.translation import get_language

    country = pycountry.countries.get(alpha_2=code) or pycountry.historic_countries.get(
        alpha_2=code
    )
    if country is None:
        return str(code)
    name = getattr(country, "common_name", None) or country.name.split(",")[0]
    language = (get_language() or "en").split("-")[0]
    if language == "en":
        return name
    try:
        catalog = gettext_module.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
        )
    except OSError:
        return name
    return catalog.gettext(name)


#: characters refused in any filter parameter
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _RefusedValue(forms.Field):
    """Stands in for a parameter whose raw value no database may be asked about."""

    widget = forms.MultipleHiddenInput

    def __init__(self, problem: str) -> None:
        super().__init__(required=False)
        self.problem = problem

    def clean(self, value: Any) -> Any:
        raise forms.ValidationError(self.problem)


class KirokuFilterForm(forms.Form):
    """Refuses control characters in any filter parameter before a field looks a value up
    (PostgreSQL cannot even compare a text containing NUL), naming the parameter."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        if not data:
            return
        for name in list(self.fields):
            values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            if any(isinstance(v, str) and _CONTROL.search(v) for v in values):
                self.fields[name] = _RefusedValue("Control characters are not allowed.")


#: each FilterSet class's form class (see ``KirokuFilterSet.get_form_class``)
_form_classes: dict[type[django_filters.FilterSet], type[forms.Form]] = {}


def per_request[T](request: Any, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``request`` for each ``key`` (each time if there is no request):
    what the filters read about their values, shared by the FilterSet of each facet counted
    under the same filter."""
    if request is None:
        return compute()
    memo = request.__dict__.setdefault("_filter_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def keys_of(rows: QuerySet, request: Any = None) -> list[Any]:
    """The primary keys of ``rows``, read now, for a filter on a relation to be given them.

    A filter through a subquery (``subject__identifier__in=...``) is planned before the
    subquery runs, from the average value: PostgreSQL expects a subject of twelve documents
    and one of 250,000 to have the same three hundred, and plans both pages alike (a walk
    of the whole sort index for the first, 5.5 s; a quarter of a million links gathered and
    de-duplicated for the second). Given the keys, it plans each from its own statistics.
    They are read once per ``request`` (:func:`per_request`), as are the kept counts' look-ups
    of the same value (``facet_tallies.scope_of``). Rows that can match nothing (``pk__in=[]``)
    have no statement, and no keys.
    """
    try:
        statement = str(rows.query)
    except EmptyResultSet:
        return []
    return per_request(
        request,
        f"keys {rows.model._meta.label} {statement}",
        lambda: list(rows.order_by().values_list("pk", flat=True)),
    )


class KirokuFilterSet(django_filters.FilterSet):
    """Base FilterSet: ``q`` through ``search()``, an ordering allow-list, facet definitions."""

    #: the allow-listed sort orders, by the value of the ``ordering`` parameter
    orderings: ClassVar[dict[str, Ordering]] = {}
    default_ordering: ClassVar[str] = ""
    #: facets by name (see :mod:`archive.facets`)
    facets: ClassVar[dict[str, Facet]] = {}
    #: facets whose filter, given one value, selects exactly the records that have that value
    #: (the filter's parameter is the facet's name): their counts under a filter by a value
    #: many records have are kept (:mod:`archive.facet_tallies`, "scopes")
    scoped_facets: ClassVar[tuple[str, ...]] = ()
    #: fields searched by the default ``search()`` (icontains on each, OR-ed) when the model
    #: is not in the search index
    search_fields: ClassVar[tuple[str, ...]] = ()
    #: the model's kind in the full-text index (:mod:`archive.search`), if it has one
    search_kind: ClassVar[str] = ""

    q = django_filters.CharFilter(method="search", label="Search")

    def get_form_class(self) -> type[forms.Form]:
        """The parameters' form class, made once per FilterSet class.

        django-filter makes one per FilterSet, so per request, from a form field per filter;
        those depend on the class alone here (no filter's field is made from the request), so
        one class serves, and each form copies its fields as any Django form does.
        """
        form_class = _form_classes.get(type(self))
        if form_class is None:
            made = super().get_form_class()
            form_class = type(made.__name__, (KirokuFilterForm, made), {})
            _form_classes[type(self)] = form_class
        return form_class

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Full text through the search backend (any script, case and diacritics folded,
        quoted phrases), or ``icontains`` on ``search_fields`` for models outside the index."""
        value = value.strip()
        if not value:
            return queryset
        if self.search_kind:
            return queryset.filter(pk__in=search_backend.matching_ids(value, self.search_kind))
        condition = Q()
        for field_name in self.search_fields:
            condition |= Q(**{f"{field_name}__icontains": value})
        return queryset.filter(condition)

    @classmethod
    def searches_full_text(cls, data: Mapping[str, Any]) -> bool:
        """Whether ``data`` (parameters or cleaned data) asks for a full-text search: a ``q``
        with more than whitespace, on a FilterSet whose records are in the search index."""
        return bool(cls.search_kind and (data.get("q") or "").strip())

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)

    def keys_of(self, rows: QuerySet) -> list[Any]:
        """The primary keys of ``rows``, read now, for a filter on a relation to be given them
        (:func:`keys_of`)."""
        return keys_of(rows, self.request)

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """A filter whose value is read elsewhere (``ordering``): leave the rows as they are."""
        return queryset

    def filter_records(self, queryset: QuerySet | None = None) -> QuerySet:
        """The filtered rows, unordered (facets group these)."""
        return super().filter_queryset(self.queryset if queryset is None else queryset)

    def ordering_key(self) -> str:
        """The sort order in force: the one asked for, else relevance under a search, else the
        default. Relevance without a search falls back to the default."""
        key = self.form.cleaned_data.get("ordering") or ""
        searching = self.searches_full_text(self.form.cleaned_data)
        if key == RELEVANCE or (not key and searching):
            return RELEVANCE if searching else self.default_ordering
        return key or self.default_ordering

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = self.filter_records(queryset)
        if not self.orderings:
            return queryset
        key = self.ordering_key()
        if key == RELEVANCE:
            query = search_backend.parse_query(self.form.cleaned_data["q"].strip())
            if not query:  # nothing searchable (only punctuation): no rows, and no rank
                return queryset.none().order_by("id")
            ranked = search_backend.with_relevance(queryset, query, self.search_kind)
            return ranked.order_by("-search_rank", "id")
        return self.orderings[key].apply(queryset)

    @classmethod
    def ordering_choices(cls) -> list[tuple[str, str]]:
        choices = [(key, ordering.label) for key, ordering in cls.orderings.items()]
        if cls.search_kind:
            choices.append((RELEVANCE, RELEVANCE_LABEL))
        return choices


#: the ``ordering`` value that ranks by search relevance (see ``KirokuFilterSet.ordering_key``)
RELEVANCE = "relevance"
RELEVANCE_LABEL = "Relevance (with a search)"


def ordering_filter(
    orderings: dict[str, Ordering], *, relevance: bool = False
) -> django_filters.ChoiceFilter:
    """The ``ordering`` parameter, limited to ``orderings`` (and ``relevance`` for models in
    the search index); applied by ``filter_queryset``."""
    choices = [(key, ordering.label) for key, ordering in orderings.items()]
    if relevance:
        choices.append((RELEVANCE, RELEVANCE_LABEL))
    return django_filters.ChoiceFilter(
        choices=choices, method="keep", label="Sort order", empty_label=None
    )


def in_subtree_q(
    identifiers: list[str], user: Any = None, prefix: str = "", request: Any = None
) -> Q:
    """Rows in the collections named by ``identifiers`` or any unit below them (tree_path).

    Only units ``user`` may see count, so a hidden unit's identifier finds nothing.

    Rows of another model (``prefix`` names their relation to the unit, ``collection__``) are
    given the units' keys, read first: joined to the units and tested by path, a unit's
    documents were found by reading every document (SQLite cannot read a case-insensitive
    ``LIKE`` from an index on the path, and started from the documents), 39 s for the page of
    a unit of 181 documents among a million, 41 s for a fonds of 100,000. The paths and the
    keys are read once per ``request`` (:func:`per_request`), for the page and each facet.
    """
    named = Collection.objects.visible_to(user).filter(identifier__in=identifiers)
    paths = per_request(
        request,
        f"paths {sorted(identifiers)} {getattr(user, 'pk', None)}",
        lambda: list(named.values_list("tree_path", flat=True)),
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(tree_path__startswith=path)
    if not prefix:
        return condition
    units = keys_of(Collection.objects.filter(condition), request)
    return Q(**{f"{prefix.removesuffix('__')}__in": units})


# ---------------------------------------------------------------------------------------------
# Holdings


REPOSITORY_ORDERINGS = {
    "name": field_ordering("Name", "name"),
    "-name": field_ordering("Name (Z–A)", "name", descending=True),
    "identifier": field_ordering("Identifier", "identifier"),
}


class RepositoryFilterSet(KirokuFilterSet):
    search_fields = ("name", "short_name", "name_original", "location")
    orderings = REPOSITORY_ORDERINGS
    default_ordering = "name"
    facets = {
        "kind": Facet("kind", excludes=("kind",), display=choice_label(RepositoryKind)),
        "country": Facet("country", excludes=("country",), display=country_label),
    }

    kind = MultiValueCharFilter(field_name="kind", label="Kind", choices=RepositoryKind.choices)
    country = MultiValueCharFilter(field_name="country", label="Country (ISO 3166-1)")
    ordering = ordering_filter(REPOSITORY_ORDERINGS)

    class Meta:
        model = Repository
        fields: list[str] = []


COLLECTION_ORDERINGS = {
    "tree": field_ordering("Arrangement", "tree_path"),
    "title": field_ordering("Title", "title"),
    "-title": field_ordering("Title (Z–A)", "title", descending=True),
    "date": date_ordering("Date"),
    "-date": date_ordering("Date (latest first)", descending=True),
    "identifier": field_ordering("Identifier", "identifier"),
}


class CollectionFilterSet(DateFilterMixin, KirokuFilterSet):
    search_kind = "collection"
    orderings = COLLECTION_ORDERINGS
    default_ordering = "tree"
    facets = {
        "repository": Facet(
            "repository__identifier",
            "repository__name",
            excludes=("repository", "repository_id"),
            restrict=Repository.public_q("repository__"),
        ),
        "level": Facet("level__code", "level__name", excludes=("level",)),
    }

    repository = MultiValueCharFilter(
        field_name="repository__identifier", label="Repository (identifier)"
    )
    repository_id = MultiValueNumberFilter(field_name="repository_id", label="Repository (id)")
    parent = MultiValueCharFilter(field_name="parent__identifier", label="Parent unit (identifier)")
    within = MultiValueCharFilter(
        method="filter_within", label="The unit and every unit below it (identifier)"
    )
    level = MultiValueCharFilter(field_name="level__code", label="Level (code)")
    top = StrictBooleanFilter(method="filter_top", label="Top-level units only")
    date_from = PartialDateFilter(method="filter_date_from", label="Dates overlap from")
    date_to = PartialDateFilter(method="filter_date_to", label="Dates overlap until")
    ordering = ordering_filter(COLLECTION_ORDERINGS, relevance=True)

    class Meta:
        model = Collection
        fields: list[str] = []

    def filter_within(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(in_subtree_q(value, self.user, request=self.request))

    def filter_top(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(parent__isnull=value)
