"""The protocol's plumbing: verbs and their arguments, UTC datestamps, errors, resumption tokens.

Resumption tokens are stateless: the token is the signed, compressed state of the list (verb,
metadata prefix, from/until, set, the position reached as "kind of record + last primary key",
the cursor and the complete list size), stamped with its time of issue. Nothing is stored on the
server, any application server can answer the next page, and a tampered or expired token is a
``badResumptionToken``. Paging is by keyset (primary key), so a harvest neither skips nor
repeats records when others are added or withdrawn in the meantime.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

VERBS: dict[str, tuple[set[str], set[str]]] = {
    # verb: (required arguments, optional arguments); resumptionToken is handled on its own
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_TOKEN_SALT = "kiroku.oai.resumption"  # nosec B105


class OAIError(Exception):
    """An OAI-PMH error condition, answered in an ``<error code="...">`` element."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def bad_argument(message: str) -> OAIError:
    return OAIError("badArgument", message)


def base_url() -> str:
    return settings.KIROKU_BASE_URL + "/oai"


def repository_domain() -> str:
    """The ``<domain>`` of OAI identifiers: the host of ``KIROKU_BASE_URL``."""
    return urlsplit(settings.KIROKU_BASE_URL).hostname or "localhost"


def format_datestamp(moment: datetime) -> str:
    """A datestamp at the repository's granularity: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DateBound:
    """A ``from`` or ``until`` argument, with the granularity it was given in."""

    value: datetime  # the first instant the argument covers, in UTC
    day: bool  # given as YYYY-MM-DD

    @property
    def end(self) -> datetime:
        """The first instant after the span the argument names (for inclusive ``until``)."""
        return self.value + (timedelta(days=1) if self.day else timedelta(seconds=1))


def parse_datestamp(name: str, text: str) -> DateBound:
    """Parse ``from``/``until`` at either granularity; anything else is a badArgument."""
    try:
        if _DAY.match(text):
            return DateBound(datetime.combine(date.fromisoformat(text), time(), UTC), day=True)
        if _SECONDS.match(text):
            return DateBound(datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC), day=False)
    except ValueError:
        pass  # a well-shaped but impossible date (2024-02-30): reported below
    raise bad_argument(f"'{name}' must be a UTC date (YYYY-MM-DD) or datestamp ({GRANULARITY}).")


def parse_arguments(arguments: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    """Check the request's arguments against its verb; return the verb and the arguments.

    Raises badVerb for a missing, repeated or unknown verb, and badArgument for a repeated,
    unknown or missing argument, or a resumption token given with other arguments.
    """
    verbs = arguments.get("verb", [])
    if len(verbs) != 1:
        raise OAIError("badVerb", "Give exactly one verb." if verbs else "The verb is missing.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"'{verb}' is not an OAI-PMH verb.")
    repeated = sorted(name for name, values in arguments.items() if len(values) > 1)
    if repeated:
        raise bad_argument(f"Repeated argument(s): {', '.join(repeated)}.")
    given = {name: values[0] for name, values in arguments.items() if name != "verb"}
    required, optional = VERBS[verb]
    if "resumptionToken" in given and verb in RESUMABLE:
        if len(given) > 1:
            raise bad_argument("resumptionToken is an exclusive argument.")
        return verb, given
    unknown = sorted(set(given) - required - optional)
    if unknown:
        raise bad_argument(f"Illegal argument(s) for {verb}: {', '.join(unknown)}.")
    missing = sorted(required - set(given))
    if missing:
        raise bad_argument(f"Missing argument(s) for {verb}: {', '.join(missing)}.")
    return verb, given


@dataclass(frozen=True)
class ListState:
    """Where a list request stands: its query, the position reached, cursor and total."""

    verb: str
    metadata_prefix: str = ""
    from_: str = ""  # the arguments as given, re-validated on every page
    until: str = ""
    set_spec: str = ""
    kind: str = ""  # the kind of record reached ("" before the first page)
    after: int = 0  # the primary key of the last record sent, within ``kind``
    cursor: int = 0  # records sent before this page
    total: int | None = None  # completeListSize, counted once on the first page

    def advance(self, kind: str, after: int, sent: int, total: int) -> ListState:
        return replace(self, kind=kind, after=after, cursor=self.cursor + sent, total=total)

    def encode(self) -> str:
        return signing.dumps(asdict(self), salt=_TOKEN_SALT, compress=True)

    @classmethod
    def decode(cls, token: str, verb: str) -> ListState:
        lifetime = settings.KIROKU_OAI_TOKEN_LIFETIME
        try:
            data = signing.loads(token, salt=_TOKEN_SALT, max_age=lifetime)
            state = cls(**data)
        except signing.SignatureExpired as exc:
            raise OAIError("badResumptionToken", "The resumption token has expired.") from exc
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise OAIError("badResumptionToken", "The resumption token is not valid.") from exc
        if state.verb != verb:
            raise OAIError("badResumptionToken", f"This resumption token is not for {verb}.")
        return state


def token_expiration() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=settings.KIROKU_OAI_TOKEN_LIFETIME)
