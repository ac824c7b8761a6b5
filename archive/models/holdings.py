"""Holdings: repositories, their citation conventions, and the tree of collections."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive.models.base import CodeManager, DatedModel, IdentifiedModel
from archive.references import TEMPLATE_FIELDS, template_placeholders


class RepositoryKind(models.TextChoices):
    """What sort of holder a repository is."""

    ARCHIVE = "archive", "Archive"  # holds originals under archival custody
    LIBRARY = "library", "Library"  # a library with manuscript or papers collections
    DIGITAL_ARCHIVE = "digital", "Digital archive"  # publishes copies and translations online
    EDITION = "edition", "Published edition"  # a printed or online documentary edition
    OTHER = "other", "Other"


class Repository(IdentifiedModel):
    """A holding institution, with the house style in which it wants its holdings cited.

    The citation convention is data: each :class:`ReferenceLevel` says how a level's reference
    segment is labelled and separated ("f. 52", "op. 1"; "#34", "-15"), and
    ``reference_template`` arranges the parts of a full reference. See
    :mod:`archive.references` for the placeholders.
    """

    name = models.CharField("name", max_length=255)
    short_name = models.CharField(
        "short name", max_length=80, blank=True, help_text="Abbreviation used in citations (RGANI)."
    )
    name_original = models.CharField("name in original language", max_length=255, blank=True)
    kind = models.CharField(
        "kind", max_length=12, choices=RepositoryKind.choices, default=RepositoryKind.ARCHIVE
    )
    country = models.CharField(
        "country", max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code (JP, RU, US)."
    )
    location = models.CharField("location", max_length=255, blank=True)
    url = models.URLField("website", blank=True)
    description = models.TextField("description", blank=True)
    reference_template = models.CharField(
        "reference template",
        max_length=255,
        default="{repository}, {reference}[, {locator}]",
        help_text=(
            "How a full reference is written. Placeholders: "
            + ", ".join("{" + name + "}" for name in TEMPLATE_FIELDS)
            + ". Text in [square brackets] is left out when a placeholder in it is empty."
        ),
    )
    show_japanese_era = models.BooleanField(
        "show Japanese era years",
        default=False,
        help_text="Show era years (Showa 31) beside Gregorian dates for this holder's records.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "repositories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:repository", args=[self.identifier])

    @property
    def citation_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        super().clean()
        unknown = template_placeholders(self.reference_template) - set(TEMPLATE_FIELDS)
        if unknown:
            raise ValidationError(
                {"reference_template": f"Unknown placeholder(s): {', '.join(sorted(unknown))}."}
            )


class ReferenceLevelManager(models.Manager):
    def get_by_natural_key(self, repository: str, code: str) -> ReferenceLevel:
        return self.get(repository__identifier=repository, code=code)


class ReferenceLevel(models.Model):
    """A level of arrangement in a repository's reference system (fond, opis, delo; item).

    ``rank`` orders the levels from the top (1) down; a unit's level must rank below its
    parent's. ``label`` is written before the segment ("f. ", "#") and ``separator`` before the
    label when the level is not the first one cited (", ", "-", "/").
    """

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="levels", verbose_name="repository"
    )
    code = models.SlugField("code", max_length=40)
    name = models.CharField("name", max_length=80, help_text="fond, opis, delo, series, item ...")
    rank = models.PositiveSmallIntegerField("rank", help_text="1 for the top level, then 2, 3 ...")
    label = models.CharField("label", max_length=20, blank=True, help_text='e.g. "f. " or "#"')
    separator = models.CharField(
        "separator", max_length=10, blank=True, default=", ", help_text='e.g. ", " or "-"'
    )

    objects = ReferenceLevelManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["repository", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "code"], name="referencelevel_unique_code"
            ),
            models.UniqueConstraint(
                fields=["repository", "rank"], name="referencelevel_unique_rank"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (*self.repository.natural_key(), self.code)

    natural_key.dependencies = ["archive.repository"]

    def cite(self, segment: str, *, first: bool) -> str:
        """This level's part of a reference: ``[separator]label + segment``."""
        return ("" if first else self.separator) + self.label + segment


class CustodyStatus(models.TextChoices):
    """The repository's legal relation to a unit; printed in citations where it matters."""

    OWNED = "owned", "owned"  # the repository owns the materials
    ENTRUSTED = "entrusted", "entrusted"  # deposited by the owner, held on trust (NDL usage)
    DEPOSITED = "deposited", "deposited"  # on deposit or loan
    COPY = "copy", "copy only"  # the repository holds copies, not the originals


