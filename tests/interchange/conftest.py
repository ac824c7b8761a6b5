"""Export tests: schemas from ``../shared/schemas`` (the standards' own), loaded once.

The XSDs import ``xml.xsd`` and XLink by remote URL; those namespaces are mapped to the local
copies so nothing is fetched. Tests are skipped, with that reason, when the folder is absent.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings
from PIL import Image

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "schemas"
BASE_URL = "https://archive.example.org"
LOCAL = {
    "http://www.w3.org/XML/1998/namespace": str(SCHEMAS / "xml.xsd"),
    "http://www.w3.org/1999/xlink": str(SCHEMAS / "xlink-loc.xsd"),
}
EAD = "{http://ead3.archivists.org/schema/}"
EAC = "{urn:isbn:1-931666-33-4}"
XLINK = "{http://www.w3.org/1999/xlink}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Schemas:
    def __init__(self) -> None:
        self.ead = xmlschema.XMLSchema(str(SCHEMAS / "ead3.xsd"), locations=LOCAL)
        self.eac = xmlschema.XMLSchema(str(SCHEMAS / "eac-cpf-2010.xsd"), locations=LOCAL)
        iiif = json.loads((SCHEMAS / "iiif_3_0.json").read_text(encoding="utf-8"))
        self.iiif = jsonschema.Draft7Validator(iiif)


@pytest.fixture(scope="session")
def schemas() -> Schemas:
    if not SCHEMAS.is_dir():
        pytest.skip(f"the shared schemas folder {SCHEMAS} is absent: cannot validate output")
    return Schemas()


@pytest.fixture(autouse=True)
def base_url(tmp_path: Path) -> Iterator[None]:
    """Absolute links on a known host; uploaded files in a throw-away media folder."""
    with override_settings(KIROKU_BASE_URL=BASE_URL, MEDIA_ROOT=str(tmp_path / "media")):
        yield


def png(width: int, height: int) -> ContentFile:
    """A real PNG file of the given size."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 150)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="scan.png")
