"""The search index: one row per public record, holding its normalised search text.

The rows are written by :mod:`archive.search.indexing` and read by the backends in
:mod:`archive.search.backends`. The engines' own structures live beside the table and are
created by migration ``archive.0004`` for the database in use:

* SQLite: an external-content FTS5 table ``archive_searchentry_fts`` over ``title_search`` and
  ``search_text``, kept in step by triggers on this table. A later migration that alters this
  table on SQLite rebuilds it and drops the triggers; run ``rebuild_search_index`` after it
  (the command re-creates whatever is missing).
* PostgreSQL: a stored generated ``search_vector`` column (title weighted A, the rest D) with a
  GIN index, and a pg_trgm GIN index on ``search_text`` for substring matches.

Django does not know about those objects, so nothing in the ORM has to.
"""

from __future__ import annotations

from django.db import models


class SearchKind(models.TextChoices):
    """What a search entry describes (and which page a hit links to)."""

    DOCUMENT = "document", "Document"
    AGENT = "agent", "Person or organization"
    COLLECTION = "collection", "Archival unit"
    PUBLICATION = "publication", "Publication"


class SearchEntry(models.Model):
    """The searchable text of one public record.

    Only public content is ever written here (public records, and of those only their public
    parts: public texts, public agents' names in public roles), so neither a hit nor a snippet
    can reveal unpublished material whatever query is asked. ``search_text`` is what is matched
    (see :func:`archive.search.text.normalize`); ``display_text`` is the same content in its
    original form, from which snippets are cut.
    """

    kind = models.CharField("kind", max_length=12, choices=SearchKind.choices)
    object_id = models.BigIntegerField("record id")
    identifier = models.CharField("identifier", max_length=120)
    title = models.CharField("title", max_length=500)
    title_search = models.TextField("title, normalised", blank=True)
    search_text = models.TextField("search text, normalised", blank=True)
    display_text = models.TextField("searchable text, as written", blank=True)
    indexed_at = models.DateTimeField("indexed", auto_now=True)

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = "search index entry"
        verbose_name_plural = "search index entries"
        constraints = [
            # one entry per record; also the index for "the entries of these records"
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_object"),
        ]

    def __str__(self) -> str:
        return self.title


class RecordFacets(models.Model):
    """The facet values of one public record, as last counted into :class:`FacetTally`.

    Written beside the record's search entry whenever the entry is (records of the kinds whose
    facet counts are kept, :mod:`archive.facet_tallies`), so that rewriting a record can take
    its old values back out of the tallies before adding its new ones. ``values`` holds one
    ``facet<TAB>value`` line per value, the value as the tallies key it.
    """

    kind = models.CharField("kind", max_length=12, choices=SearchKind.choices)
    object_id = models.BigIntegerField("record id")
    values = models.TextField("facet values", blank=True)

    class Meta:
        verbose_name = "facet values of a record"
        verbose_name_plural = "facet values of records"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="recordfacets_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class FacetTally(models.Model):
    """How many public records of a kind have one value of one facet, kept as they change.

    The unfiltered browse page's facet counts, read instead of grouping every public record
    (:mod:`archive.facet_tallies`). The row with an empty ``facet`` and ``value`` counts the
    records themselves; it exists only while the tallies of its kind are complete, so an
    archive indexed before tallies were kept is counted the slow way until they are.

    Tallies with a ``scope`` count only the records that have one facet value (the scope, a
    ``facet<TAB>value`` line of :class:`RecordFacets`): the counts of a page filtered by that
    value, kept for values many records have. Each scope has its own marker row.
    """

    kind = models.CharField("kind", max_length=12, choices=SearchKind.choices)
    scope = models.TextField("scope (facet value)", blank=True, default="")
    facet = models.CharField("facet", max_length=40, blank=True)
    value = models.TextField("value (JSON)", blank=True)
    records = models.IntegerField("records", default=0)

    class Meta:
        verbose_name = "facet tally"
        verbose_name_plural = "facet tallies"
        constraints = [
            # the scope last: every scope's marker row is found by kind, facet and value
            models.UniqueConstraint(
                fields=["kind", "facet", "value", "scope"], name="facettally_unique_value"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "scope", "facet", "-records"], name="facettally_largest")
        ]

    def __str__(self) -> str:
        scope = f" ({self.scope})" if self.scope else ""
        return f"{self.kind}{scope} {self.facet}={self.value}: {self.records}"
