import pytest

from geraportal.core.pagination import CappedPaginator
from geraportal.districts.models import District


@pytest.mark.django_db
def test_capped_paginator_counts_no_further_than_its_cap():
    districts = District.objects.order_by("name")
    total = districts.count()
    paginator = CappedPaginator(districts, 5, count_key="districts", cap=10)
    assert paginator.count == 10 and paginator.capped and paginator.num_pages == 2
    roomy = CappedPaginator(districts, 5, count_key="districts", cap=total)
    assert roomy.count == total and not roomy.capped


def _pagination(page, query=""):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        return render_to_string("includes/pagination.html", {"page": page, "query": query})


def test_one_page_needs_no_pagination():
    from django.core.paginator import Paginator

    assert _pagination(Paginator(range(5), 10).page(1)).strip() == ""


def test_pagination_is_a_labelled_nav_marking_the_current_page_and_keeping_the_query():
    from django.core.paginator import Paginator

    html = _pagination(Paginator(range(30), 10).page(2), query="theme=wirtschaft")
    assert '<nav aria-label="Pages">' in html
    assert 'aria-current="page"' in html and "Page 2 of 3" in html
    assert 'href="?theme=wirtschaft&amp;page=1" rel="prev"' in html
    assert 'href="?theme=wirtschaft&amp;page=3" rel="next"' in html
