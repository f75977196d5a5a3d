"""Working-group spaces on the demo data (issue 4): group page, thread, lists, calendar feed."""

from django.test import Client


def run(report) -> None:
    from geraportal.accounts.models import User
    from workgroups.models import Meeting, Thread

    slug = "energie-umwelt"
    public_thread = Thread.objects.filter(group__slug=slug, visibility="public").first()
    private_thread = Thread.objects.filter(group__slug=slug, visibility="members").first()
    meeting = Meeting.objects.filter(group__slug=slug, visibility="public").first()

    visitor = Client()
    for url in [
        f"/workgroups/{slug}/",
        f"/workgroups/{slug}/diskussionen/",
        public_thread.get_absolute_url(),
        f"/workgroups/{slug}/termine/",
        meeting.get_absolute_url(),
        f"/workgroups/{slug}/kalender.ics",
    ]:
        report.get(visitor, url, f"visitor {url}")

    member = Client()
    member.force_login(User.objects.get(email="mitglied@example.org"))
    for url in [
        f"/workgroups/{slug}/",
        private_thread.get_absolute_url(),
        f"/workgroups/{slug}/dokumente/",
        f"/workgroups/{slug}/mitglieder/",
    ]:
        report.get(member, url, f"member {url}")
