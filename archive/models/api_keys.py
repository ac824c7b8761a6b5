"""Partner API keys: issued and revoked in the admin, stored only as a hash.

A key reads ``<prefix>.<secret>``. The prefix (8 characters, stored in clear and unique) finds
the row in one indexed lookup; the whole key is compared with its stored SHA-256 digest in
constant time. A plain, unsalted SHA-256 is right here (unlike for passwords): the secret is 32
random characters, so there is nothing to brute-force, and a slow hash would cost every API
request. The key itself is shown once, when it is created, and never stored.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare

KEY_ALPHABET = string.ascii_letters + string.digits
PREFIX_LENGTH = 8
SECRET_LENGTH = 32
#: ``last_used_at`` is written at most this often per key, not on every request
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _random(length: int) -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(length))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class UnknownKey(Exception):
    """No usable key matches (malformed, unknown, wrong secret)."""


class PartnerKeyQuerySet(models.QuerySet):
    def active(self) -> PartnerKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class PartnerKeyManager(models.Manager.from_queryset(PartnerKeyQuerySet)):
    def issue(self, **fields: object) -> tuple[PartnerKey, str]:
        """Create a key; returns the record and the key in clear (shown once, never stored)."""
        key = self.model(**fields)
        secret = key.assign_secret()
        key.save()
        return key, secret

    def from_key(self, raw: str) -> PartnerKey:
        """The key record for ``raw`` (revoked ones included), or :class:`UnknownKey`."""
        prefix, dot, _ = raw.partition(".")
        if not dot or len(prefix) != PREFIX_LENGTH:
            raise UnknownKey
        key = self.filter(prefix=prefix).first()
        if key is None or not constant_time_compare(key.hashed_key, digest(raw)):
            raise UnknownKey
        return key


class PartnerKey(models.Model):
    """An API key of a partner (an aggregator, another archive, a research project)."""

    name = models.CharField(
        "partner", max_length=200, help_text="Who uses the key (organization or project)."
    )
    contact = models.CharField(
        "contact",
        max_length=300,
        help_text="Whom to write to about the key (a name and an e-mail address).",
    )
    prefix = models.CharField("prefix", max_length=PREFIX_LENGTH, unique=True, editable=False)
    hashed_key = models.CharField("SHA-256 of the key", max_length=64, editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    note = models.TextField("note", blank=True)

    objects = PartnerKeyManager()

    class Meta:
        verbose_name = "partner API key"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def assign_secret(self) -> str:
        """Give the key a fresh prefix and secret; returns the key in clear."""
        self.prefix = _random(PREFIX_LENGTH)
        raw = f"{self.prefix}.{_random(SECRET_LENGTH)}"
        self.hashed_key = digest(raw)
        return raw

    def revoke(self) -> bool:
        """Revoke the key for good; False if it already was."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(revoked_at=self.revoked_at)
        return True

    def touch(self) -> None:
        """Record a use, writing at most once per ``LAST_USED_RESOLUTION``."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION:
            self.last_used_at = now
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
