"""The whole way with the real parts: a Redis broker, a Celery worker process, a receiver.

Like tests/notifications/test_real_delivery.py (whose worker and Redis fixtures this uses):
PostgreSQL, because the worker must see the committed rows.
"""

import json

import pytest
from django.db import transaction

from api.webhooks import services
from api.webhooks.models import Delivery
from tests.notifications.test_real_delivery import Worker, web_uses_broker  # noqa: F401
from tests.waiting import wait_until

from .conftest import make_endpoint
from .test_delivery import submit_idea

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def worker(redis_server, tmp_path):
    w = Worker(redis_url=redis_server.url, smtp_port=1, log=tmp_path / "worker.log")
    w.env.update(
        {
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "WEBHOOK_ALLOW_HTTP": "True",
            "WEBHOOK_RETRY_BASE_SECONDS": "1",
            "WEBHOOK_TIMEOUT_SECONDS": "2",
            "SITE_URL": "https://beteiligung.gera.de",
        }
    )
    w.start()
    yield w
    w.stop()


def test_an_idea_reaches_the_receiver_once_through_the_worker_after_a_500(receiver, worker, web_uses_broker):  # noqa: F811
    make_endpoint(receiver.url)
    receiver.fail_first = 1
    with transaction.atomic():
        idea = submit_idea(title="Über den Worker")
    wait_until(
        lambda: Delivery.objects.filter(status="delivered").exists(),
        timeout=60,
        message=f"the delivery (worker log: {worker.log})",
    )
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2 and delivery.response_status == 200
    assert len(receiver.requests) == 2
    assert {r.headers["X-Geraportal-Delivery"] for r in receiver.requests} == {str(delivery.uuid)}
    assert json.loads(receiver.requests[1].body)["data"]["idea"]["id"] == idea.pk
    # The sweep finds nothing left to send.
    assert services.deliveries_sweep() == 0
    assert len(receiver.requests) == 2
