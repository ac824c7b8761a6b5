"""Agents: persons, organizations and families, their names, offices, relations and roles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive.models import (
    CodeManager,
    DatedModel,
    IdentifiedModel,
    IdentifierScheme,
    Publishable,
    PublishableQuerySet,
)


class AgentKind(models.TextChoices):
    """ISAAR(CPF) 5.1.1 type of entity."""

    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"  # corporate body: state, ministry, party, firm
    FAMILY = "family", "Family"


class Agent(IdentifiedModel, DatedModel):
    """A person, organization or family. ``date_edtf`` holds the dates of existence."""

    kind = models.CharField("kind", max_length=12, choices=AgentKind.choices)
    name = models.CharField(
        "preferred name",
        max_length=300,
        help_text="The name readers know, as the catalogue displays it (Ichiro Hatoyama).",
    )
    sort_name = models.CharField(
        "sort name",
        max_length=300,
        blank=True,
        help_text="How the name files alphabetically (Hatoyama, Ichiro); defaults to the name.",
    )
    nationality = models.CharField(
        "nationality", max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 (JP, SU, US)."
    )
    biography = models.TextField("history / biography", blank=True)
    functions = models.TextField("functions, occupations and activities", blank=True)
    places = models.ManyToManyField(
        "documents.Place", blank=True, related_name="agents", verbose_name="places"
    )
    sources = models.TextField("sources", blank=True, help_text="ISAAR(CPF) 5.4.8")

    class Meta:
        ordering = ["sort_name"]
        indexes = [
            models.Index(fields=["kind", "sort_name"], name="agent_kind_sort"),
            models.Index(fields=["status", "restricted", "sort_name"], name="agent_public_sort"),
            # the default order, total: the admin's list walks it (archive.admin_base)
            models.Index(fields=["sort_name", "id"], name="agent_default_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.identifier])

    def uses_japanese_era(self) -> bool:
        return self.nationality == "JP"

    def derive_fields(self) -> None:
        super().derive_fields()
        if not self.sort_name:
            self.sort_name = self.name


class Script(models.TextChoices):
    """ISO 15924 script codes for name forms."""

    LATIN = "Latn", "Latin"
    CYRILLIC = "Cyrl", "Cyrillic"
    JAPANESE = "Jpan", "Japanese (kanji and kana)"
    HAN = "Hani", "Han (kanji)"
    HIRAGANA = "Hira", "Hiragana"
    KATAKANA = "Kana", "Katakana"
    HANGUL = "Hang", "Hangul"
    OTHER = "Zyyy", "Other"


class NameKind(models.TextChoices):
    """What a name form is."""

    AUTHORIZED = "authorized", "Authorized form"  # the form the archive uses as the heading
    ORIGINAL = "original", "Original script"  # the name in the bearer's own script
    TRANSLITERATION = "transliteration", "Transliteration"  # under a named scheme
    VARIANT = "variant", "Variant"  # a spelling met in sources (Khrushchov)
    READING = "reading", "Reading"  # kana reading of a kanji name
    TRANSLATION = "translation", "Translated name"  # organizations: Ministry of Foreign Affairs
    ABBREVIATION = "abbreviation", "Abbreviation"  # LDP, MOFA
    FORMER = "former", "Earlier name"


class Transliteration(models.TextChoices):
    """Romanization and transliteration schemes."""

    NONE = "", "—"
    HEPBURN = "hepburn", "Hepburn (with macrons)"
    HEPBURN_PLAIN = "hepburn-plain", "Hepburn without macrons"
    KUNREI = "kunrei", "Kunrei-shiki"
    ALA_LC = "ala-lc", "ALA-LC"
    BGN_PCGN = "bgn-pcgn", "BGN/PCGN"
    ISO9 = "iso-9", "ISO 9"
    SCHOLARLY = "scholarly", "Scholarly"
    CONVENTIONAL = "conventional", "Conventional English"


class NameOrder(models.TextChoices):
    """How the parts of a personal name are ordered in this form."""

    FAMILY_FIRST = "family-first", "Family name first (HATOYAMA Ichiro)"
    GIVEN_FIRST = "given-first", "Given name first (Ichiro Hatoyama)"
    INVERTED = "inverted", "Inverted with comma (Hatoyama, Ichiro)"
    NOT_APPLICABLE = "", "—"


class NameFormManager(models.Manager):
    def get_by_natural_key(self, agent: str, name: str, language: str) -> NameForm:
        return self.get(agent__identifier=agent, name=name, language__code=language)


class NameForm(models.Model):
    """A name of an agent in one language and script, as used in some source or scheme."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="name_forms", verbose_name="agent"
    )
    name = models.CharField("name", max_length=300)
    language = models.ForeignKey(
        "archive.Language", on_delete=models.PROTECT, related_name="+", verbose_name="language"
    )
    script = models.CharField("script", max_length=4, choices=Script.choices)
    kind = models.CharField("kind", max_length=16, choices=NameKind.choices)
    transliteration = models.CharField(
        "transliteration scheme",
        max_length=16,
        choices=Transliteration.choices,
        blank=True,
    )
    name_order = models.CharField(
        "name order", max_length=12, choices=NameOrder.choices, blank=True
    )
    family_name = models.CharField("family name", max_length=150, blank=True)
    given_name = models.CharField("given name(s)", max_length=150, blank=True)
    kana_reading = models.CharField(
        "kana reading", max_length=300, blank=True, help_text="Used to sort Japanese names."
    )
    source = models.CharField("source", max_length=300, blank=True)

    objects = NameFormManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agent", "script", "kind", "name"]
        verbose_name = "name form"
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "name", "language"], name="nameform_unique_per_language"
            ),
        ]
        indexes = [
            # finding an agent by any of its names (admin search, name suggestions)
            models.Index(fields=["name"], name="nameform_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str, str]:
        return (self.agent.identifier, self.name, self.language.code)

    natural_key.dependencies = ["people.agent", "archive.language"]

    def clean(self) -> None:
        super().clean()
        if self.kana_reading and not all(
            "\u3040" <= ch <= "\u30ff" or ch in " 　・ー" for ch in self.kana_reading
        ):
            raise ValidationError({"kana_reading": "Use hiragana or katakana only."})


class PositionManager(models.Manager):
    def get_by_natural_key(self, agent: str, title: str, date_edtf: str) -> Position:
        return self.get(agent__identifier=agent, title=title, date_edtf=date_edtf)


class Position(DatedModel):
    """An office or position an agent held, with its dates and organization."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="positions", verbose_name="agent"
    )
    title = models.CharField("title", max_length=300)
    organization = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members_positions",
        verbose_name="organization",
    )
    note = models.TextField("note", blank=True)
    source = models.CharField("source", max_length=300, blank=True)

    objects = PositionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agent", "date_start", "title"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "title", "date_edtf"], name="position_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str, str, str]:
        return (self.agent.identifier, self.title, self.date_edtf)

    natural_key.dependencies = ["people.agent"]

    def uses_japanese_era(self) -> bool:
        return self.agent.uses_japanese_era()

    def clean(self) -> None:
        super().clean()
        if self.organization_id and self.organization_id == self.agent_id:
            raise ValidationError({"organization": "An agent cannot hold a position in itself."})


class AgentRelationType(models.Model):
    """A kind of relation between agents, read in both directions."""

    code = models.SlugField("code", max_length=60, unique=True)
    label = models.CharField("label", max_length=120, help_text='Source to target: "adviser to".')
    inverse_label = models.CharField(
        "inverse label", max_length=120, help_text='Target to source: "advised by".'
    )
    symmetric = models.BooleanField(
        "symmetric", default=False, help_text="Reads the same both ways (rival of, counterpart of)."
    )
    category = models.CharField(
        "ISAAR category",
        max_length=20,
        blank=True,
        choices=[
            ("hierarchical", "hierarchical"),
            ("temporal", "temporal"),
            ("family", "family"),
            ("associative", "associative"),
        ],
    )
    description = models.TextField("description", blank=True)

    objects = CodeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]
        verbose_name = "agent relation type"

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def clean(self) -> None:
        super().clean()
        if self.symmetric and self.label != self.inverse_label:
            raise ValidationError(
                {"inverse_label": "A symmetric relation reads the same both ways."}
            )


class AgentRelationManager(models.Manager.from_queryset(PublishableQuerySet)):
    def get_by_natural_key(
        self, source: str, relation_type: str, target: str, date_edtf: str
    ) -> AgentRelation:
        return self.get(
            source__identifier=source,
            relation_type__code=relation_type,
            target__identifier=target,
            date_edtf=date_edtf,
        )


class AgentRelation(Publishable, DatedModel):
    """A typed, dated, directed relation between two agents, citing its evidence."""

    source = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="relations_out", verbose_name="agent"
    )
    relation_type = models.ForeignKey(
        AgentRelationType, on_delete=models.PROTECT, related_name="+", verbose_name="relation"
    )
    target = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="relations_in", verbose_name="related agent"
    )
    description = models.TextField("description", blank=True)
    supporting_documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="supported_agent_relations",
        verbose_name="supporting documents",
    )
    supporting_publications = models.ManyToManyField(
        "documents.Publication",
        blank=True,
        related_name="supported_agent_relations",
        verbose_name="supporting publications",
    )
    source_note = models.CharField(
        "where the evidence says so", max_length=300, blank=True, help_text="Section, note, page."
    )

    objects = AgentRelationManager()

    class Meta:
        ordering = ["source", "relation_type", "target"]
        verbose_name = "agent relation"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "relation_type", "target", "date_edtf"],
                name="agentrelation_unique",
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="agentrelation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relation_type_id}: {self.source_id} → {self.target_id}"

    def natural_key(self) -> tuple[str, str, str, str]:
        return (
            self.source.identifier,
            self.relation_type.code,
            self.target.identifier,
            self.date_edtf,
        )

    natural_key.dependencies = ["people.agent", "people.agentrelationtype"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        return (
            super().public_q(prefix)
            & Agent.public_q(f"{prefix}source__")
            & Agent.public_q(f"{prefix}target__")
        )

    def clean(self) -> None:
        super().clean()
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": "An agent cannot be related to itself."})


class DocumentRole(models.TextChoices):
    """The part an agent plays in a document."""

    AUTHOR = "author", "author"
    SENDER = "sender", "sender"
    RECIPIENT = "recipient", "recipient"
    SIGNATORY = "signatory", "signatory"
    PARTICIPANT = "participant", "participant"
    RECORDER = "recorder", "recorder"
    TRANSLATOR = "translator", "translator"
    INTERPRETER = "interpreter", "interpreter"
    CONTRIBUTOR = "contributor", "contributor"  # brought the document to the publishing archive
    DONOR = "donor", "donor"  # funded its publication or gave it to the archive
    PHOTOGRAPHER = "photographer", "photographer"
    ISSUER = "issuer", "issuing body"  # a government or ministry in whose name it is issued
    MENTIONED = "mentioned", "mentioned"
    SUBJECT = "subject", "depicted or discussed"


class AgentRoleManager(models.Manager):
    def get_by_natural_key(self, document: str, agent: str, role: str) -> AgentRole:
        return self.get(document__identifier=document, agent__identifier=agent, role=role)


class AgentRole(models.Model):
    """An agent's part in a document (author, recipient, signatory, ...)."""

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="agent_roles",
        verbose_name="document",
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="document_roles", verbose_name="agent"
    )
    role = models.CharField("role", max_length=12, choices=DocumentRole.choices)
    name_as_written = models.CharField("name as written", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)
    note = models.CharField("note", max_length=500, blank=True)

    objects = AgentRoleManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "order", "role"]
        verbose_name = "agent in document"
        verbose_name_plural = "agents in documents"
        constraints = [
            models.UniqueConstraint(fields=["document", "agent", "role"], name="agentrole_unique"),
        ]
        indexes = [
            # an agent's documents by role (agent pages, people facets)
            models.Index(fields=["agent", "role"], name="agentrole_agent_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.document.identifier, self.agent.identifier, self.role)

    natural_key.dependencies = ["documents.document", "people.agent"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        from documents.models import Document

        return Document.public_q(f"{prefix}document__") & Agent.public_q(f"{prefix}agent__")


class AuthorityIdentifierManager(models.Manager):
    def get_by_natural_key(self, scheme: str, value: str) -> AuthorityIdentifier:
        return self.get(scheme__code=scheme, value=value)


class AuthorityIdentifier(models.Model):
    """An agent's identifier in an authority file (Wikidata, VIAF, NDL Authorities)."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="authority_ids", verbose_name="agent"
    )
    scheme = models.ForeignKey(
        IdentifierScheme, on_delete=models.PROTECT, related_name="+", verbose_name="authority file"
    )
    value = models.CharField("identifier", max_length=100)

    objects = AuthorityIdentifierManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agent", "scheme"]
        verbose_name = "authority identifier"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="authorityid_unique"),
        ]

    def __str__(self) -> str:
        return self.value

    def natural_key(self) -> tuple[str, str]:
        return (self.scheme.code, self.value)

    natural_key.dependencies = ["archive.identifierscheme", "people.agent"]

    @property
    def url(self) -> str:
        return self.scheme.url_for(self.value)
