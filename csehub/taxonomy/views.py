"""The Guidance section: the shared vocabulary, readable by every signed-in user.

Guidance is not about any child or person, so pages are not audited per view.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .forms import GuidanceSearchForm
from .models import Item, Vocabulary


def _vocabulary_or_404(code: str) -> Vocabulary:
    vocabulary = selectors.vocabulary_by_code(code)
    if vocabulary is None:
        raise Http404
    return vocabulary


@require_GET
def guidance_index(request: HttpRequest) -> HttpResponse:
    form = GuidanceSearchForm(request.GET if "q" in request.GET else None)
    query = ""
    results: list[Item] = []
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        results = selectors.items_search(query=query)
    return render(
        request,
        "taxonomy/index.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "vocabularies": selectors.vocabularies(),
        },
    )


@require_GET
def guidance_vocabulary(request: HttpRequest, vocabulary_code: str) -> HttpResponse:
    vocabulary = _vocabulary_or_404(vocabulary_code)
    items = list(selectors.items_for(vocabulary))
    grouped = any(item.parent_id for item in items)
    groups: list[dict[str, object]] = []
    if grouped:
        # Items come in file order; group them under their parents in the parents' order.
        parents = {item.parent.pk: item.parent for item in items if item.parent is not None}
        for parent in sorted(parents.values(), key=lambda p: p.position):
            groups.append(
                {"parent": parent, "items": [i for i in items if i.parent_id == parent.pk]}
            )
        ungrouped = [item for item in items if item.parent_id is None]
        if ungrouped:
            groups.append({"parent": None, "items": ungrouped})
    return render(
        request,
        "taxonomy/vocabulary.html",
        {
            "vocabulary": vocabulary,
            "items": items,
            "groups": groups,
            "grouped": grouped,
            "has_significant": any(item.significant for item in items),
        },
    )


@require_GET
def guidance_item(request: HttpRequest, vocabulary_code: str, item_code: str) -> HttpResponse:
    vocabulary = _vocabulary_or_404(vocabulary_code)
    try:
        item = selectors.item_by_code(vocabulary, item_code)
    except Item.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "taxonomy/item.html",
        {"vocabulary": vocabulary, "item": item, "children": list(selectors.children_of(item))},
    )
