"""IIIF Presentation 3 manifests for public documents with public images.

A document's images are its public :class:`~documents.models.DigitalObject` files whose media
type is an image and whose pixel size is known (read from the file when it is uploaded): a
canvas must have a width and a height, so an image of unknown size cannot be painted on one.
Each image becomes one canvas, in the objects' order, painted with the file itself (no image
service). Labels and metadata are language maps: catalogue text in the site's language
(``LANGUAGE_CODE``), the original-language title under its language (the document's only
language, or the one its script points to), and ``none`` for values in no language
(references, names) or when unsure.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from archive.interchange.records import CREATOR_ROLES, manifest_url, public_images
from documents.models import DigitalObject, Document
from people.models import Agent, AgentRole

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# IIIF's rights property takes only Creative Commons and RightsStatements.org URIs, as http
_RIGHTS = re.compile(
    r"^https?://((creativecommons\.org/(licenses|publicdomain)|rightsstatements\.org/vocab)/.*)$"
)


def load_document(identifier: str) -> Document | None:
    """The public document with its public images and what the manifest shows, or None.

    Five queries: the document with its form, unit and repository; its languages, subjects,
    public images, and the public agents in creator roles. Writing the manifest adds one, the
    units above the document's (for its reference).
    """
    return (
        Document.objects.public()
        .select_related("document_type", "collection__repository", "collection__level")
        .prefetch_related(
            "languages",  # label language, metadata
            "subjects",  # metadata
            Prefetch("digital_objects", public_images(), to_attr="images"),  # the canvases
            # metadata: creators, only public agents
            Prefetch(
                "agent_roles",
                AgentRole.objects.filter(Agent.public_q("agent__"), role__in=CREATOR_ROLES)
                .select_related("agent")
                .order_by("order", "role"),
                to_attr="creator_roles",
            ),
        )
        .filter(identifier=identifier)
        .first()
    )


# Languages written in a script, to tell which of a document's languages an original-language
# title is in (ISO 639-1 codes). Checked in order: kana before Han, so a title with both is
# Japanese.
_SCRIPT_LANGUAGES: tuple[tuple[re.Pattern[str], set[str]], ...] = (
    (re.compile("[\u3040-\u30ff]"), {"ja"}),  # kana: Japanese
    (re.compile("[\uac00-\ud7af]"), {"ko"}),  # Hangul: Korean
    (re.compile("[\u4e00-\u9fff]"), {"ja", "zh", "ko"}),  # Han characters
    (re.compile("[\u0400-\u04ff]"), {"ru", "uk", "be", "bg", "sr", "mk", "kk", "mn"}),
)


def title_language(title: str, codes: list[str]) -> str:
    """The language of an original-language title, among the document's; "none" if unsure."""
    if len(codes) == 1:
        return codes[0]
    for pattern, languages in _SCRIPT_LANGUAGES:
        if pattern.search(title):
            candidates = [code for code in codes if code in languages]
            return candidates[0] if len(candidates) == 1 else "none"
    return "none"


def _text(value: str, language: str | None = None) -> dict[str, list[str]]:
    return {language or settings.LANGUAGE_CODE.split("-")[0]: [value]}


def _entry(label: str, values: list[str], *, language: str | None = "none") -> dict[str, Any]:
    return {"label": _text(label), "value": {language or "none": values}}


def rights_uri(url: str) -> str:
    """The IIIF ``rights`` form of a licence URL, or "" when IIIF does not accept it."""
    match = _RIGHTS.match(url.strip())
    return f"http://{match.group(1)}" if match else ""


def manifest(document: Document) -> dict[str, Any]:
    """The manifest of a document loaded by :func:`load_document` (no query)."""
    base = settings.KIROKU_BASE_URL
    site_language = settings.LANGUAGE_CODE.split("-")[0]
    url = manifest_url(document)
    languages = list(document.languages.all())
    label: dict[str, list[str]] = {site_language: [document.title]}
    if document.title_original:
        original = title_language(document.title_original, [lang.code for lang in languages])
        label.setdefault(original, []).append(document.title_original)

    reference = document.reference()
    repository = document.repository
    metadata = [_entry("Reference", [reference])] if reference else []
    if document.date_edtf:
        metadata.append(_entry("Date", [document.date_display], language=site_language))
    metadata.append(_entry("Form", [document.document_type.name], language=site_language))
    if repository is not None and repository.is_public:
        metadata.append(_entry("Repository", [repository.name], language=site_language))
    creators = [role.agent.name for role in document.creator_roles]
    if creators:
        metadata.append(_entry("Creator", creators))
    if languages:
        metadata.append(
            _entry("Language", [language.name for language in languages], language=site_language)
        )
    subjects = [subject.name for subject in document.subjects.all()]
    if subjects:
        metadata.append(_entry("Subject", subjects, language=site_language))
    rights = rights_uri(document.license_url)
    if document.license_url and not rights:
        metadata.append(_entry("Licence", [document.license_url]))

    attribution = document.credit_line or document.rights
    if not attribution:
        holder = repository.name if repository is not None and repository.is_public else ""
        attribution = ", ".join(filter(None, [holder, settings.KIROKU_SITE_NAME]))
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": url,
        "type": "Manifest",
        "label": label,
        "metadata": metadata,
    }
    if document.summary:
        result["summary"] = _text(document.summary)
    if rights:
        result["rights"] = rights
    result["requiredStatement"] = {"label": _text("Attribution"), "value": _text(attribution)}
    if document.date_start is not None:
        result["navDate"] = f"{document.date_start.isoformat()}T00:00:00Z"
    result["provider"] = [
        {
            "id": base + "/",
            "type": "Agent",
            "label": _text(settings.KIROKU_SITE_NAME),
            "homepage": [
                {
                    "id": base + "/",
                    "type": "Text",
                    "label": _text(settings.KIROKU_SITE_NAME),
                    "format": "text/html",
                }
            ],
        }
    ]
    result["homepage"] = [
        {
            "id": base + document.get_absolute_url(),
            "type": "Text",
            "label": _text(document.title),
            "format": "text/html",
            "language": [site_language],
        }
    ]
    result["seeAlso"] = [
        {
            "id": base + reverse("api:document-detail", args=[document.identifier]),
            "type": "Dataset",
            "label": _text("API record"),
            "format": "application/json",
        }
    ]
    result["items"] = [
        _canvas(url, image, position) for position, image in enumerate(document.images, 1)
    ]
    return result


def _canvas(manifest_id: str, image: DigitalObject, position: int) -> dict[str, Any]:
    canvas_id = f"{manifest_id}/canvas/{image.key}"
    body = {
        "id": settings.KIROKU_BASE_URL + image.file.url
        if image.file.url.startswith("/")
        else image.file.url,
        "type": "Image",
        "format": image.media_type,
        "width": image.width,
        "height": image.height,
    }
    return {
        "id": canvas_id,
        "type": "Canvas",
        "label": {"none": [image.label or str(position)]},
        "width": image.width,
        "height": image.height,
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/page/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": body,
                        "target": canvas_id,
                    }
                ],
            }
        ],
    }
