"""The page measurements: collection page, /documents/, home, document, person, admin, search.

Each suite times our page (benchmarks.timing) beside its baselines (the bare and naive views and
the stock admin in benchmarks/views.py and benchmarks/admin.py) and adds the rows to the report.
"""

import importlib

from benchmarks.timing import measure, probe, url_or_none, with_query

IGNORED = "not available: the page ignores these parameters in this checkout"
NO_PAGINATION = "not available: the page has no pagination links in this checkout"


def discover_filterset():
    """The public document FilterSet (documents.browse.filters), if this checkout has one."""
    try:
        module = importlib.import_module("documents.browse.filters")
    except ImportError:
        return None
    import django_filters

    from documents.models import Document

    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, django_filters.FilterSet)
            and value is not django_filters.FilterSet
            and getattr(value._meta, "model", None) is Document
        ):
            return value
    return None


# Public filter name -> (Document field the naive baseline filters on, the value's field).
VALUE_FILTERS = {
    "subject": ("subjects", "slug"),
    "place": ("places", "slug"),
    "language": ("languages", "code"),
    "classification": ("classification", "slug"),
    "type": ("document_type", "slug"),
}


def choose_filters(filterset, documents):
    """Up to three relation filters with their most common values among `documents`.

    Returns (search parameter name, [(param, value, naive_field, pk), ...]).
    """
    import django_filters
    from django.db.models import Count

    search_param = "q"
    chosen = []
    if filterset is None:
        return search_param, chosen
    for name in filterset.base_filters:
        if name in ("q", "search", "query", "text", "keywords"):
            search_param = name
            break
    preferred = ["subjects", "places", "languages", "classification", "document_type"]
    candidates = []
    for name, item in filterset.base_filters.items():
        if isinstance(
            item, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
        ):
            field = item.field_name.split("__")[0]
            to_field = item.extra.get("to_field_name") or "pk"
        elif name in VALUE_FILTERS:
            # Filters by a readable value in the query string (?subject=oil), not by id.
            field, to_field = VALUE_FILTERS[name]
        else:
            continue
        rank = preferred.index(field) if field in preferred else len(preferred)
        candidates.append((rank, name, to_field, field))
    narrowed = documents
    for _rank, name, to_field, field in sorted(candidates, key=lambda c: c[0]):
        if len(chosen) == 3:
            break
        top = (
            narrowed.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n")
            .first()
        )
        if not top:
            continue
        pk = top[field]
        related_model = narrowed.model._meta.get_field(field).related_model
        value = getattr(related_model.objects.get(pk=pk), to_field)
        chosen.append((name, value, field, pk))
        narrowed = narrowed.filter(**{field: pk})
    return search_param, chosen


