"""Building blocks shared by every app: publication state, visibility, identifiers and dates.

Visibility is decided in one place. Each publishable model answers ``public_q(prefix)``: the
``Q`` that selects the rows the public may see, optionally through a relation prefix, so that a
query on documents can also ask "and its collection is public" without repeating the rule. The
queryset method ``public()`` applies it, and every public path (pages, search, facets, API,
harvesting, exports) goes through that method.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import DateField, Expression, F, Func, IntegerField, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from archive.dates import DateError, date_bounds, format_date, normalize_date


class PublicationStatus(models.TextChoices):
    """Where a record is in the editorial workflow."""

    DRAFT = "draft", "Draft"  # being written; only curators see it
    REVIEW = "review", "In review"  # submitted by a contributor, awaiting a reviewer
    PUBLISHED = "published", "Published"  # public, unless also restricted
    WITHDRAWN = "withdrawn", "Withdrawn"  # was public; now a tombstone, never reused


identifier_validator = RegexValidator(
    r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$",
    "Use lower-case letters, digits and single hyphens or dots (for example “rgani-52-1-596”).",
)


def sees_everything(user: Any) -> bool:
    """Whether ``user`` sees unpublished and restricted records too: curators (staff) do."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def listed(relation: str) -> str:
    """The attribute a record's ``relation`` is prefetched into as a plain list
    (:func:`prefetch_listed`)."""
    return f"{relation}_list"


def prefetch_listed(relation: str) -> Prefetch:
    """Prefetch ``relation`` as a plain list (:func:`listed`): Django then makes no related
    manager and queryset per record to hold the rows, nor again to read them."""
    return Prefetch(relation, to_attr=listed(relation))


def related_records(record: models.Model, relation: str) -> Iterable[Any]:
    """The records of ``record``'s many-valued ``relation``, from the list
    :func:`prefetch_listed` left if it ran, else from the relation itself."""
    prefetched = getattr(record, listed(relation), None)
    return getattr(record, relation).all() if prefetched is None else prefetched


class PublishableQuerySet(models.QuerySet):
    """Querysets of publishable records, with the one visibility rule."""

    def public(self) -> Self:
        """Only the records the public may see."""
        return self.filter(self.model.public_q())

    def visible_to(self, user: Any) -> Self:
        """Everything for curators (staff), public records for everyone else."""
        if sees_everything(user):
            return self.all()
        return self.public()


class IdentifiedManager(models.Manager.from_queryset(PublishableQuerySet)):
    """Manager for records with a stable public ``identifier`` (their natural key)."""

    def get_by_natural_key(self, identifier: str) -> models.Model:
        return self.get(identifier=identifier)


