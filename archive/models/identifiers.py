"""Identifiers a record no longer uses: they are never reused, and their old URLs still answer."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class RetiredIdentifier(models.Model):
    """A public identifier given up by a renamed or deleted record.

    Its old URLs redirect (301) to the record under its current identifier, or answer 410 Gone
    when the record was deleted (``object_id`` empty); no other record of the model may take it
    (see :mod:`archive.tombstones`).
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="kind of record"
    )
    identifier = models.CharField("identifier", max_length=120)
    object_id = models.PositiveBigIntegerField(
        "record", null=True, blank=True, help_text="Empty when the record was deleted."
    )
    retired_at = models.DateTimeField("retired", auto_now_add=True)

    class Meta:
        ordering = ["content_type", "identifier"]
        verbose_name = "retired identifier"
        constraints = [
            # one identifier names one record of a model, for ever
            models.UniqueConstraint(
                fields=["content_type", "identifier"], name="retiredidentifier_unique"
            ),
        ]
        indexes = [
            # "which old identifiers does this record have?" (renamed back, deleted)
            models.Index(fields=["content_type", "object_id"], name="retiredidentifier_record"),
        ]

    def __str__(self) -> str:
        return self.identifier
