"""Harvesting tests: a real harvester (sickle) talking to the app through Django's test client.

Why not pytest-django's ``live_server``: its tests are transactional and flush the database
when they end, which would wipe the founding collection that ``tests/conftest.py`` loads once
per session, and every later test would see an empty archive. Instead, sickle gets a
``requests`` session whose transport adapter hands each request to Django's test ``Client``
and turns the answer back into a ``requests.Response``. The harvester's HTTP code (parameters,
GET and POST bodies, resumption-token loops, error parsing) runs unchanged, and each test keeps
the usual rolled-back transaction.

Every response that passes through the adapter is validated against the OAI-PMH schema, with
the metadata schemas (oai_dc, EAD3, oai-identifier) loaded beside it so that the envelope's
strict wildcards check the records too. Schemas come from ``../shared/schemas`` next to the
repository; the tests are skipped, with that reason, when the folder is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import xmlschema
from django.conf import settings
from django.test import Client, override_settings
from lxml import etree
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from sickle import Sickle

from archive.models import (
    Collection,
    IdentifierScheme,
    Language,
    PublicationStatus,
    ReferenceLevel,
    Repository,
)
from documents.models import Document, DocumentRelation, DocumentType, Identifier, Place, Subject
from people.models import Agent, AgentRole

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "schemas"
BASE_URL = "https://archive.example.org"
ENDPOINT = BASE_URL + "/oai"
NAMESPACES = {
    "xml": "http://www.w3.org/XML/1998/namespace",
    "xlink": "http://www.w3.org/1999/xlink",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "ead": "http://ead3.archivists.org/schema/",
    "oai_id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}
LOCAL = {
    NAMESPACES["xml"]: str(SCHEMAS / "xml.xsd"),
    NAMESPACES["xlink"]: str(SCHEMAS / "xlink-loc.xsd"),
}


class Schemas:
    """The XSDs the provider's output must satisfy, loaded once per session."""

    def __init__(self) -> None:
        self.oai_dc = xmlschema.XMLSchema(str(SCHEMAS / "oai_dc.xsd"), locations=LOCAL)
        self.ead = xmlschema.XMLSchema(str(SCHEMAS / "ead3.xsd"), locations=LOCAL)
        # the envelope, with every namespace its wildcards may contain imported beside it
        self.oai = xmlschema.XMLSchema(
            str(SCHEMAS / "OAI-PMH.xsd"),
            locations={
                **LOCAL,
                NAMESPACES["oai_dc"]: str(SCHEMAS / "oai_dc.xsd"),
                NAMESPACES["ead"]: str(SCHEMAS / "ead3.xsd"),
                NAMESPACES["oai_id"]: str(SCHEMAS / "oai-identifier.xsd"),
            },
        )


@pytest.fixture(scope="session")
def schemas() -> Schemas:
    if not SCHEMAS.is_dir():
        pytest.skip(f"the shared schemas folder {SCHEMAS} is absent: cannot validate output")
    return Schemas()


