"""Comments keep their sanitised HTML beside the Markdown, rendered once when written.

Existing comments are rendered here in batches by key (250,000 comments take a few minutes),
with a progress line per batch so whoever runs `migrate` sees it is working.
"""

import sys

from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def render_existing(apps, schema_editor):
    from geraportal.core.markdown import render_markdown

    Comment = apps.get_model("ideas", "Comment")
    total = Comment.objects.count()
    done = 0
    last = 0
    while True:
        batch = list(Comment.objects.filter(pk__gt=last).order_by("pk").only("pk", "body")[:BATCH])
        if not batch:
            break
        for comment in batch:
            comment.body_html = render_markdown(comment.body)
        Comment.objects.bulk_update(batch, ["body_html"])
        last = batch[-1].pk
        done += len(batch)
        if total > BATCH:
            sys.stdout.write(f"\n    comments rendered: {done}/{total}")
            sys.stdout.flush()


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0004_report_once"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_html",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("parent__isnull", True)),
                fields=["idea", "created_at", "id"],
                name="ideas_comment_top",
            ),
        ),
    ]
