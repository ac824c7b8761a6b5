"""Errors of the partner API: bad query strings answer 400 with the parameters named."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, status
from rest_framework.exceptions import APIException


class BadQuery(APIException):
    """A 400 whose body names each offending query parameter.

    ``{"detail": "Invalid query parameter(s): date_from.", "errors": {"date_from": ["..."]}}``
    """

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_query"

    def __init__(self, errors: dict[str, list[str]], summary: str = "Invalid query parameter(s)"):
        errors = {name: [str(message) for message in messages] for name, messages in errors.items()}
        self.errors = errors
        super().__init__({"detail": f"{summary}: {', '.join(errors)}.", "errors": errors})


class ErrorSerializer(serializers.Serializer):
    """The shape of an error response (for the OpenAPI description)."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )

    def to_representation(self, instance: Any) -> Any:  # pragma: no cover - schema only
        return instance
