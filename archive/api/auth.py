"""Who is calling the partner API, and how often they may.

* :class:`PartnerKeyAuthentication` reads a partner's key from ``Authorization: Api-Key <key>``
  or ``X-Api-Key: <key>``. A partner key identifies a partner, not a person: the request stays
  anonymous (``request.user`` is the anonymous user, so it sees public records only and
  cannot write) and ``request.auth`` is the :class:`~archive.models.PartnerKey`. An unknown,
  malformed or revoked key is refused with 401 and says which, rather than silently falling
  back to the anonymous rate.
* Three throttles, each for one kind of caller, with rates from ``DEFAULT_THROTTLE_RATES``
  (read on every request, so settings overrides apply): anonymous callers by address,
  partners per key, curators per user. Over the limit, DRF answers 429 with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from archive.models import PartnerKey
from archive.models.api_keys import UnknownKey

KEYWORD = "Api-Key"
HEADER = "HTTP_X_API_KEY"


class PartnerKeyAuthentication(BaseAuthentication):
    """A partner's API key, in ``Authorization: Api-Key <key>`` or ``X-Api-Key``."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, PartnerKey] | None:
        raw = self.read_key(request)
        if raw is None:
            return None
        try:
            key = PartnerKey.objects.from_key(raw)
        except UnknownKey:
            raise exceptions.AuthenticationFailed(
                "Unknown API key. Check that it was copied whole, or ask the archive for one."
            ) from None
        if not key.is_active:
            raise exceptions.AuthenticationFailed(
                f"This API key was revoked on {key.revoked_at:%Y-%m-%d}. "
                "Ask the archive for a new one."
            )
        key.touch()
        return AnonymousUser(), key

    def read_key(self, request: Request) -> str | None:
        words = get_authorization_header(request).split()
        if words and words[0].decode(errors="replace").lower() == KEYWORD.lower():
            if len(words) != 2:
                raise exceptions.AuthenticationFailed(
                    f"Invalid Authorization header: send “{KEYWORD} <key>”, with no spaces "
                    "in the key."
                )
            return words[1].decode(errors="replace")
        raw = request.META.get(HEADER, "").strip()
        return raw or None

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """Describes partner keys in the OpenAPI document (``X-Api-Key``)."""

    target_class = PartnerKeyAuthentication
    name = "partnerKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": "A partner's API key, issued by the archive (also accepted as "
            "`Authorization: Api-Key <key>`). Raises the rate limit; reads public records only.",
        }


class KirokuThrottle(SimpleRateThrottle):
    """A rate per caller of one kind; the rate is read from the settings on each request."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def applies(self, request: Request) -> str | None:
        """The caller's identity for this throttle, or None when it is not this kind."""
        raise NotImplementedError

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        ident = self.applies(request)
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousThrottle(KirokuThrottle):
    """Callers with neither a key nor a login, by client address."""

    scope = "anonymous"

    def applies(self, request: Request) -> str | None:
        if request.user.is_authenticated or isinstance(request.auth, PartnerKey):
            return None
        return self.get_ident(request)


class PartnerKeyThrottle(KirokuThrottle):
    """Partners, per key."""

    scope = "partner"

    def applies(self, request: Request) -> str | None:
        return str(request.auth.pk) if isinstance(request.auth, PartnerKey) else None


class CuratorThrottle(KirokuThrottle):
    """Logged-in curators (token or session), per user."""

    scope = "curator"

    def applies(self, request: Request) -> str | None:
        return str(request.user.pk) if request.user.is_authenticated else None
