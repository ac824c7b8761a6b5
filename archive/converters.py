"""The URL form of a record identifier, shared by every route that names a record.

Identifiers never hold a slash or a control character, so a path segment with one names no
record: the resolver answers 404 before any view or middleware looks it up (PostgreSQL refuses
to compare text holding a NUL character, so a lookup would fail instead of missing).
"""

from django.urls.converters import StringConverter

#: one path segment without control characters (the routers' ``lookup_value_regex`` too)
IDENTIFIER_PATTERN = r"[^/\x00-\x1f\x7f]+"


class IdentifierConverter(StringConverter):
    regex = IDENTIFIER_PATTERN