def page_suite(report, *, repeat, client, admin_client):
    from django.db.models import Count

    from archive_collections.models import Collection
    from documents.management.commands.generate_archive import SEARCH_TERMS
    from documents.models import Contribution, Document, Person

    published = Document.objects.published()
    collection = (
        Collection.objects.published()
        .annotate(n=Count("documents", filter=models_q_published()))
        .order_by("-n")
        .first()
    )
    filterset = discover_filterset()
    search_param, filters = choose_filters(filterset, published.filter(collections=collection))
    list_url = url_or_none("documents:list")
    pages = {
        "collection page": (
            url_or_none("collections:detail", slug=collection.slug),
            f"bench/naive/collections/{collection.slug}/",
            {"collection": collection.slug},
        ),
        "document list": (list_url, "bench/naive/documents/", {}),
    }
    for group, (base_url, naive_prefix, bare_extra) in pages.items():
        if base_url is None:
            for case in (
                "no filter, page 1",
                "one filter, page 1",
                "three filters, page 1",
                "deep page",
                f"search '{SEARCH_TERMS['mid']}'",
            ):
                report.add(
                    group, case, {"status": "not available: URL does not exist in this checkout"}
                )
            continue
        unfiltered = probe(client, base_url) or {}
        cases = [("no filter, page 1", [], None)]
        if filters:
            cases += [
                ("one filter, page 1", filters[:1], None),
                ("three filters, page 1", filters[:3], None),
            ]
        cases.append((f"search '{SEARCH_TERMS['mid']}'", [], SEARCH_TERMS["mid"]))
        for case, chosen, term in cases:
            params = {name: value for name, value, _field, _pk in chosen}
            naive_params = {field: pk for _n, _v, field, pk in chosen}
            if term:
                params[search_param] = naive_params["q"] = term
            url = with_query(base_url, params)
            found = probe(client, url) or {}
            if (
                (chosen or term)
                and found.get("count") is not None
                and found["count"] == unfiltered.get("count")
            ):
                report.add(
                    group,
                    case,
                    {
                        "status": IGNORED,
                        "url": url,
                    },
                )
                continue
            ours = measure(client, url, repeat=repeat)
            ours["count"] = found.get("count")
            baselines = []
            template = found.get("template")
            if ours["status"] == "ok" and template:
                if found.get("ids"):
                    bare_url = with_query(
                        f"/bench/bare/{template}",
                        {"ids": ",".join(map(str, found["ids"])), **bare_extra},
                    )
                    baselines.append(
                        ("bare view", measure(client, bare_url, repeat=repeat, baseline=True))
                    )
                naive_url = with_query(f"/{naive_prefix}{template}", naive_params)
                baselines.append(
                    (
                        "naive FilterSet+Paginator",
                        measure(client, naive_url, repeat=repeat, baseline=True),
                    )
                )
            report.add(group, case, ours, baselines)
            if case == "no filter, page 1" and not filters:
                note = (
                    "not available: no public FilterSet (documents.browse.filters) in this checkout"
                )
                report.add(group, "one filter, page 1", {"status": note})
                report.add(group, "three filters, page 1", {"status": note})
            if case == "no filter, page 1":
                # A deep page, against page 1 of the same list.
                if found.get("last_page") and found["last_page"] > 1 and ours["status"] == "ok":
                    deep = measure(
                        client, with_query(base_url, {"page": found["last_page"]}), repeat=repeat
                    )
                    deep["page"] = found["last_page"]
                    report.add(group, "deep page", deep, [("page 1 (same list)", ours)])
                else:
                    report.add(
                        group,
                        "deep page",
                        {"status": NO_PAGINATION},
                    )

    # The front door, with its recently published documents.
    report.add("home page", "recently published", measure(client, "/", repeat=repeat))

    # Document and person pages.
    richest = (
        Contribution.objects.filter(document__status="published")
        .values("document")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    document = Document.objects.get(pk=richest["document"])
    report.add(
        "document page",
        "richest document",
        measure(client, document.get_absolute_url(), repeat=repeat),
    )
    people = list(
        Person.objects.annotate(n=Count("contributions")).filter(n__gt=0).order_by("-n", "pk")
    )
    busiest, typical = people[0], people[len(people) // 2]
    ours = measure(client, busiest.get_absolute_url(), repeat=repeat)
    ours["documents"] = busiest.n
    report.add("person page", "most documents", ours)
    ours = measure(client, typical.get_absolute_url(), repeat=repeat)
    ours["documents"] = typical.n
    report.add("person page", "median person", ours)
    return filters, search_param


def models_q_published():
    from django.db.models import Q

    return Q(documents__status="published")


def admin_suite(report, *, repeat, admin_client):
    from django.contrib import admin

    from documents.models import Document, Person

    real = admin.site._registry.get(Document)
    if real is None:
        report.add("admin changelist", "page 1", {"status": "not available: no document admin"})
        return
    total = Document.objects.count()
    last_page = max(1, -(-total // real.list_per_page))
    surname = Person.objects.order_by("pk").values_list("name", flat=True).first().split()[-1]
    cases = [
        ("page 1", {}),
        ("a filter", {"status__exact": "published"}),
        (f"search '{surname}'", {"q": surname}),
        (f"deep page ({last_page})", {"p": last_page}),
    ]
    for case, params in cases:
        ours = measure(
            admin_client, with_query("/admin/documents/document/", params), repeat=repeat
        )
        stock = measure(
            admin_client,
            with_query("/bench-admin/documents/document/", params),
            repeat=repeat,
            baseline=True,
        )
        report.add("admin changelist", case, ours, [("stock ModelAdmin", stock)])


def search_suite(report, *, repeat, client, search_param):
    from documents.management.commands.generate_archive import SEARCH_TERMS
    from documents.models import Document

    list_url = url_or_none("documents:list")
    naive_template = (
        "documents/document_list.html"
        if _template_exists("documents/document_list.html")
        else "builtin"
    )
    for kind in ("common", "mid", "rare", "phrase"):
        term = SEARCH_TERMS[kind]
        query = f'"{term}"' if kind == "phrase" else term
        case = f"{kind} term" if kind != "phrase" else "phrase"
        url = with_query(list_url, {search_param: query})
        ours = measure(client, url, repeat=repeat)
        expected = Document.objects.published().filter(text__icontains=term).count()
        if ours["status"] == "ok":
            found = probe(client, url) or {}
            ours["count"] = found.get("count")
            if (
                found.get("count") is not None
                and found["count"] == Document.objects.published().count()
                and expected < found["count"]
            ):
                ours["status"] = "not available: the list ignores the search parameter"
        elif list_url is None:
            ours["status"] = "not available: /documents/ (search) does not exist in this checkout"
        naive = measure(
            client,
            with_query(f"/bench/naive/documents/{naive_template}", {"q": term}),
            repeat=max(3, repeat // 3),
            baseline=True,
        )
        naive["count"] = expected
        report.add("search", f"{case} ('{term}')", ours, [("naive icontains scan", naive)])


def _template_exists(name):
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True
