"""Records for the search tests: identifiers start with ``t-search-``."""

from typing import Any

import pytest

from archive.models import Language
from documents.models import Document, DocumentText, DocumentType
from people.models import Agent, AgentRole, NameForm


@pytest.fixture
def form(db: None) -> DocumentType:
    return DocumentType.objects.create(code="t-search-form", name="search test form")


def language(code: str) -> Language:
    return Language.objects.get_or_create(code=code, defaults={"name": code})[0]


def make_document(form: DocumentType, slug: str, **fields: Any) -> Document:
    fields.setdefault("status", "published")
    fields.setdefault("title", f"Test record {slug}")
    return Document.objects.create(identifier=f"t-search-{slug}", document_type=form, **fields)


def add_text(document: Document, key: str, body: str, lang: str = "en", **fields: Any) -> None:
    fields.setdefault("status", "published")
    DocumentText.objects.create(
        document=document, key=key, kind="original", language=language(lang), body=body, **fields
    )


def make_agent(slug: str, name: str, forms: list[tuple[str, str, str]], **fields: Any) -> Agent:
    """An agent with name forms given as (name, language code, script)."""
    fields.setdefault("status", "published")
    agent = Agent.objects.create(identifier=f"t-search-{slug}", kind="person", name=name, **fields)
    for form_name, lang, script in forms:
        NameForm.objects.create(
            agent=agent, name=form_name, language=language(lang), script=script, kind="variant"
        )
    return agent


def add_role(document: Document, agent: Agent, role: str = "participant") -> None:
    AgentRole.objects.create(document=document, agent=agent, role=role)
