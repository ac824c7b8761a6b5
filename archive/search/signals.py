"""Keep the search index current: every change to a record or to a part of it re-indexes it.

What depends on what: a document's entry holds its texts, its agents' names (every name form)
and its subjects and places; an agent's names also appear in the entries of its documents,
publications and the units it created. So a change to a name form re-indexes the agent and
those records too.

Fixture loads (``raw`` saves) are skipped: the loader rebuilds the index once at the end.
Deletions that cascade or set null without signals (a subject's links, a place of creation)
are handled by noting the affected records before the delete and re-indexing them after it.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from archive import facet_tallies
from archive.importers import records_imported
from archive.models import Collection, FacetTally, SearchEntry, SearchKind
from archive.search.indexing import public_ids, rebuild, reindex, reindex_agents, remove
from documents.models import (
    DigitalObject,
    Document,
    DocumentText,
    Place,
    Publication,
    PublicationCreator,
    Subject,
)
from people.models import Agent, AgentRole, NameForm

UID = "kiroku-search-"


# Records with entries of their own


@receiver(post_save, sender=Document, dispatch_uid=UID + "document-save")
def document_saved(sender: type, instance: Document, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        reindex(SearchKind.DOCUMENT, [instance.pk])


@receiver(post_delete, sender=Document, dispatch_uid=UID + "document-delete")
def document_deleted(sender: type, instance: Document, **kwargs: Any) -> None:
    remove(SearchKind.DOCUMENT, [instance.pk])


@receiver(post_save, sender=Collection, dispatch_uid=UID + "collection-save")
def collection_saved(sender: type, instance: Collection, raw: bool = False, **kw: Any) -> None:
    if not raw:
        reindex(SearchKind.COLLECTION, [instance.pk])
        _repository_moved(instance)


@receiver(post_delete, sender=Collection, dispatch_uid=UID + "collection-delete")
def collection_deleted(sender: type, instance: Collection, **kwargs: Any) -> None:
    remove(SearchKind.COLLECTION, [instance.pk])


@receiver(post_save, sender=Publication, dispatch_uid=UID + "publication-save")
def publication_saved(sender: type, instance: Publication, raw: bool = False, **kw: Any) -> None:
    if not raw:
        reindex(SearchKind.PUBLICATION, [instance.pk])


@receiver(post_delete, sender=Publication, dispatch_uid=UID + "publication-delete")
def publication_deleted(sender: type, instance: Publication, **kwargs: Any) -> None:
    remove(SearchKind.PUBLICATION, [instance.pk])


@receiver(post_save, sender=Agent, dispatch_uid=UID + "agent-save")
def agent_saved(sender: type, instance: Agent, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        reindex_agents([instance.pk])


@receiver(pre_delete, sender=Agent, dispatch_uid=UID + "agent-pre-delete")
def agent_deleting(sender: type, instance: Agent, **kwargs: Any) -> None:
    # the units it created keep their row (creator set to null, without signals)
    instance._search_units = list(  # type: ignore[attr-defined]
        Collection.objects.filter(creator=instance).values_list("pk", flat=True)
    )


@receiver(post_delete, sender=Agent, dispatch_uid=UID + "agent-delete")
def agent_deleted(sender: type, instance: Agent, **kwargs: Any) -> None:
    remove(SearchKind.AGENT, [instance.pk])
    reindex(SearchKind.COLLECTION, getattr(instance, "_search_units", []))


# Parts of records


# a document's texts and agents are in its entry; its files are not, but they are kept facet
# values (has a digital object)
@receiver(post_save, sender=DocumentText, dispatch_uid=UID + "text-save")
@receiver(post_delete, sender=DocumentText, dispatch_uid=UID + "text-delete")
@receiver(post_save, sender=AgentRole, dispatch_uid=UID + "role-save")
@receiver(post_delete, sender=AgentRole, dispatch_uid=UID + "role-delete")
@receiver(post_save, sender=DigitalObject, dispatch_uid=UID + "file-save")
@receiver(post_delete, sender=DigitalObject, dispatch_uid=UID + "file-delete")
def document_part_changed(
    sender: type, instance: DocumentText | AgentRole | DigitalObject, raw: bool = False, **kw: Any
) -> None:
    if not raw:
        reindex(SearchKind.DOCUMENT, [instance.document_id])


@receiver(post_save, sender=NameForm, dispatch_uid=UID + "name-save")
@receiver(post_delete, sender=NameForm, dispatch_uid=UID + "name-delete")
def name_changed(sender: type, instance: NameForm, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        reindex_agents([instance.agent_id])


@receiver(post_save, sender=PublicationCreator, dispatch_uid=UID + "creator-save")
@receiver(post_delete, sender=PublicationCreator, dispatch_uid=UID + "creator-delete")
def creator_changed(
    sender: type, instance: PublicationCreator, raw: bool = False, **kw: Any
) -> None:
    if not raw:
        reindex(SearchKind.PUBLICATION, [instance.publication_id])


# Vocabularies: their names appear in the entries of the documents that use them


def _vocabulary_documents(term: Subject | Place) -> list[int]:
    if isinstance(term, Subject):
        linked = Document.objects.filter(subjects=term)
    else:
        linked = Document.objects.filter(places=term) | Document.objects.filter(place=term)
    return list(linked.filter(Document.public_q()).values_list("pk", flat=True).distinct())


@receiver(post_save, sender=Subject, dispatch_uid=UID + "subject-save")
@receiver(post_save, sender=Place, dispatch_uid=UID + "place-save")
def vocabulary_saved(sender: type, instance: Subject | Place, raw: bool = False, **kw: Any) -> None:
    if not raw:
        reindex(SearchKind.DOCUMENT, _vocabulary_documents(instance))


@receiver(pre_delete, sender=Subject, dispatch_uid=UID + "subject-pre-delete")
@receiver(pre_delete, sender=Place, dispatch_uid=UID + "place-pre-delete")
def vocabulary_deleting(sender: type, instance: Subject | Place, **kwargs: Any) -> None:
    instance._search_documents = _vocabulary_documents(instance)  # type: ignore[union-attr]


@receiver(post_delete, sender=Subject, dispatch_uid=UID + "subject-delete")
@receiver(post_delete, sender=Place, dispatch_uid=UID + "place-delete")
def vocabulary_deleted(sender: type, instance: Subject | Place, **kwargs: Any) -> None:
    reindex(SearchKind.DOCUMENT, getattr(instance, "_search_documents", []))


def _documents_m2m_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    """A document's subjects or places changed (from either side of the relation)."""
    if not reverse:
        if action.startswith("post_"):
            reindex(SearchKind.DOCUMENT, [instance.pk])
        return
    if action == "pre_clear":
        instance._search_cleared = list(instance.documents.values_list("pk", flat=True))
    elif action == "post_clear":
        reindex(SearchKind.DOCUMENT, getattr(instance, "_search_cleared", []))
    elif action in ("post_add", "post_remove"):
        reindex(SearchKind.DOCUMENT, pk_set or [])


