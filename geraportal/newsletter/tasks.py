"""Celery tasks of the newsletter: plan an issue's batches, send a batch, resume what was lost."""

from celery import shared_task


@shared_task(acks_late=True)
def newsletter_plan(issue_id: int) -> int:
    """Cut an issue's recipients into batches and queue one task per batch."""
    from . import services

    batch_ids = services.issue_plan_batches(issue_id=issue_id)
    for batch_id in batch_ids:
        newsletter_send_batch.delay(batch_id)
    return len(batch_ids)


@shared_task(acks_late=True)
def newsletter_send_batch(batch_id: int) -> dict:
    from . import services

    return services.batch_send(batch_id=batch_id)


@shared_task
def newsletter_resume() -> int:
    """Queue again what a lost task left undone (broker down, worker killed)."""
    from . import services

    batch_ids = services.issues_resume()
    for batch_id in batch_ids:
        newsletter_send_batch.delay(batch_id)
    return len(batch_ids)
