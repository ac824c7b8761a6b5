"""Text genealogies on the public site: the list of genealogies and one genealogy's chain of
steps (draft, counter-draft, agreed, signed, ...) with two of them compared word by word.

The pieces here are shared with the partner API (:mod:`documents.api.views`): the summary
annotations of a genealogy, its ordered steps, and the form that checks which two steps to
compare, so that ``?a=&b=`` means the same thing, and is refused the same way, on both.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from archive.dates import format_date
from archive.jsonld import permalink
from documents.compare import Comparison, compare
from documents.filters import TextLineageFilterSet
from documents.models import Document, DocumentText, TextLineage
from documents.views import CompareForm, text_reference


def with_summary(queryset: QuerySet[TextLineage], *, public: bool = True) -> QuerySet:
    """Genealogies annotated with the number of their steps and the first and last day the
    steps' dates allow (``step_count``, ``first_date``, ``last_date``), in the same query.

    Only public steps (public texts of public documents) count unless ``public`` is false
    (curators in the API).
    """
    steps = DocumentText.public_q("texts__") if public else Q(texts__isnull=False)
    return queryset.annotate(
        step_count=Count("texts", filter=steps),
        first_date=Min("texts__date_start", filter=steps),
        last_date=Max("texts__date_end", filter=steps),
    )


def span_edtf(first: date | None, last: date | None) -> str:
    """The span of a genealogy's dates as EDTF: ``1956-10-17/1956-10-19``, one day, or ""."""
    if first is None or last is None:
        return ""
    if first == last:
        return first.isoformat()
    return f"{first.isoformat()}/{last.isoformat()}"


def span_display(lineage: TextLineage) -> str:
    """The annotated span of ``lineage`` (see :func:`with_summary`) as prose."""
    return format_date(span_edtf(lineage.first_date, lineage.last_date))


def ordered_steps(texts: QuerySet[DocumentText]) -> QuerySet[DocumentText]:
    """A genealogy's texts in the order of the chain, with what a step shows: its document
    (link and reference), language and the side that wrote it."""
    return texts.select_related("document", "language", "side").order_by("lineage_position")


def step_choices(steps: list[DocumentText]) -> dict[str, DocumentText]:
    """The steps by the reference that names them in ``?a=`` and ``?b=`` (``document:key``)."""
    return {text_reference(step): step for step in steps}


class StepCompareForm(CompareForm):
    """Two steps of one genealogy to compare; by default its first two steps."""

    invalid_choice = "“%(value)s” is not a step of this genealogy."

    @staticmethod
    def option_label(text: DocumentText, document: Document | None) -> str:
        label = text.label or text.get_kind_display()
        return (
            f"Step {text.lineage_position}: {label} ({text.language.name}) — {text.document.title}"
        )


def compare_steps(
    form: StepCompareForm, choices: dict[str, DocumentText]
) -> tuple[DocumentText, DocumentText, Comparison]:
    """The two steps a valid form names, earlier first as asked, and their comparison."""
    left, right = choices[form.cleaned_data["a"]], choices[form.cleaned_data["b"]]
    return left, right, compare(left.body, right.body)


# -- pages --------------------------------------------------------------------------------------


def genealogy_list(request: HttpRequest) -> HttpResponse:
    """Public genealogies with their number of public steps and the span of their dates."""
    filterset = TextLineageFilterSet(
        request.GET, queryset=with_summary(TextLineage.objects.public()), request=request
    )
    if not filterset.is_valid():
        context = {"filterset": filterset, "errors": filterset.errors, "page": None}
        return render(request, "documents/genealogy_list.html", context, status=400)
    page = Paginator(filterset.qs, 100).get_page(request.GET.get("page"))
    for lineage in page:
        lineage.span = span_display(lineage)
    return render(request, "documents/genealogy_list.html", {"filterset": filterset, "page": page})


def genealogy_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    """One genealogy's chain of public steps, and two of them side by side (``?a=&b=``, by
    default the first two). Two queries whatever the number of steps."""
    lineage = get_object_or_404(with_summary(TextLineage.objects.public()), identifier=identifier)
    lineage.span = span_display(lineage)
    # the related manager keeps ``lineage`` on each step: no query for step.lineage
    steps = list(ordered_steps(lineage.texts.public()))
    choices = step_choices(steps)
    bound = "a" in request.GET or "b" in request.GET
    form = StepCompareForm(request.GET if bound else None, texts=choices)
    status = 200
    context: dict[str, Any] = {"lineage": lineage, "form": form, "comparison": None}
    if bound and not form.is_valid():
        status = 400
    elif len(steps) > 1:
        if not bound:  # the first two steps, as the form offers them
            form = StepCompareForm(form.initial, texts=choices)
            form.is_valid()
        left, right, comparison = compare_steps(form, choices)
        context.update(
            comparison=comparison,
            left=left,
            right=right,
            sides=[("a", left, comparison.left), ("b", right, comparison.right)],
        )
    refs = list(choices)
    context["rows"] = [
        (
            step,
            "?" + urlencode({"a": ref, "b": refs[i + 1]}) + "#comparison"
            if i + 1 < len(refs)
            else "",
        )
        for i, (ref, step) in enumerate(choices.items())
    ]
    query = (
        "?" + urlencode({"a": form.cleaned_data["a"], "b": form.cleaned_data["b"]})
        if bound and context["comparison"]
        else ""
    )
    context["canonical"] = permalink(lineage) + query
    return render(request, "documents/genealogy_detail.html", context, status=status)