class Collection(IdentifiedModel, DatedModel):
    """A unit of description above the item: fonds, series, file, or a named papers collection.

    Units form a tree per repository. ``tree_path`` ("/4/17/") lists the primary keys from the
    root down to the unit; it is kept current on save so that a whole subtree is one indexed
    prefix query, and moving a unit rewrites only its own subtree.
    """

    repository = models.ForeignKey(
        Repository, on_delete=models.PROTECT, related_name="collections", verbose_name="repository"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="parent unit",
    )
    level = models.ForeignKey(
        ReferenceLevel, on_delete=models.PROTECT, related_name="+", verbose_name="level"
    )
    reference_segment = models.CharField(
        "reference segment",
        max_length=40,
        blank=True,
        help_text='This unit\'s own part of the reference, as text ("52", "34"). Blank if the '
        "unit is cited by title.",
    )
    title = models.CharField("title", max_length=500)
    custody_status = models.CharField(
        "custody status",
        max_length=12,
        choices=CustodyStatus.choices,
        blank=True,
        help_text="Leave blank to inherit from the parent unit.",
    )
    creator = models.ForeignKey(
        "people.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_collections",
        verbose_name="creator",
    )
    # ISAD(G) 3.1–3.7
    extent = models.CharField("extent and medium", max_length=255, blank=True)
    administrative_history = models.TextField("administrative / biographical history", blank=True)
    custodial_history = models.TextField("archival history", blank=True)
    acquisition = models.TextField("immediate source of acquisition", blank=True)
    scope_and_content = models.TextField("scope and content", blank=True)
    arrangement = models.TextField("system of arrangement", blank=True)
    access_conditions = models.TextField("conditions governing access", blank=True)
    reproduction_conditions = models.TextField("conditions governing reproduction", blank=True)
    languages = models.ManyToManyField(
        "archive.Language", blank=True, related_name="+", verbose_name="languages of material"
    )
    finding_aids = models.TextField("finding aids", blank=True)
    notes = models.TextField("notes", blank=True)
    tree_path = models.CharField("tree path", max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField("depth", default=0, editable=False)

    class Meta:
        ordering = ["tree_path"]
        indexes = [
            # children of a unit, in reference order (collection pages, tree views)
            models.Index(fields=["parent", "reference_segment"], name="collection_children"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="collection_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("archive:collection", args=[self.identifier])

    def uses_japanese_era(self) -> bool:
        return self.repository.show_japanese_era

    def lineage(self) -> list[Collection]:
        """The units from the root down to this one, in one query."""
        if not self.tree_path:
            return [self]
        ids = [int(part) for part in self.tree_path.strip("/").split("/") if part]
        by_id = Collection.objects.select_related("level").in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def descendants(self) -> models.QuerySet[Collection]:
        return Collection.objects.filter(tree_path__startswith=self.tree_path).exclude(pk=self.pk)

    def effective_custody(self, lineage: list[Collection] | None = None) -> str:
        """The custody status of the nearest unit, from this one up, that states one."""
        for unit in reversed(lineage or self.lineage()):
            if unit.custody_status:
                return unit.custody_status
        return CustodyStatus.OWNED

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.level_id and self.repository_id and self.level.repository_id != self.repository_id:
            errors["level"] = (
                f"The level “{self.level}” belongs to another repository's reference system."
            )
        if self.parent_id:
            if self.parent.repository_id != self.repository_id:
                errors["parent"] = "The parent unit belongs to another repository."
            elif self.level_id and self.parent.level.rank >= self.level.rank:
                errors["level"] = (
                    f"A {self.level} cannot sit below a {self.parent.level}: choose a level "
                    f"ranked below the parent's."
                )
            if self.pk and (self.parent_id == self.pk or f"/{self.pk}/" in self.parent.tree_path):
                errors["parent"] = (
                    "This would make the unit its own ancestor (a cycle in the collection tree)."
                )
        if errors:
            raise ValidationError(errors)

    def derive_fields(self) -> None:
        super().derive_fields()
        parent_path = ""
        if self.parent_id:
            parent_path = (
                Collection.objects.filter(pk=self.parent_id)
                .values_list("tree_path", flat=True)
                .get()
            )
        self.depth = parent_path.count("/") - 1 if parent_path else 0
        # The path ends with the unit's own pk, so a new unit's path is completed after insert.
        self.tree_path = f"{parent_path or '/'}{self.pk}/" if self.pk else ""


class IdentifierScheme(models.Model):
    """A kind of identifier (a Wilson Center record ID, an NDL item number, a DOI, ...)."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("name", max_length=120)
    url_template = models.CharField(
        "URL template",
        max_length=255,
        blank=True,
        help_text="Link to the record with {value} in place of the identifier.",
    )
    issuer = models.ForeignKey(
        Repository,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identifier_schemes",
        verbose_name="issued by",
    )

    objects = CodeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def url_for(self, value: str) -> str:
        return self.url_template.replace("{value}", value) if self.url_template else ""
