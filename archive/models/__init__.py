"""Models of the archive app: shared building blocks and the holdings."""

from archive.models.api_keys import PartnerKey
from archive.models.base import (
    CodeManager,
    DatedModel,
    IdentifiedManager,
    IdentifiedModel,
    Language,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
)
from archive.models.catalogue import CatalogueVersion
from archive.models.holdings import (
    Collection,
    CustodyStatus,
    IdentifierScheme,
    ReferenceLevel,
    Repository,
    RepositoryKind,
)
from archive.models.identifiers import RetiredIdentifier
from archive.models.search import FacetTally, RecordFacets, SearchEntry, SearchKind

__all__ = [
    "CatalogueVersion",
    "CodeManager",
    "Collection",
    "CustodyStatus",
    "DatedModel",
    "FacetTally",
    "IdentifiedManager",
    "IdentifiedModel",
    "IdentifierScheme",
    "Language",
    "PartnerKey",
    "PublicationStatus",
    "Publishable",
    "PublishableQuerySet",
    "RecordFacets",
    "ReferenceLevel",
    "Repository",
    "RepositoryKind",
    "RetiredIdentifier",
    "SearchEntry",
    "SearchKind",
]
