import factory
from django.utils import timezone

from geraportal.core.markdown import render_markdown
from ideas.models import Comment, Competition, Criterion, Idea
from tests.accounts.factories import UserFactory
from workgroups.models import WorkingGroup


def theme(slug: str = "energie-umwelt") -> WorkingGroup:
    return WorkingGroup.objects.get(slug=slug)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idee Nummer {n} für Gera")
    body = "Mehr Bäume und Solarbänke in der Innenstadt."
    author = factory.SubFactory(UserFactory)
    theme = factory.LazyFunction(theme)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    body = "Gute Idee!"
    body_html = factory.LazyAttribute(lambda comment: render_markdown(comment.body))


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Ideenwettbewerb {n}")
    slug = factory.Sequence(lambda n: f"wettbewerb-{n}")
    description = "Ihre Ideen für ein smartes Gera."
    submission_start = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))
    submission_end = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=10))
    results_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=20))
    winners_count = 2

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create:
            for position, name in enumerate(extracted or ["Nutzen für Gera", "Umsetzbarkeit", "Innovation"]):
                Criterion.objects.create(competition=obj, name=name, position=position)
