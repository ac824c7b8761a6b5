"""Template tags of record pages: permalink, canonical link and embedded JSON-LD."""

from django import template
from django.db.models import Model
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from archive import jsonld

register = template.Library()

# JSON inside <script> must not close the element or open a comment (as Django's json_script)
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def permalink(record: Model) -> str:
    """The record's stable absolute URL."""
    return jsonld.permalink(record)


@register.simple_tag
def record_head(record: Model) -> SafeString:
    """``<link rel=canonical>``, the JSON-LD alternate link and the embedded JSON-LD."""
    url = jsonld.permalink(record)
    data = jsonld.dumps(jsonld.jsonld_for(record), indent=None).translate(_SCRIPT_ESCAPES)
    return format_html(
        '<link rel="canonical" href="{}">\n'
        '<link rel="alternate" type="{}" href="{}?format=jsonld">\n'
        '<script type="application/ld+json">{}</script>',
        url,
        jsonld.MEDIA_TYPE,
        url,
        mark_safe(data),  # nosec B308 B703 (escaped for a script element above)
    )
