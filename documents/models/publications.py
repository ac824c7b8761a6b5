"""Published scholarship and editions, and the notes in them that cite sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive.models import DatedModel, IdentifiedModel


class PublicationKind(models.TextChoices):
    """The bibliographic type of a publication (maps to CSL types)."""

    ARTICLE = "article", "Journal article"
    CHAPTER = "chapter", "Book chapter"
    BOOK = "book", "Book"
    EDITION = "edition", "Documentary edition"  # a published compilation of documents
    NEWSPAPER = "newspaper", "Newspaper or magazine item"
    WEBPAGE = "webpage", "Web page"
    SPEECH = "speech", "Speech"
    TREATY_SERIES = "treaty", "Treaty collection entry"
    OTHER = "other", "Other"


class Publication(IdentifiedModel, DatedModel):
    """A published work: an article, a chapter, a book, a newspaper issue, a documentary edition.

    Works the archive holds in full (an article with its abstract and references) and works
    that are only cited (a memoir in a footnote) are both publications; the first kind simply
    has more fields filled.
    """

    kind = models.CharField("kind", max_length=12, choices=PublicationKind.choices)
    title = models.CharField("title", max_length=500)
    title_translated = models.CharField("title translated", max_length=500, blank=True)
    title_transliterated = models.CharField("title transliterated", max_length=500, blank=True)
    container_title = models.CharField("in (journal, book or series)", max_length=500, blank=True)
    container = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="part of",
        help_text="The book or edition this chapter or item belongs to, when described here.",
    )
    editors = models.CharField("editors (as printed)", max_length=300, blank=True)
    publisher = models.CharField("publisher", max_length=300, blank=True)
    publication_place = models.CharField("place of publication", max_length=200, blank=True)
    volume = models.CharField("volume", max_length=40, blank=True)
    issue = models.CharField("issue", max_length=40, blank=True)
    pages = models.CharField("pages", max_length=40, blank=True)
    chapter_number = models.CharField("chapter / part", max_length=40, blank=True)
    issn_print = models.CharField("ISSN (print)", max_length=9, blank=True)
    issn_online = models.CharField("ISSN (online)", max_length=9, blank=True)
    isbn = models.CharField("ISBN", max_length=17, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    url = models.URLField("URL", blank=True)
    language = models.ForeignKey(
        "archive.Language",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="language",
    )
    license = models.CharField("licence", max_length=200, blank=True)
    license_url = models.URLField("licence URL", blank=True)
    abstract = models.TextField("abstract", blank=True)
    citation_text = models.TextField(
        "citation as printed", blank=True, help_text="The work's own suggested citation."
    )

    class Meta:
        ordering = ["date_start", "title"]
        indexes = [
            models.Index(fields=["kind", "date_start"], name="publication_kind_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:publication", args=[self.identifier])

    def clean(self) -> None:
        super().clean()
        for field in ("issn_print", "issn_online"):
            value = getattr(self, field)
            if value and not _valid_issn(value):
                raise ValidationError({field: f"“{value}” is not a valid ISSN (check digit)."})


def _valid_issn(value: str) -> bool:
    digits = value.replace("-", "").upper()
    if len(digits) != 8 or not digits[:7].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))


class CreatorRole(models.TextChoices):
    """A contributor's part in a publication."""

    AUTHOR = "author", "author"
    EDITOR = "editor", "editor"
    TRANSLATOR = "translator", "translator"
    COMPILER = "compiler", "compiler"


class PublicationCreatorManager(models.Manager):
    def get_by_natural_key(self, publication: str, agent: str, role: str) -> PublicationCreator:
        return self.get(publication__identifier=publication, agent__identifier=agent, role=role)


class PublicationCreator(models.Model):
    """An agent's part in a publication, in byline order, with the affiliation printed."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="creators", verbose_name="publication"
    )
    agent = models.ForeignKey(
        "people.Agent",
        on_delete=models.PROTECT,
        related_name="publication_roles",
        verbose_name="agent",
    )
    role = models.CharField("role", max_length=12, choices=CreatorRole.choices)
    order = models.PositiveSmallIntegerField("order", default=0)
    name_as_printed = models.CharField("name as printed", max_length=200, blank=True)
    affiliation = models.CharField("affiliation", max_length=500, blank=True)

    objects = PublicationCreatorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["publication", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "agent", "role"], name="publicationcreator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_as_printed or self.agent_id} ({self.role})"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.publication.identifier, self.agent.identifier, self.role)

    natural_key.dependencies = ["documents.publication", "people.agent"]


class CitationKind(models.TextChoices):
    """How a publication cites: a numbered note or an entry in its reference list."""

    NOTE = "note", "note"
    REFERENCE = "reference", "reference"


class CitationManager(models.Manager):
    def get_by_natural_key(
        self, publication: str, kind: str, number: int, part: int = 1
    ) -> Citation:
        return self.get(publication__identifier=publication, kind=kind, number=number, part=part)


class Citation(models.Model):
    """A note or reference in a publication, linked to the record it cites where we hold it.

    A note can cite several works; each is a separate citation row with the same ``number`` and
    a different ``part`` (``number`` 28, parts 1 and 2).
    """

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="citations", verbose_name="in"
    )
    kind = models.CharField("kind", max_length=10, choices=CitationKind.choices)
    number = models.PositiveSmallIntegerField("number")
    part = models.PositiveSmallIntegerField(
        "part", default=1, help_text="For notes citing several works."
    )
    label = models.CharField("label", max_length=200, blank=True, help_text='e.g. "Dulles 1951"')
    text = models.TextField("text as printed")
    pages = models.CharField("pages cited", max_length=60, blank=True)
    cited_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name="cites document",
    )
    cited_publication = models.ForeignKey(
        Publication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cited_by",
        verbose_name="cites publication",
    )

    objects = CitationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["publication", "kind", "number", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "kind", "number", "part"], name="citation_unique_number"
            ),
        ]
        indexes = [
            models.Index(fields=["cited_document"], name="citation_cited_document"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def pages_display(self) -> str:
        """The pages cited as a reader writes them: "p. 276", "pp. 116-129" ("" if none)."""
        if not self.pages:
            return ""
        several = any(mark in self.pages for mark in "-–,")
        return f"{'pp.' if several else 'p.'} {self.pages}"

    def natural_key(self) -> tuple[str, str, int, int]:
        return (self.publication.identifier, self.kind, self.number, self.part)

    natural_key.dependencies = ["documents.publication", "documents.document"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        return Publication.public_q(f"{prefix}publication__")
