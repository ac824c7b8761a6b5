"""Documents: the described items, their texts, copies, identifiers, files and relations."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from PIL import Image, UnidentifiedImageError
from simple_history.models import HistoricalRecords

from archive.models import (
    Collection,
    DatedModel,
    IdentifiedModel,
    IdentifierScheme,
    Publishable,
    PublishableQuerySet,
    ReferenceLevel,
    Repository,
)
from archive.models.base import DateSpanClass, related_records, sort_date
from archive.references import format_reference


class Document(IdentifiedModel, DatedModel):
    """A described archival item: a letter, a memorandum, a treaty, a photograph, ...

    Provenance is structured: the unit that holds the document (``collection``), the document's
    own reference segment at a level of the repository's system when it is numbered inside the
    unit, and a ``locator`` for its position (leaves, pages). :meth:`reference` writes the full
    reference in the repository's house style.
    """

    title = models.CharField("title", max_length=500)
    title_original = models.CharField("title in original language", max_length=500, blank=True)
    document_type = models.ForeignKey(
        "documents.DocumentType",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="documentary form",
    )
    place = models.ForeignKey(
        "documents.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents_created",
        verbose_name="place of creation",
    )
    languages = models.ManyToManyField(
        "archive.Language", blank=True, related_name="documents", verbose_name="languages"
    )
    summary = models.TextField("summary", blank=True)
    description = models.TextField(
        "description", blank=True, help_text="Physical or content notes."
    )
    extent = models.CharField("extent", max_length=255, blank=True)
    # Provenance
    collection = models.ForeignKey(
        Collection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="archival unit",
    )
    reference_level = models.ForeignKey(
        ReferenceLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reference level",
        help_text="The level of the document's own number inside its unit, if it has one.",
    )
    reference_segment = models.CharField(
        "reference segment",
        max_length=40,
        blank=True,
        help_text='The document\'s own number ("15").',
    )
    locator = models.CharField(
        "locator", max_length=80, blank=True, help_text='Position inside the unit ("ll. 61-66").'
    )
    provenance = models.TextField(
        "provenance", blank=True, help_text="Custodial history of this item, if not the unit's."
    )
    # Rights and credits
    rights = models.TextField("rights statement", blank=True)
    license_url = models.URLField("licence URL", blank=True)
    credit_line = models.CharField("credit line", max_length=500, blank=True)
    # Vocabularies
    subjects = models.ManyToManyField(
        "documents.Subject", blank=True, related_name="documents", verbose_name="subjects"
    )
    places = models.ManyToManyField(
        "documents.Place", blank=True, related_name="documents", verbose_name="places mentioned"
    )
    featured = models.BooleanField("featured", default=False)

    class Meta:
        ordering = ["date_start", "title"]
        indexes = [
            # browse and timeline: public records in date order
            models.Index(
                fields=["status", "restricted", "date_start"], name="document_public_date"
            ),
            # date range facets and filters
            models.Index(fields=["date_start", "date_end"], name="document_date_range"),
            # public records by period (year, decade, a from–to range): within a class of span,
            # the records that can overlap the period start near it (DateSpanClass)
            models.Index(
                F("status"),
                F("restricted"),
                DateSpanClass(),
                F("date_start"),
                F("date_end"),
                name="document_public_by_period",
            ),
            # documents of a unit (collection pages, EAD export)
            models.Index(fields=["collection", "reference_segment"], name="document_in_unit"),
            # sort by title
            models.Index(fields=["title"], name="document_title"),
            # a search's facets (archive.facets): each match's state and single-valued facet
            # columns read by key from this index, not from the document's row (SQLite, a
            # million documents, 100,000 matches: the language facet 190 to 139 ms; form,
            # repository and year, counted together, 296 to 253 ms)
            models.Index(
                fields=["id", "status", "restricted", "document_type", "collection", "date_start"],
                name="document_facet_columns",
            ),
            # the default order, total: the admin's list walks it (archive.admin_base)
            models.Index(fields=["date_start", "title", "id"], name="document_default_order"),
            # the sort orders of public records (DOCUMENT_ORDERINGS), first page, deep cursors
            # and deep numbered pages alike: the database walks an index instead of sorting the
            # table, and a page's keys are read from the index alone (an index-only scan). For
            # that PostgreSQL needs every column the query names in the index, so the date
            # orders' indexes (archive.models.base.sort_date) end with the date they coalesce:
            # page 22,503 of a million documents on PostgreSQL 570 to 105 ms
            models.Index(
                F("status"),
                F("restricted"),
                sort_date(),
                F("title"),
                F("id"),
                F("date_start"),
                name="document_public_by_date",
            ),
            models.Index(
                F("status"),
                F("restricted"),
                sort_date(descending=True).desc(),
                F("title").desc(),
                F("id").desc(),
                F("date_start"),
                name="document_public_by_date_desc",
            ),
            # walked backwards for the reverse order
            models.Index(
                fields=["status", "restricted", "title", "id"], name="document_public_by_title"
            ),
            models.Index(
                fields=["status", "restricted", "identifier", "id"],
                name="document_public_by_identifier",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_segment="") | Q(reference_level__isnull=False),
                name="document_segment_needs_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.identifier])

    def uses_japanese_era(self) -> bool:
        if self.collection_id and self.collection.repository.show_japanese_era:
            return True
        return any(language.code == "ja" for language in related_records(self, "languages"))

    @property
    def repository(self) -> Repository | None:
        return self.collection.repository if self.collection_id else None

    def reference(self) -> str:
        """The full archival reference in the holding repository's style ("" if unplaced)."""
        if not self.collection_id:
            return ""
        return format_reference(
            self.collection,
            level=self.reference_level,
            segment=self.reference_segment,
            locator=self.locator,
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.reference_segment and not self.reference_level_id:
            errors["reference_level"] = "Choose the level at which the document is numbered."
        if self.reference_level_id and not self.reference_segment:
            errors["reference_segment"] = "Give the document's number at the chosen level."
        if self.reference_level_id and not self.collection_id:
            errors["collection"] = "A numbered document must sit in an archival unit."
        if self.reference_level_id and self.collection_id:
            unit, level = self.collection, self.reference_level
            if level.repository_id != unit.repository_id:
                errors["reference_level"] = (
                    f"“{level}” is a level of another repository's reference system."
                )
            elif level.rank <= unit.level.rank:
                errors["reference_level"] = (
                    f"A document numbered at the {level} level cannot sit in a {unit.level}: "
                    f"choose a level below it."
                )
        if errors:
            raise ValidationError(errors)


class TextKind(models.TextChoices):
    """What a text of a document is."""

    ORIGINAL = "original", "Original"  # the text as written, in its own language
    TRANSCRIPT = "transcript", "Transcript"  # a transcription of a record (minutes, notes)
    TRANSLATION = "translation", "Translation"
    DRAFT = "draft", "Draft"  # a proposed wording not (yet) agreed
    AGREED = "agreed", "Agreed text"  # wording agreed in negotiation before signature
    SIGNED = "signed", "Signed text"
    EXCERPT = "excerpt", "Excerpt"  # a passage published or quoted on its own
    SUMMARY = "summary", "Summary"


class TextStage(models.TextChoices):
    """The stage of a text in the genealogy of an instrument."""

    DRAFT = "draft", "Draft"
    COUNTER_DRAFT = "counter-draft", "Counter-draft"
    AGREED = "agreed", "Agreed"
    SIGNED = "signed", "Signed"
    RATIFIED = "ratified", "Ratified"
    PUBLISHED = "published", "Published"


class TextLineage(IdentifiedModel):
    """A chain of texts of one instrument or clause, from first draft to signed text.

    Texts join a lineage with a position and a stage, so any two of them can be compared word
    by word (for example the drafts and the signed wording of Article 9 of a declaration).
    """

    title = models.CharField("title", max_length=300)
    description = models.TextField("description", blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "text genealogy"
        verbose_name_plural = "text genealogies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("genealogies:detail", args=[self.identifier])


class DocumentTextManager(models.Manager.from_queryset(PublishableQuerySet)):
    def get_by_natural_key(self, document: str, key: str) -> DocumentText:
        return self.get(document__identifier=document, key=key)


class DocumentText(Publishable, DatedModel):
    """One text of a document: the original, a transcript, a translation, a draft clause ..."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="texts", verbose_name="document"
    )
    key = models.SlugField("key", max_length=60, help_text="Unique within the document (en-1).")
    kind = models.CharField("kind", max_length=12, choices=TextKind.choices)
    language = models.ForeignKey(
        "archive.Language", on_delete=models.PROTECT, related_name="+", verbose_name="language"
    )
    label = models.CharField("label", max_length=300, blank=True)
    body = models.TextField("text")
    source = models.CharField(
        "source", max_length=500, blank=True, help_text="Where this text comes from."
    )
    side = models.ForeignKey(
        "people.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="texts_written",
        verbose_name="written by (side)",
        help_text="The party that wrote or proposed this wording.",
    )
    lineage = models.ForeignKey(
        TextLineage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="texts",
        verbose_name="text genealogy",
    )
    lineage_position = models.PositiveSmallIntegerField(
        "position in genealogy", null=True, blank=True
    )
    stage = models.CharField("stage", max_length=16, choices=TextStage.choices, blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)

    objects = DocumentTextManager()

    class Meta:
        ordering = ["document", "order", "key"]
        verbose_name = "document text"
        constraints = [
            models.UniqueConstraint(fields=["document", "key"], name="documenttext_unique_key"),
            models.UniqueConstraint(
                fields=["lineage", "lineage_position"],
                condition=Q(lineage__isnull=False),
                name="documenttext_unique_lineage_position",
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.get_kind_display()} ({self.language_id})"

    def natural_key(self) -> tuple[str, str]:
        return (*self.document.natural_key(), self.key)

    natural_key.dependencies = ["documents.document"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        return super().public_q(prefix) & Document.public_q(f"{prefix}document__")

    def clean(self) -> None:
        super().clean()
        if (self.lineage_id is None) != (self.lineage_position is None):
            raise ValidationError(
                {"lineage_position": "Give both a genealogy and a position in it, or neither."}
            )


class RelationType(models.TextChoices):
    """Typed, directed links between documents (source → target)."""

    REPLY_TO = "reply-to", "reply to"
    ENCLOSES = "encloses", "encloses"
    QUOTES = "quotes", "quotes"
    REFERS_TO = "refers-to", "refers to"
    DRAFT_OF = "draft-of", "draft of"
    TRANSLATION_OF = "translation-of", "translation of"
    PART_OF = "part-of", "part of"
    RECORD_OF = "record-of", "record of"  # minutes or notes of a meeting or of another document
    CITES = "cites", "cites"
    AMENDS = "amends", "amends"
    SUPERSEDES = "supersedes", "supersedes"


INVERSE_LABELS: dict[str, str] = {
    RelationType.REPLY_TO: "answered by",
    RelationType.ENCLOSES: "enclosed in",
    RelationType.QUOTES: "quoted in",
    RelationType.REFERS_TO: "referred to by",
    RelationType.DRAFT_OF: "has draft",
    RelationType.TRANSLATION_OF: "translated as",
    RelationType.PART_OF: "has part",
    RelationType.RECORD_OF: "recorded in",
    RelationType.CITES: "cited by",
    RelationType.AMENDS: "amended by",
    RelationType.SUPERSEDES: "superseded by",
}


class DocumentRelationManager(models.Manager):
    def get_by_natural_key(self, source: str, relation_type: str, target: str) -> DocumentRelation:
        return self.get(
            source__identifier=source, relation_type=relation_type, target__identifier=target
        )


class DocumentRelation(models.Model):
    """A typed, directed link from one document to another."""

    source = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="relations_out", verbose_name="document"
    )
    relation_type = models.CharField("relation", max_length=20, choices=RelationType.choices)
    target = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="relations_in",
        verbose_name="related document",
    )
    note = models.CharField("note", max_length=500, blank=True)

    objects = DocumentRelationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "relation_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "relation_type", "target"], name="documentrelation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="documentrelation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_type_display()} (#{self.target_id})"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.source.identifier, self.relation_type, self.target.identifier)

    natural_key.dependencies = ["documents.document"]

    @property
    def inverse_label(self) -> str:
        return INVERSE_LABELS[self.relation_type]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        return Document.public_q(f"{prefix}source__") & Document.public_q(f"{prefix}target__")

    def clean(self) -> None:
        super().clean()
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": "A document cannot be related to itself."})


class CopyKind(models.TextChoices):
    """What a copy or surrogate of a document is."""

    ORIGINAL = "original", "Original"
    DUPLICATE = "duplicate", "Duplicate original"  # e.g. a signatory's own signed copy
    COPY = "copy", "Copy"
    TRANSLATION = "translation", "Published translation"
    EDITION = "edition", "Printed edition"
    MICROFILM = "microfilm", "Microfilm"
    DIGITAL = "digital", "Digital copy"


class CopyManager(models.Manager.from_queryset(PublishableQuerySet)):
    def get_by_natural_key(self, document: str, key: str) -> Copy:
        return self.get(document__identifier=document, key=key)


class Copy(Publishable):
    """A place where a document (or a copy, edition or translation of it) is held or published."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="copies", verbose_name="document"
    )
    key = models.SlugField("key", max_length=60, help_text="Unique within the document.")
    kind = models.CharField("kind", max_length=12, choices=CopyKind.choices)
    holder = models.ForeignKey(
        Repository,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="held by",
    )
    publication = models.ForeignKey(
        "documents.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="published in",
    )
    citation = models.CharField(
        "reference", max_length=300, blank=True, help_text="As the holder or edition cites it."
    )
    language = models.ForeignKey(
        "archive.Language",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="language",
    )
    url = models.URLField("URL", blank=True)
    rights = models.TextField("rights statement", blank=True)
    date_added = models.DateField("date added by the holder", null=True, blank=True)
    note = models.TextField("note", blank=True)

    objects = CopyManager()

    class Meta:
        ordering = ["document", "key"]
        verbose_name_plural = "copies"
        constraints = [
            models.UniqueConstraint(fields=["document", "key"], name="copy_unique_key"),
            models.CheckConstraint(
                condition=Q(holder__isnull=False) | Q(publication__isnull=False),
                name="copy_has_holder_or_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.citation or self.get_kind_display()

    def natural_key(self) -> tuple[str, str]:
        return (*self.document.natural_key(), self.key)

    natural_key.dependencies = ["documents.document", "documents.publication"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        """Public copies of public documents, whose holder and edition are public too (a copy
        must not name a repository or publication the public may not see)."""
        from documents.models.publications import Publication

        return (
            super().public_q(prefix)
            & Document.public_q(f"{prefix}document__")
            & (Q(**{f"{prefix}holder__isnull": True}) | Repository.public_q(f"{prefix}holder__"))
            & (
                Q(**{f"{prefix}publication__isnull": True})
                | Publication.public_q(f"{prefix}publication__")
            )
        )

    def clean(self) -> None:
        super().clean()
        if not self.holder_id and not self.publication_id:
            raise ValidationError({"holder": "Say who holds this copy or where it is published."})


class IdentifierManager(models.Manager):
    def get_by_natural_key(self, scheme: str, value: str) -> Identifier:
        return self.get(scheme__code=scheme, value=value)


class Identifier(models.Model):
    """A typed identifier of a document, optionally of one particular copy of it."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="identifiers", verbose_name="document"
    )
    copy = models.ForeignKey(
        Copy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
        verbose_name="copy",
    )
    scheme = models.ForeignKey(
        IdentifierScheme,
        on_delete=models.PROTECT,
        related_name="identifiers",
        verbose_name="scheme",
    )
    value = models.CharField("value", max_length=200)

    objects = IdentifierManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            # one identifier value names one document: the concordance depends on it
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique_value"),
        ]
        indexes = [
            # "which document is <value>?" whatever the scheme (identifier concordance)
            models.Index(fields=["value"], name="identifier_value"),
        ]

    def __str__(self) -> str:
        return self.value

    def natural_key(self) -> tuple[str, str]:
        return (self.scheme.code, self.value)

    natural_key.dependencies = ["archive.identifierscheme", "documents.document", "documents.copy"]

    @property
    def url(self) -> str:
        return self.scheme.url_for(self.value)

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        return Document.public_q(f"{prefix}document__") & (
            Q(**{f"{prefix}copy__isnull": True}) | Copy.public_q(f"{prefix}copy__")
        )

    def clean(self) -> None:
        super().clean()
        if self.copy_id and self.document_id and self.copy.document_id != self.document_id:
            raise ValidationError({"copy": "This copy belongs to another document."})


def digital_object_path(instance: DigitalObject, filename: str) -> str:
    return f"documents/{instance.document.identifier}/{filename}"


class DigitalObjectManager(models.Manager):
    def get_by_natural_key(self, document: str, key: str) -> DigitalObject:
        return self.get(document__identifier=document, key=key)


class DigitalObject(Publishable):
    """A file that shows a document (a scan, a photograph), with a SHA-256 fixity checksum."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="digital_objects", verbose_name="document"
    )
    key = models.SlugField("key", max_length=60, help_text="Unique within the document.")
    file = models.FileField("file", upload_to=digital_object_path)
    label = models.CharField("label", max_length=200, blank=True)
    media_type = models.CharField("media type", max_length=100, blank=True)
    width = models.PositiveIntegerField("width (px)", null=True, blank=True)
    height = models.PositiveIntegerField("height (px)", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False)
    order = models.PositiveSmallIntegerField("order", default=0)

    objects = DigitalObjectManager()

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "key"], name="digitalobject_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label or self.file.name

    def natural_key(self) -> tuple[str, str]:
        return (*self.document.natural_key(), self.key)

    natural_key.dependencies = ["documents.document"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        return super().public_q(prefix) & Document.public_q(f"{prefix}document__")

    def compute_checksum(self) -> str:
        digest = hashlib.sha256()
        self.file.open("rb")
        try:
            for chunk in self.file.chunks():
                digest.update(chunk)
        finally:
            self.file.seek(0)
        return digest.hexdigest()

    def read_image_size(self) -> None:
        """Fill in the media type and pixel size of an image file where they are not given.

        IIIF canvases need the size; Pillow reads it from the file's header only. A file
        Pillow cannot read as an image is left as it is (not every object is an image).
        """
        self.file.open("rb")
        try:
            with Image.open(self.file) as image:
                width, height, mime = image.width, image.height, image.get_format_mimetype()
        except (UnidentifiedImageError, OSError):
            return
        finally:
            self.file.seek(0)
        self.media_type = self.media_type or mime or ""
        if self.width is None or self.height is None:
            self.width, self.height = width, height

    def derive_fields(self) -> None:
        """Record the checksum (and an image's size) of a newly uploaded file.

        Existing files keep theirs.
        """
        if self.file and (not self.sha256 or not getattr(self.file, "_committed", True)):
            self.sha256 = self.compute_checksum()
            if self.width is None or self.height is None or not self.media_type:
                self.read_image_size()
