import pytest

from geraportal.core.pagination import CappedPaginator
from geraportal.districts.models import District


@pytest.mark.django_db
def test_capped_paginator_counts_no_further_than_its_cap():
    districts = District.objects.order_by("name")
    total = districts.count()
    paginator = CappedPaginator(districts, 5, cap=10)
    assert paginator.count == 10 and paginator.capped and paginator.num_pages == 2
    roomy = CappedPaginator(districts, 5, cap=total)
    assert roomy.count == total and not roomy.capped
