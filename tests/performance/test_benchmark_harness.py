"""The benchmark's baselines measure what they claim, and missing features are never faked."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client

from archive_collections.models import Collection
from benchmarks import importing, imports, pages, timing
from benchmarks.admin import stock_site
from documents.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.urls("benchmarks.urls")]


@pytest.fixture
def archive():
    call_command("generate_archive", documents=60, seed=9, verbosity=0)


def test_bare_baseline_renders_exactly_the_rows_asked_for_with_the_pages_template(archive):
    collection = Collection.objects.published().first()
    chosen = list(Document.objects.published().order_by("-record_id")[:3])
    url = timing.with_query(
        "/bench/bare/collections/collection_detail.html",
        {"ids": ",".join(str(d.pk) for d in chosen), "collection": collection.slug},
    )
    body = Client().get(url).content.decode()
    assert collection.title in body
    listed = body.split('id="results-heading"')[1]
    for document in chosen:
        assert document.get_absolute_url() in listed
    assert listed.count('class="document-summary"') == 3


def test_naive_baseline_filters_and_paginates_like_a_first_attempt(archive):
    collection = Collection.objects.published().first()
    response = Client().get(
        f"/bench/naive/collections/{collection.slug}/collections/collection_detail.html"
    )
    assert response.status_code == 200
    assert response.context["paginator"].count == (
        Document.objects.published().filter(collections=collection).count()
    )


def test_stock_admin_has_the_real_admins_columns_filters_and_search_and_nothing_else():
    real = admin.site._registry[Document]
    stock = stock_site._registry[Document]
    assert stock.list_display == real.list_display
    assert stock.list_filter == real.list_filter
    assert stock.search_fields == real.search_fields
    assert stock.list_select_related is False


def test_pages_that_do_not_exist_are_reported_as_not_available(archive):
    client = Client()
    assert timing.measure(client, None, repeat=3)["status"] == "not available"
    missing = timing.measure(client, "/no-such-page/", repeat=3)
    assert missing["status"] == "not available: HTTP 404"
    assert "p95_ms" not in missing


def test_page_figures_are_percentiles_and_query_counts(archive):
    document = Document.objects.published().first()
    figures = timing.measure(Client(), document.get_absolute_url(), repeat=5)
    assert figures["status"] == "ok"
    assert 0 < figures["p50_ms"] <= figures["p95_ms"]
    assert figures["queries"] > 0


def test_the_stock_import_baseline_imports_the_generated_spreadsheet(archive, tmp_path):
    path = tmp_path / "rows.csv"
    call_command(
        "generate_archive", documents=15, seed=2, csv=str(path), first_record_id=1000, verbosity=0
    )
    outcome = importing.run_baseline(path)
    assert outcome["rows"] == 15
    assert outcome["written"]["new"] == 15
    assert Document.objects.filter(record_id__gte=1000).count() == 15
    again = importing.run_baseline(path)
    assert again["written"]["update"] == 15, "stock defaults rewrite unchanged rows"


def test_the_archive_import_is_reported_missing_until_it_exists(monkeypatch):
    monkeypatch.setattr(importing.importlib.util, "find_spec", lambda name: None)
    function, why = importing.archive_import_entry_point()
    assert function is None
    assert why.startswith("not available")


def test_a_one_percent_changed_file_changes_exactly_one_row_in_a_hundred(tmp_path):
    path, changed = tmp_path / "rows.csv", tmp_path / "changed.csv"
    call_command("generate_archive", documents=300, seed=2, csv=str(path), verbosity=0)
    assert imports.write_changed_copy(path, changed) == 3


def test_naive_search_baseline_counts_every_published_text_containing_the_term(archive):
    expected = Document.objects.published().filter(text__icontains="committee").count()
    response = Client().get("/bench/naive/documents/builtin?q=committee")
    assert response.status_code == 200
    assert f"{expected} documents" in response.content.decode()


def test_filters_are_chosen_from_the_public_filterset_with_values_that_match_documents(archive):
    import django_filters

    from documents.models import Language, Place, Subject

    class PublicFilter(django_filters.FilterSet):
        q = django_filters.CharFilter(method="search")
        subject = django_filters.ModelMultipleChoiceFilter(
            field_name="subjects", queryset=Subject.objects.all(), to_field_name="slug"
        )
        place = django_filters.ModelChoiceFilter(field_name="places", queryset=Place.objects.all())
        language = django_filters.ModelChoiceFilter(
            field_name="languages", queryset=Language.objects.all()
        )

        class Meta:
            model = Document
            fields = []

    published = Document.objects.published()
    search_param, chosen = pages.choose_filters(PublicFilter, published)
    assert search_param == "q"
    assert [name for name, _value, _field, _pk in chosen] == ["subject", "place", "language"]
    subject_slug = chosen[0][1]
    assert Subject.objects.filter(slug=subject_slug).exists()
    narrowed = published
    for _name, _value, field, pk in chosen:
        narrowed = narrowed.filter(**{field: pk})
    assert narrowed.exists(), "three filters together still match documents"


def test_the_archives_own_filters_are_chosen_by_their_readable_values(archive):
    from django.http import QueryDict

    from documents.browse.filters import DocumentFilter

    published = Document.objects.published()
    search_param, chosen = pages.choose_filters(DocumentFilter, published)
    assert search_param == "q"
    assert [name for name, _value, _field, _pk in chosen] == ["subject", "place", "language"]
    params = QueryDict(mutable=True)
    for name, value, _field, _pk in chosen:
        params[name] = value
    narrowed = published
    for _name, _value, field, pk in chosen:
        narrowed = narrowed.filter(**{field: pk})
    filtered = DocumentFilter(params, queryset=published).qs
    assert set(filtered) == set(narrowed) != set()


def test_the_archive_import_of_the_generated_files_reports_new_unchanged_and_one_percent(
    archive, tmp_path
):
    from django.contrib.auth import get_user_model

    from documents.models import ImportChange

    get_user_model().objects.create_superuser("curator", "curator@example.org", "x")
    path, changed = tmp_path / "rows.csv", tmp_path / "changed.csv"
    call_command(
        "generate_archive", documents=300, seed=2, csv=str(path), first_record_id=1000, verbosity=0
    )
    imports.write_changed_copy(path, changed)

    first, again, edited = (importing.run_archive(p) for p in (path, path, changed))

    assert first["rows"] == 300 and first["written"]["created"] == 300
    assert again["written"] == {"created": 0, "updated": 0, "unchanged": 300, "skipped": 0}
    assert edited["written"]["updated"] == 3 and edited["written"]["unchanged"] == 297
    assert ImportChange.objects.filter(action=ImportChange.Action.UPDATED).count() == 3


def test_the_public_index_figures_count_the_published_documents_and_the_orders_pages_add(
    archive,
):
    from benchmarks.public_index import measure_here
    from documents.browse import index

    index.forget()
    figures = measure_here()

    assert figures["status"] == "ok"
    assert figures["documents"] == Document.objects.published().count() > 0
    built = index.public_index()
    without_orders = built.nbytes() - sum(o.nbytes for o in built._orders.values())
    assert built._orders, "the first /documents/ page sorts by an order the index keeps"
    assert built.nbytes() > without_orders >= built.ids.nbytes * 2