class DjangoClientAdapter(BaseAdapter):
    """A ``requests`` transport that answers from Django's test client instead of the network.

    Each response body is validated against the OAI-PMH schema when it comes from ``/oai``.
    """

    def __init__(self, client: Client, schemas: Schemas) -> None:
        super().__init__()
        self.client = client
        self.schemas = schemas
        self.responses: list[bytes] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = requests.utils.urlparse(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        if request.method == "POST":
            body = request.body or b""
            answer = self.client.post(
                path,
                data=body.encode() if isinstance(body, str) else body,
                content_type=request.headers.get("Content-Type", ""),
            )
        else:
            answer = self.client.generic(request.method, path)
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        if url.path == "/oai":
            self.responses.append(answer.content)
            self.schemas.oai.validate(etree.fromstring(answer.content))
        return response

    def close(self) -> None:
        pass


class ClientSickle(Sickle):
    """Sickle with its requests sent through a session (sickle calls ``requests.get``)."""

    def __init__(self, *args: Any, session: requests.Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session

    def _request(self, kwargs: dict[str, str]) -> requests.Response:
        if self.http_method == "GET":
            return self.session.get(self.endpoint, params=kwargs, **self.request_args)
        return self.session.post(self.endpoint, data=kwargs, **self.request_args)


@pytest.fixture
def adapter(schemas: Schemas) -> Iterator[DjangoClientAdapter]:
    with override_settings(KIROKU_BASE_URL=BASE_URL):
        yield DjangoClientAdapter(Client(), schemas)


@pytest.fixture
def session(adapter: DjangoClientAdapter) -> requests.Session:
    http = requests.Session()
    http.mount(BASE_URL, adapter)
    return http


@pytest.fixture
def harvester(session: requests.Session) -> ClientSickle:
    return ClientSickle(ENDPOINT, session=session)


def oai_id(kind: str, identifier: str) -> str:
    return f"oai:archive.example.org:{kind}/{identifier}"


# --- test records --------------------------------------------------------------------------------

PUBLISHED = {"status": PublicationStatus.PUBLISHED}


@pytest.fixture
def holdings(db: None) -> dict[str, Any]:
    """A small archive of its own, beside the founding collection, in every visibility state.

    Repository ``t-oai`` (fonds > series > file levels): a public fonds ``t-oai-f1`` with a
    public series ``t-oai-s1`` and a draft file ``t-oai-file-draft``; documents in the series
    that are public, draft, in review, published but restricted, withdrawn, and withdrawn and
    restricted.
    """
    repository = Repository.objects.create(
        identifier="t-oai", name="Test Harvest Archive", short_name="THA", **PUBLISHED
    )
    levels = {
        code: ReferenceLevel.objects.create(
            repository=repository, code=code, name=name, rank=rank, label=label
        )
        for rank, (code, name, label) in enumerate(
            [("fonds", "fonds", "f. "), ("series", "series", "s. "), ("folder", "folder", "")],
            start=1,
        )
    }
    item_level = ReferenceLevel.objects.create(
        repository=repository, code="piece", name="piece", rank=4, label="no. ", separator=", "
    )
    fonds = Collection.objects.create(
        identifier="t-oai-f1",
        repository=repository,
        level=levels["fonds"],
        reference_segment="7",
        title="Papers of a test diplomat",
        date_edtf="1955/1957",
        scope_and_content="Letters and notes.\n\nAlso photographs.",
        access_conditions="Open.",
        **PUBLISHED,
    )
    series = Collection.objects.create(
        identifier="t-oai-s1",
        repository=repository,
        parent=fonds,
        level=levels["series"],
        reference_segment="2",
        title="Correspondence",
        **PUBLISHED,
    )
    draft_unit = Collection.objects.create(
        identifier="t-oai-file-draft",
        repository=repository,
        parent=series,
        level=levels["folder"],
        reference_segment="9",
        title="Unsorted",
    )
    doc_type, _ = DocumentType.objects.get_or_create(
        code="t-oai-letter", defaults={"name": "letter"}
    )
    language, _ = Language.objects.get_or_create(code="ja", defaults={"name": "Japanese"})
    subject = Subject.objects.create(identifier="t-oai-fisheries", name="Fisheries (test)")
    place = Place.objects.create(identifier="t-oai-moscow", name="Moscow (test)")
    author = Agent.objects.create(
        identifier="t-oai-author", kind="person", name="Test Author", **PUBLISHED
    )
    secret = Agent.objects.create(identifier="t-oai-secret", kind="person", name="Secret Agent")
    translator = Agent.objects.create(
        identifier="t-oai-translator", kind="person", name="Test Translator", **PUBLISHED
    )
    scheme = IdentifierScheme.objects.create(
        code="t-oai-rec", name="Test record", url_template="https://records.example.net/{value}"
    )

    def document(identifier: str, **fields: Any) -> Document:
        values = {
            "title": f"Document {identifier}",
            "document_type": doc_type,
            "collection": series,
            **fields,
        }
        return Document.objects.create(identifier=identifier, **values)

    letter = document(
        "t-oai-letter",
        title="Letter on fisheries",
        title_original="漁業に関する書簡",
        date_edtf="1956-10-19",
        summary="A letter about fisheries.",
        rights="Public domain.",
        reference_level=item_level,
        reference_segment="15",
        locator="ll. 3-4",
        place=place,
        **PUBLISHED,
    )
    letter.languages.add(language)
    letter.subjects.add(subject)
    AgentRole.objects.create(document=letter, agent=author, role="author")
    AgentRole.objects.create(document=letter, agent=secret, role="sender")
    AgentRole.objects.create(document=letter, agent=translator, role="translator")
    Identifier.objects.create(document=letter, scheme=scheme, value="4242")
    reply = document("t-oai-reply", date_edtf="1956-10~", **PUBLISHED)
    DocumentRelation.objects.create(source=reply, relation_type="reply-to", target=letter)
    hidden = {
        "draft": document("t-oai-draft"),
        "review": document("t-oai-review", status=PublicationStatus.REVIEW),
        "restricted": document("t-oai-restricted", restricted=True, **PUBLISHED),
        "withdrawn-restricted": document(
            "t-oai-gone-hidden", status=PublicationStatus.WITHDRAWN, restricted=True
        ),
        "draft-unit": draft_unit,
    }
    withdrawn = document("t-oai-gone", status=PublicationStatus.WITHDRAWN)
    return {
        "repository": repository,
        "fonds": fonds,
        "series": series,
        "letter": letter,
        "reply": reply,
        "hidden": hidden,
        "withdrawn": withdrawn,
        "doc_type": doc_type,
        "document": document,
    }
