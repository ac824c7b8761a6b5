"""Controlled vocabularies that describe documents: forms, subjects, places."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive.models import CodeManager, IdentifiedManager


class DocumentType(models.Model):
    """A documentary form: letter, memorandum of conversation, declaration, photograph, ..."""

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("name", max_length=120)
    plural = models.CharField("plural name", max_length=120, blank=True)
    description = models.TextField("scope note", blank=True)

    objects = CodeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "documentary form"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Subject(models.Model):
    """A subject heading in the archive's controlled list, optionally under a broader one."""

    identifier = models.SlugField("identifier", max_length=100, unique=True)
    name = models.CharField("name", max_length=200)
    name_ja = models.CharField("name (Japanese)", max_length=200, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=200, blank=True)
    broader = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
        verbose_name="broader subject",
    )
    scope_note = models.TextField("scope note", blank=True)

    objects = IdentifiedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("documents:list") + f"?subject={self.identifier}"

    def natural_key(self) -> tuple[str]:
        return (self.identifier,)


class Place(models.Model):
    """A place, with coordinates where known (WGS 84)."""

    identifier = models.SlugField("identifier", max_length=100, unique=True)
    name = models.CharField("name", max_length=200)
    name_ja = models.CharField("name (Japanese)", max_length=200, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=200, blank=True)
    alternative_names = models.CharField(
        "other names", max_length=500, blank=True, help_text="Separated by semicolons."
    )
    kind = models.CharField(
        "kind", max_length=40, blank=True, help_text="city, island, port, country, region ..."
    )
    country = models.CharField("country", max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="part of",
    )
    latitude = models.DecimalField(
        "latitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "longitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    note = models.TextField("note", blank=True)
    geonames_id = models.CharField("GeoNames ID", max_length=20, blank=True)
    wikidata_id = models.CharField("Wikidata ID", max_length=20, blank=True)

    objects = IdentifiedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("documents:list") + f"?place={self.identifier}"

    def natural_key(self) -> tuple[str]:
        return (self.identifier,)

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({field: "Give both latitude and longitude, or neither."})
