"""Models of the documents app."""

from documents.models.events import (
    Event,
    EventDocument,
    EventDocumentRelation,
    EventKind,
    EventParticipant,
    ParticipantRole,
)
from documents.models.publications import (
    Citation,
    CitationKind,
    CreatorRole,
    Publication,
    PublicationCreator,
    PublicationKind,
)
from documents.models.records import (
    INVERSE_LABELS,
    Copy,
    CopyKind,
    DigitalObject,
    Document,
    DocumentRelation,
    DocumentText,
    Identifier,
    RelationType,
    TextKind,
    TextLineage,
    TextStage,
)
from documents.models.vocabularies import DocumentType, Place, Subject

__all__ = [
    "INVERSE_LABELS",
    "Citation",
    "CitationKind",
    "Copy",
    "CopyKind",
    "CreatorRole",
    "DigitalObject",
    "Document",
    "DocumentRelation",
    "DocumentText",
    "DocumentType",
    "Event",
    "EventDocument",
    "EventDocumentRelation",
    "EventKind",
    "EventParticipant",
    "Identifier",
    "ParticipantRole",
    "Place",
    "Publication",
    "PublicationCreator",
    "PublicationKind",
    "RelationType",
    "Subject",
    "TextKind",
    "TextLineage",
    "TextStage",
]