m2m_changed.connect(
    _documents_m2m_changed, sender=Document.subjects.through, dispatch_uid=UID + "subjects"
)
m2m_changed.connect(
    _documents_m2m_changed, sender=Document.places.through, dispatch_uid=UID + "places"
)
# a document's languages are not in its entry, but they are one of its kept facet values
m2m_changed.connect(
    _documents_m2m_changed, sender=Document.languages.through, dispatch_uid=UID + "languages"
)


# A facet value a document's entry does not show: its unit's repository


@receiver(pre_save, sender=Collection, dispatch_uid=UID + "collection-pre-save")
def collection_saving(sender: type, instance: Collection, raw: bool = False, **kw: Any) -> None:
    before = Collection.objects.filter(pk=instance.pk).values_list("repository_id", flat=True)
    instance._search_repository = (  # type: ignore[attr-defined]
        None if raw or instance.pk is None else before.first()
    )


def _repository_moved(instance: Collection) -> None:
    """A unit moved to another repository: its documents' repository facet value changed."""
    before = getattr(instance, "_search_repository", None)
    if before is not None and before != instance.repository_id:
        reindex(
            SearchKind.DOCUMENT,
            Document.objects.filter(Document.public_q(), collection=instance).values_list(
                "pk", flat=True
            ),
        )


@receiver(post_migrate, dispatch_uid=UID + "migrate")
def index_an_unindexed_archive(
    sender: Any, app_config: AppConfig, using: str = "default", **kwargs: Any
) -> None:
    """Build the index after ``migrate`` if the archive has public records but no index yet.

    An archive created before search existed gets its index on its next ``migrate``; later
    migrations find the index there and cost one query. An archive indexed before facet
    tallies were kept gets them counted (:func:`archive.facet_tallies.recount`) the same way.
    """
    if app_config.label != "archive" or using != "default":
        return
    tables = connections[using].introspection.table_names()
    if SearchEntry._meta.db_table not in tables:
        return  # migrated backwards past the index
    if SearchEntry.objects.exists():
        if FacetTally._meta.db_table in tables:
            for kind in facet_tallies.KEPT:
                if not facet_tallies.complete(kind):
                    facet_tallies.recount(kind, public_ids(kind))
        return
    if Document.objects.public().exists() or Agent.objects.public().exists():
        rebuild()


# Imports write in bulk (no post_save); the importer says what it wrote once it has committed.


@receiver(records_imported, dispatch_uid=UID + "records-imported")
def records_imported_reindex(
    sender: type, created: list[int], updated: list[int], **kwargs: Any
) -> None:
    ids = [*created, *updated]
    if sender is Document:
        reindex(SearchKind.DOCUMENT, ids)
    elif sender is Agent:
        reindex_agents(ids)
