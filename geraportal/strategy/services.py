from django.db import transaction
from django.utils import timezone

from .models import StrategyEdition


@transaction.atomic
def edition_save(*, edition: StrategyEdition, publish: bool) -> StrategyEdition:
    if publish and edition.published_at is None:
        edition.published_at = timezone.now()
    edition.full_clean()
    edition.save()
    return edition
