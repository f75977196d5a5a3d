from django.test import override_settings

from geraportal.core.checks import email_timeout_below_stuck_after


def test_settings_have_an_smtp_timeout_below_the_stuck_after_limit():
    assert email_timeout_below_stuck_after(None) == []


@override_settings(EMAIL_TIMEOUT=45, OUTBOX_STUCK_AFTER_SECONDS=20)
def test_a_timeout_longer_than_the_stuck_after_limit_is_an_error():
    assert [e.id for e in email_timeout_below_stuck_after(None)] == ["core.E002"]


@override_settings(EMAIL_TIMEOUT=None)
def test_no_timeout_is_an_error():
    assert [e.id for e in email_timeout_below_stuck_after(None)] == ["core.E001"]
