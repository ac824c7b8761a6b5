"""IIIF Presentation 3 manifests: valid, public images only, 404 otherwise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree

from archive.interchange.iiif import title_language
from archive.interchange.records import public_images
from archive.models import PublicationStatus
from documents.models import DigitalObject, Document
from tests.interchange.conftest import EAD, Schemas, png

PUBLISHED = {"status": PublicationStatus.PUBLISHED}
MEMCON = "memcon-khrushchev-kono-1956-10-18"
MANIFEST = f"https://archive.example.org/iiif/{MEMCON}/manifest"


def get(identifier: str) -> Any:
    return Client().get(f"/iiif/{identifier}/manifest")


@pytest.fixture
def scans(db: None) -> dict[str, Any]:
    """Two public scans of a founding document (sizes read from the files), and hidden files."""
    document = Document.objects.get(identifier=MEMCON)
    Document.objects.filter(pk=document.pk).update(
        license_url="https://creativecommons.org/licenses/by/4.0/",
        title_original="Запись беседы Н.С. Хрущёва с Коно",
    )
    second = DigitalObject.objects.create(
        document=document, key="leaf-62", file=png(40, 60), order=2, **PUBLISHED
    )
    first = DigitalObject.objects.create(
        document=document, key="leaf-61", file=png(30, 50), label="l. 61", order=1, **PUBLISHED
    )
    draft = DigitalObject.objects.create(
        document=document, key="leaf-63", file=png(10, 10), order=3
    )
    text = DigitalObject.objects.create(
        document=document,
        key="notes",
        file=ContentFile(b"plain text, not an image", name="notes.txt"),
        order=4,
        **PUBLISHED,
    )
    return {"document": document, "first": first, "second": second, "draft": draft, "text": text}


def test_documents_without_public_images_have_no_manifest(db: None) -> None:
    with_images = public_images().values("document_id")
    documents = Document.objects.public().exclude(pk__in=with_images)
    identifiers = list(documents.values_list("identifier", flat=True)[:10])
    assert identifiers
    for identifier in identifiers:
        assert get(identifier).status_code == 404


def test_image_size_and_type_are_read_on_upload(scans: dict[str, Any]) -> None:
    first = scans["first"]
    assert (first.width, first.height, first.media_type) == (30, 50, "image/png")
    text = scans["text"]
    assert (text.width, text.height, text.media_type) == (None, None, "")
    assert len(first.sha256) == 64


def test_manifest_is_valid_and_complete(scans: dict[str, Any], schemas: Schemas) -> None:
    response = get(MEMCON)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/ld+json")
    manifest = json.loads(response.content)
    errors = [error.message for error in schemas.iiif.iter_errors(manifest)]
    assert not errors, errors
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["id"] == MANIFEST
    assert manifest["type"] == "Manifest"
    assert manifest["label"] == {
        "en": ["Memorandum of Conversation between N.S. Khrushchev and Kono on October 18, 1956"],
        "ru": ["Запись беседы Н.С. Хрущёва с Коно"],
    }
    metadata = {entry["label"]["en"][0]: entry["value"] for entry in manifest["metadata"]}
    assert metadata["Reference"] == {"none": ["RGANI, f. 52, op. 1, d. 596, ll. 61-66"]}
    assert metadata["Date"] == {"en": ["18 October 1956"]}
    assert metadata["Language"] == {"en": ["Russian"]}
    assert manifest["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert manifest["requiredStatement"]["value"] == {
        "en": ["This document was made possible with support from Blavatnik Family Foundation"]
    }
    assert manifest["navDate"] == "1956-10-18T00:00:00Z"
    assert manifest["homepage"][0]["id"] == f"https://archive.example.org/documents/{MEMCON}/"
    assert manifest["seeAlso"][0]["id"] == f"https://archive.example.org/api/v1/documents/{MEMCON}/"
    # public images only, in page order, each with its size
    canvases = manifest["items"]
    assert [canvas["id"] for canvas in canvases] == [
        f"{MANIFEST}/canvas/leaf-61",
        f"{MANIFEST}/canvas/leaf-62",
    ]
    assert [(c["width"], c["height"]) for c in canvases] == [(30, 50), (40, 60)]
    assert canvases[0]["label"] == {"none": ["l. 61"]}
    annotation = canvases[0]["items"][0]["items"][0]
    assert annotation["motivation"] == "painting"
    assert annotation["target"] == canvases[0]["id"]
    body = annotation["body"]
    assert body["type"] == "Image"
    assert body["format"] == "image/png"
    assert body["id"].startswith("https://archive.example.org/media/documents/")


def test_licence_iiif_does_not_accept_goes_to_metadata(
    scans: dict[str, Any], schemas: Schemas
) -> None:
    Document.objects.filter(pk=scans["document"].pk).update(
        license_url="https://example.org/terms", credit_line="", rights=""
    )
    manifest = json.loads(get(MEMCON).content)
    assert not list(schemas.iiif.iter_errors(manifest))
    assert "rights" not in manifest
    metadata = {entry["label"]["en"][0]: entry["value"] for entry in manifest["metadata"]}
    assert metadata["Licence"] == {"none": ["https://example.org/terms"]}
    # with no credit line or rights statement, the holder and the archive are credited
    assert manifest["requiredStatement"]["value"]["en"] == [
        "Russian State Archive of Contemporary History, Kiroku"
    ]


def test_no_manifest_without_public_images_or_for_hidden_documents(scans: dict[str, Any]) -> None:
    DigitalObject.objects.filter(key__startswith="leaf-6").exclude(key="leaf-63").update(
        restricted=True
    )
    assert get(MEMCON).status_code == 404  # a draft scan and a text file only
    DigitalObject.objects.filter(key="leaf-61").update(restricted=False)
    assert get(MEMCON).status_code == 200
    Document.objects.filter(pk=scans["document"].pk).update(status=PublicationStatus.DRAFT)
    assert get(MEMCON).status_code == 404
    assert get("no-such-document").status_code == 404


def test_query_count_does_not_grow_with_images(scans: dict[str, Any]) -> None:
    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            assert get(MEMCON).status_code == 200
        return len(captured), "\n\n".join(q["sql"] for q in captured.captured_queries)

    small, _ = count()
    for number in range(6):
        DigitalObject.objects.create(
            document=scans["document"],
            key=f"extra-{number}",
            file=png(5, 5),
            order=10 + number,
            **PUBLISHED,
        )
    large, sql = count()
    assert large == small, sql
    assert large == 6, sql  # document, languages, subjects, images, creators, units above
    assert len(json.loads(get(MEMCON).content)["items"]) == 8


def test_ead_links_documents_with_images_to_their_manifest(scans: dict[str, Any]) -> None:
    ead = etree.fromstring(Client().get("/collections/rgani-f52/ead.xml").content)
    (dao,) = ead.iter(f"{EAD}dao")
    assert dao.get("href") == MANIFEST
    assert dao.get("daotype") == "derived"


def test_conditional_get_keeps_cors(scans: dict[str, Any]) -> None:
    etag = get(MEMCON)["ETag"]
    response = Client().get(f"/iiif/{MEMCON}/manifest", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("title", "codes", "expected"),
    [
        ("日本国とソヴィエト社会主義共和国連邦との共同宣言", ["ja", "ru"], "ja"),
        ("Совместная декларация", ["ja", "ru"], "ru"),
        ("Совместная декларация", ["ru", "uk"], "none"),  # Cyrillic, but which language?
        ("Déclaration commune", ["fr", "en"], "none"),
        ("Anything", ["de"], "de"),  # the document's only language
        ("共同宣言", ["en"], "en"),
    ],
)
def test_title_language(title: str, codes: list[str], expected: str) -> None:
    assert title_language(title, codes) == expected