class Publishable(models.Model):
    """A record with an editorial status, a restricted flag and a version for safe editing."""

    status = models.CharField(
        "publication status",
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    restricted = models.BooleanField(
        "restricted",
        default=False,
        help_text="Restricted records stay hidden from the public even when published.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("last modified", auto_now=True)
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Increases with every save; a save based on an older version is refused.",
    )

    objects = PublishableQuerySet.as_manager()
    # every change to every publishable record, with who and when (django-simple-history)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        """The condition for public visibility, optionally through the relation ``prefix``."""
        return Q(**{f"{prefix}status": PublicationStatus.PUBLISHED, f"{prefix}restricted": False})

    @staticmethod
    def public_state(status: str, restricted: bool) -> bool:
        """:meth:`public_q` of the base class in Python: whether a record in this state is
        public by its own state (for rows read by key, see ``archive.search.indexing``)."""
        return status == PublicationStatus.PUBLISHED and not restricted

    @property
    def is_public(self) -> bool:
        return self.public_state(self.status, self.restricted)


class IdentifiedModel(Publishable):
    """A publishable record with a stable, human-readable public identifier."""

    identifier = models.CharField(
        "identifier",
        max_length=120,
        unique=True,
        validators=[identifier_validator],
        help_text="Stable public identifier used in URLs and by partners; never reused.",
    )

    objects = IdentifiedManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple[str]:
        return (self.identifier,)


class DatedModel(models.Model):
    """A record with a date statement kept in EDTF and derived, indexed bounds.

    ``date_edtf`` holds what the curator stated; ``date_start`` and ``date_end`` are the
    earliest and latest days it allows, derived on every save (see ``archive.signals``) so that
    filters, facets and sorting use plain indexed date columns.
    """

    date_edtf = models.CharField(
        "date",
        max_length=100,
        blank=True,
        help_text=(
            "EDTF (1956-10-19, 1956-09-03/1956-09-12, 1956~, 1955/..) or a Japanese era "
            "date (Showa 31, 昭和31年10月19日), converted on save."
        ),
    )
    date_start = models.DateField("earliest date", null=True, blank=True, editable=False)
    date_end = models.DateField("latest date", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        try:
            self.date_edtf = normalize_date(self.date_edtf)
        except DateError as exc:
            raise ValidationError({"date_edtf": str(exc)}) from exc

    def derive_fields(self) -> None:
        """Normalise the statement and derive the bounds (called before every save)."""
        self.date_edtf = normalize_date(self.date_edtf)
        self.date_start, self.date_end = date_bounds(self.date_edtf)

    def uses_japanese_era(self) -> bool:
        """Whether readers expect Japanese era years beside Gregorian ones."""
        return False

    @property
    def date_display(self) -> str:
        return format_date(self.date_edtf, japanese_era=self.uses_japanese_era())


FAR_PAST = date(1, 1, 1)
FAR_FUTURE = date(9999, 12, 31)


class DateConstant(Value):
    """A constant date written into the statement itself rather than passed as a parameter.

    A sort on ``COALESCE(date_start, <date>)`` can read an index on that very expression only
    when the statement spells it as the index does: SQLite never matches a bound parameter to
    an index's literal, and sorts the whole table instead. The value is a ``date`` (digits and
    dashes), so writing it out is safe.
    """

    def __init__(self, value: date) -> None:
        if type(value) is not date:
            raise TypeError("DateConstant takes a datetime.date.")
        super().__init__(value, output_field=DateField())

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        literal = f"'{self.value.isoformat()}'"
        if connection.vendor == "postgresql":
            return f"{literal}::date", []
        return literal, []


def sort_date(field_name: str = "date_start", *, descending: bool = False) -> Expression:
    """The date a record sorts by: its earliest date; undated records last either way.

    ``Document`` has an index on each direction's expression (``document_public_by_date``).
    """
    return Coalesce(
        field_name, DateConstant(FAR_PAST if descending else FAR_FUTURE), output_field=DateField()
    )


#: the classes of a record's span of dates (``date_end`` less ``date_start``), by the most days
#: each takes: a day, a month or a year; up to a decade; up to a century (see
#: :class:`DateSpanClass`)
DATE_SPAN_CLASSES: dict[int, int] = {1: 366, 2: 3653, 3: 36525}
#: the class of a longer span, or of an open one (one end NULL)
OPEN_SPAN = 9


class DateSpanClass(Func):
    """Which of :data:`DATE_SPAN_CLASSES` a record's dates span (:data:`OPEN_SPAN` if none, or
    one end is open; NULL if undated): the key of an index that lets a filter by a period read
    only the records that start near it (``archive.filters.date_overlap_q``).

    A record overlaps a period when it starts before the period ends and ends after it begins;
    an index on the start alone reads every record that starts before the end (at a million
    documents, 550,000 for the year 1956, to find 17,000). A record of a class of at most
    ``n`` days that overlaps the period starts at most ``n`` days before it, so within each
    class the start is bounded on both sides. The limits are written into the statement, as
    :class:`DateConstant` writes its date, so the filter's expression is the index's.
    """

    output_field = IntegerField()

    def __init__(self, prefix: str = "") -> None:
        super().__init__(F(f"{prefix}date_start"), F(f"{prefix}date_end"))

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        # two columns (no parameters), each named several times
        start, end = (compiler.compile(column)[0] for column in self.get_source_expressions())
        # PostgreSQL subtracts dates in days; SQLite keeps them as ISO text
        days = (
            f"({end} - {start})"
            if connection.vendor == "postgresql"
            else f"(julianday({end}) - julianday({start}))"
        )
        classes = " ".join(
            f"WHEN {days} <= {limit} THEN {number}" for number, limit in DATE_SPAN_CLASSES.items()
        )
        sql = (
            f"(CASE WHEN {start} IS NULL AND {end} IS NULL THEN NULL"
            f" WHEN {start} IS NULL OR {end} IS NULL THEN {OPEN_SPAN}"
            f" {classes} ELSE {OPEN_SPAN} END)"
        )
        return sql, []


class CodeManager(models.Manager):
    """Manager for vocabularies whose natural key is a ``code``."""

    def get_by_natural_key(self, code: str) -> models.Model:
        return self.get(code=code)


class Language(models.Model):
    """A language, by its ISO 639 code (BCP 47 primary subtag)."""

    code = models.CharField("code", max_length=12, unique=True, help_text="ISO 639-1 or -3")
    name = models.CharField("name", max_length=100)
    native_name = models.CharField("native name", max_length=100, blank=True)

    objects = CodeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)
