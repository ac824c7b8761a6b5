"""OAI-PMH harvested by a real harvester (sickle): every verb, paging, errors, visibility."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from lxml import etree
from sickle import oaiexceptions

from archive.models import Collection, PublicationStatus
from documents.models import Document
from tests.harvest.conftest import (
    BASE_URL,
    ENDPOINT,
    NAMESPACES,
    ClientSickle,
    DjangoClientAdapter,
    Schemas,
    oai_id,
)

pytestmark = pytest.mark.django_db

OAI = "{http://www.openarchives.org/OAI/2.0/}"
EAD = "{http://ead3.archivists.org/schema/}"


def metadata_block(record: Any) -> etree._Element:
    return record.xml.find(f"{OAI}metadata")[0]


def identifiers(records: Any) -> list[str]:
    """The OAI identifiers of harvested records or headers, in order."""
    return [getattr(record, "header", record).identifier for record in records]


def error_code(content: bytes) -> str | None:
    error = etree.fromstring(content).find(f"{OAI}error")
    return None if error is None else error.get("code")


def test_identify(harvester: ClientSickle, holdings: dict[str, Any]) -> None:
    identify = harvester.Identify()
    assert identify.repositoryName == "Kiroku"
    assert identify.baseURL == ENDPOINT
    assert identify.protocolVersion == "2.0"
    assert identify.adminEmail == "archive@example.org"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    earliest = datetime.strptime(identify.earliestDatestamp, "%Y-%m-%dT%H:%M:%SZ")
    oldest = min(d.updated_at for d in Document.objects.public()).replace(tzinfo=None)
    assert earliest <= oldest
    description = identify.xml.find(f"{OAI}description")
    oai_identifier = description[0]
    assert oai_identifier.findtext(f"{{{NAMESPACES['oai_id']}}}repositoryIdentifier") == (
        "archive.example.org"
    )


def test_list_metadata_formats(harvester: ClientSickle, holdings: dict[str, Any]) -> None:
    formats = {f.metadataPrefix: f.metadataNamespace for f in harvester.ListMetadataFormats()}
    assert formats == {
        "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
        "ead": "http://ead3.archivists.org/schema/",
    }
    for_record = harvester.ListMetadataFormats(identifier=oai_id("document", "t-oai-letter"))
    assert {f.metadataPrefix for f in for_record} == {"oai_dc", "ead"}
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        list(harvester.ListMetadataFormats(identifier=oai_id("document", "t-oai-draft")))


def test_list_sets_names_public_repositories_and_units(
    harvester: ClientSickle, holdings: dict[str, Any]
) -> None:
    with override_settings(KIROKU_OAI_PAGE_SIZE=2):  # paged too
        specs = {s.setSpec: s.setName for s in harvester.ListSets()}
    assert specs["repository:t-oai"] == "Test Harvest Archive"
    assert specs["collection:t-oai-f1"] == "Papers of a test diplomat"
    assert "collection:t-oai-s1" in specs
    assert "collection:t-oai-file-draft" not in specs
    public_units = Collection.objects.public().count()
    assert sum(spec.startswith("collection:") for spec in specs) == public_units


def test_full_harvest_with_resumption_tokens(
    harvester: ClientSickle, adapter: DjangoClientAdapter, schemas: Schemas, holdings: Any
) -> None:
    with override_settings(KIROKU_OAI_PAGE_SIZE=2):
        records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    live = [r for r in records if not r.deleted]
    deleted = [r for r in records if r.deleted]
    assert len(live) == Document.objects.public().count() + Collection.objects.public().count()
    assert identifiers(deleted) == [oai_id("document", "t-oai-gone")]
    assert len(set(identifiers(records))) == len(records)  # nothing twice
    assert len(adapter.responses) == (len(records) + 1) // 2  # two a page, tokens followed
    for record in live:
        schemas.oai_dc.validate(metadata_block(record))
    # the last page closes the list with an empty token carrying the final cursor
    last = etree.fromstring(adapter.responses[-1]).find(f".//{OAI}resumptionToken")
    assert last.text is None
    assert last.get("completeListSize") == str(len(records))
    assert int(last.get("cursor")) == len(records) - len(last.getparent().findall(f"{OAI}record"))


def test_list_identifiers_matches_list_records(
    harvester: ClientSickle, holdings: dict[str, Any]
) -> None:
    with override_settings(KIROKU_OAI_PAGE_SIZE=3):
        headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))
        records = list(harvester.ListRecords(metadataPrefix="ead"))
    assert [h.identifier for h in headers] == identifiers(records)


def test_get_record_in_dublin_core(harvester: ClientSickle, holdings: dict[str, Any]) -> None:
    record = harvester.GetRecord(
        identifier=oai_id("document", "t-oai-letter"), metadataPrefix="oai_dc"
    )
    dc = record.metadata
    assert dc["title"] == ["Letter on fisheries", "漁業に関する書簡"]
    assert dc["creator"] == ["Test Author"]  # not the unpublished agent
    assert dc["contributor"] == ["Test Translator"]
    assert dc["subject"] == ["Fisheries (test)"]
    assert dc["date"] == ["1956-10-19"]
    assert dc["type"] == ["letter"]
    assert dc["language"] == ["ja"]
    assert dc["coverage"] == ["Moscow (test)"]
    assert dc["publisher"] == ["Test Harvest Archive"]
    assert dc["rights"] == ["Public domain."]
    reference = "Test Harvest Archive, f. 7, s. 2, no. 15, ll. 3-4"
    assert dc["source"] == [reference]
    assert dc["identifier"] == [
        f"{BASE_URL}/documents/t-oai-letter/",
        reference,
        "https://records.example.net/4242",
    ]
    assert f"{BASE_URL}/collections/t-oai-s1/" in dc["relation"]
    assert f"{BASE_URL}/documents/t-oai-reply/" in dc["relation"]
    assert record.header.setSpecs == [
        "repository:t-oai",
        "collection:t-oai-f1",
        "collection:t-oai-s1",
    ]
    approximate = harvester.GetRecord(
        identifier=oai_id("document", "t-oai-reply"), metadataPrefix="oai_dc"
    )
    assert approximate.metadata["date"] == ["1956-10~", "1956-10-01/1956-10-31"]


def test_ead_records_are_valid_ead3(
    harvester: ClientSickle, schemas: Schemas, holdings: dict[str, Any]
) -> None:
    with override_settings(KIROKU_OAI_PAGE_SIZE=4):
        records = [r for r in harvester.ListRecords(metadataPrefix="ead") if not r.deleted]
    for record in records:
        schemas.ead.validate(metadata_block(record))
    series = harvester.GetRecord(identifier=oai_id("collection", "t-oai-s1"), metadataPrefix="ead")
    ead = metadata_block(series)
    assert ead.find(f"{EAD}archdesc").get("level") == "series"
    assert ead.findtext(f"{EAD}archdesc/{EAD}did/{EAD}unitid") == "Test Harvest Archive, f. 7, s. 2"
    components = ead.findall(f"{EAD}archdesc/{EAD}dsc/{EAD}c")
    titles = [c.findtext(f"{EAD}did/{EAD}unittitle") for c in components]
    assert "Unsorted" not in titles  # a draft unit is not listed
    assert titles == ["Document t-oai-reply", "Letter on fisheries"]  # by number, then date
    assert [c.get("level") for c in components] == ["item", "otherlevel"]
    assert components[1].get("otherlevel") == "piece"
    fonds = metadata_block(
        harvester.GetRecord(identifier=oai_id("collection", "t-oai-f1"), metadataPrefix="ead")
    )
    assert fonds.find(f"{EAD}archdesc").get("level") == "fonds"
    assert len(fonds.findall(f"{EAD}archdesc/{EAD}scopecontent/{EAD}p")) == 2


def test_unpublished_records_never_appear(
    harvester: ClientSickle, holdings: dict[str, Any]
) -> None:
    harvested = set(identifiers(harvester.ListIdentifiers(metadataPrefix="oai_dc")))
    for name, record in holdings["hidden"].items():
        kind = "collection" if isinstance(record, Collection) else "document"
        identifier = oai_id(kind, record.identifier)
        assert identifier not in harvested, name
        with pytest.raises(oaiexceptions.IdDoesNotExist):
            harvester.GetRecord(identifier=identifier, metadataPrefix="oai_dc")
    hidden_sets = {s.setSpec for s in harvester.ListSets()}
    assert "collection:t-oai-file-draft" not in hidden_sets


def test_withdrawn_record_is_reported_deleted(
    harvester: ClientSickle, holdings: dict[str, Any]
) -> None:
    document = holdings["document"]("t-oai-new", status=PublicationStatus.PUBLISHED)
    first = harvester.GetRecord(identifier=oai_id("document", "t-oai-new"), metadataPrefix="oai_dc")
    assert not first.deleted
    since = first.header.datestamp
    document.status = PublicationStatus.WITHDRAWN
    document.save()
    changed = list(harvester.ListRecords(metadataPrefix="oai_dc", **{"from": since}))
    (gone,) = [r for r in changed if r.header.identifier == oai_id("document", "t-oai-new")]
    assert gone.deleted
    assert gone.xml.find(f"{OAI}metadata") is None
    assert gone.header.setSpecs == [
        "repository:t-oai",
        "collection:t-oai-f1",
        "collection:t-oai-s1",
    ]
    again = harvester.GetRecord(identifier=oai_id("document", "t-oai-new"), metadataPrefix="ead")
    assert again.deleted


def test_from_and_until_at_both_granularities(
    harvester: ClientSickle, holdings: dict[str, Any]
) -> None:
    stamp = datetime(1999, 5, 6, 10, 0, 30, 500_000, tzinfo=UTC)
    Document.objects.filter(identifier="t-oai-letter").update(updated_at=stamp)
    Document.objects.filter(identifier="t-oai-reply").update(
        updated_at=datetime(1999, 5, 7, 8, 0, tzinfo=UTC)
    )

    def harvest(**dates: str) -> list[str]:
        try:
            return identifiers(harvester.ListIdentifiers(metadataPrefix="oai_dc", **dates))
        except oaiexceptions.NoRecordsMatch:
            return []

    letter, reply = oai_id("document", "t-oai-letter"), oai_id("document", "t-oai-reply")
    assert harvest(**{"from": "1999-05-06", "until": "1999-05-06"}) == [letter]
    assert harvest(**{"from": "1999-05-06", "until": "1999-05-07"}) == [letter, reply]
    # seconds: the record's datestamp is 10:00:30 (its microseconds do not push it out)
    assert harvest(**{"from": "1999-05-06T10:00:30Z", "until": "1999-05-06T10:00:30Z"}) == [letter]
    assert harvest(**{"from": "1999-05-06T10:00:31Z", "until": "1999-05-07T07:59:59Z"}) == []
    assert harvest(until="1999-05-06T10:00:29Z") == []
    recent = harvest(**{"from": "2000-01-01"})
    assert letter not in recent
    assert reply not in recent
    assert oai_id("collection", "t-oai-f1") in recent


def test_set_filtering(harvester: ClientSickle, holdings: dict[str, Any]) -> None:
    series = identifiers(
        harvester.ListIdentifiers(metadataPrefix="oai_dc", set="collection:t-oai-s1")
    )
    assert series == [
        oai_id("collection", "t-oai-s1"),
        oai_id("document", "t-oai-letter"),
        oai_id("document", "t-oai-reply"),
        oai_id("document", "t-oai-gone"),  # deleted records stay in their sets
    ]
    repository = identifiers(
        harvester.ListIdentifiers(metadataPrefix="oai_dc", set="repository:t-oai")
    )
    assert repository == [oai_id("collection", "t-oai-f1"), *series]
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="collection:t-oai-file-draft"))
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="shelf:unknown"))


@pytest.mark.parametrize(
    ("arguments", "exception"),
    [
        ({}, oaiexceptions.BadArgument),  # no metadataPrefix
        ({"metadataPrefix": "oai_dc", "from": "1956-13-01"}, oaiexceptions.BadArgument),
        ({"metadataPrefix": "oai_dc", "from": "1956-10-19T10:00Z"}, oaiexceptions.BadArgument),
        (
            {"metadataPrefix": "oai_dc", "from": "1957-01-01", "until": "1956-01-01"},
            oaiexceptions.BadArgument,
        ),
        (
            {"metadataPrefix": "oai_dc", "from": "1956-01-01", "until": "1957-01-01T00:00:00Z"},
            oaiexceptions.BadArgument,
        ),
        ({"metadataPrefix": "oai_dc", "shelf": "1"}, oaiexceptions.BadArgument),
        ({"metadataPrefix": "marc21"}, oaiexceptions.CannotDisseminateFormat),
        ({"resumptionToken": "not-a-token"}, oaiexceptions.BadResumptionToken),
        (
            {"resumptionToken": "x", "metadataPrefix": "oai_dc"},
            oaiexceptions.BadArgument,
        ),
        (
            {"metadataPrefix": "oai_dc", "from": "2999-01-01"},
            oaiexceptions.NoRecordsMatch,
        ),
    ],
)
def test_list_errors(
    harvester: ClientSickle, holdings: dict[str, Any], arguments: dict[str, str], exception: type
) -> None:
    with pytest.raises(exception):
        list(harvester.ListRecords(**arguments))


def test_get_record_errors(harvester: ClientSickle, holdings: dict[str, Any]) -> None:
    letter = oai_id("document", "t-oai-letter")
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        harvester.GetRecord(identifier=letter, metadataPrefix="mods")
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        harvester.GetRecord(identifier="oai:elsewhere.org:document/x", metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.BadArgument):
        harvester.GetRecord(identifier=letter)


def test_bad_verbs_repeated_arguments_and_post(
    session: requests.Session, holdings: dict[str, Any]
) -> None:
    def code(query: str) -> str | None:
        return error_code(session.get(f"{ENDPOINT}?{query}").content)

    assert code("") == "badVerb"
    assert code("verb=Harvest") == "badVerb"
    assert code("verb=Identify&verb=Identify") == "badVerb"
    assert code("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=ead") == "badArgument"
    assert code("verb=Identify&extra=1") == "badArgument"
    response = session.get(f"{ENDPOINT}?verb=Harvest")
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    request = etree.fromstring(response.content).find(f"{OAI}request")
    assert request.attrib == {}  # a bad request is not echoed
    posted = ClientSickle(ENDPOINT, session=session, http_method="POST")
    record = posted.GetRecord(identifier=oai_id("document", "t-oai-letter"), metadataPrefix="ead")
    assert not record.deleted


def test_tampered_or_foreign_tokens_are_refused(
    adapter: DjangoClientAdapter, session: requests.Session, holdings: dict[str, Any]
) -> None:
    with override_settings(KIROKU_OAI_PAGE_SIZE=1):
        first = session.get(f"{ENDPOINT}?verb=ListIdentifiers&metadataPrefix=oai_dc").content
    token = etree.fromstring(first).findtext(f".//{OAI}resumptionToken")
    assert token
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for query in [
        f"verb=ListIdentifiers&resumptionToken={tampered}",
        f"verb=ListRecords&resumptionToken={token}",
    ]:
        assert error_code(session.get(f"{ENDPOINT}?{query}").content) == "badResumptionToken"
    with override_settings(KIROKU_OAI_TOKEN_LIFETIME=-1):
        expired = session.get(f"{ENDPOINT}?verb=ListIdentifiers&resumptionToken={token}")
    assert error_code(expired.content) == "badResumptionToken"


def test_list_records_query_count_does_not_grow_with_page_size(
    holdings: dict[str, Any],
) -> None:
    """One page of 2 records and one of 10 take the same number of queries, for each format."""
    for number in range(12):
        document = holdings["document"](f"t-oai-bulk-{number}", status=PublicationStatus.PUBLISHED)
        document.languages.set(holdings["letter"].languages.all())
        document.subjects.set(holdings["letter"].subjects.all())
    client = Client()

    def queries(size: int, prefix: str) -> tuple[int, list[str]]:
        query = f"verb=ListRecords&metadataPrefix={prefix}&set=collection:t-oai-s1"
        settings = override_settings(KIROKU_OAI_PAGE_SIZE=size, KIROKU_BASE_URL=BASE_URL)
        with settings, CaptureQueriesContext(connection) as captured:
            response = client.get(f"/oai?{query}")
        records = etree.fromstring(response.content).findall(f".//{OAI}record")
        assert len(records) == size
        return len(captured), [q["sql"] for q in captured.captured_queries]

    counts = {}
    for prefix in ["oai_dc", "ead"]:
        small, _ = queries(2, prefix)
        counts[prefix], sql = queries(10, prefix)
        assert small == counts[prefix], "\n\n".join(sql)
    # EAD adds the unit's components: child units, documents and their languages, no more
    assert counts["ead"] == counts["oai_dc"] + 3, "\n\n".join(sql)
