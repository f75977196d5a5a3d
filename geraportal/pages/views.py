from django.conf import settings
from django.shortcuts import render
from django.template.loader import select_template
from django.utils.translation import get_language
from django.views.generic import TemplateView

from geraportal.strategy.models import StrategyEdition

from . import home


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home_sections"] = home.render_sections(self.request)
        return context


class ContentPageView(TemplateView):
    """A page of long prose (imprint, privacy, ...).

    Whole documents are translated as whole templates, `pages/content/<page>.<lang>.html`,
    rather than sentence by sentence in the message catalogue; German is the fallback.
    """

    template_name = "pages/content_page.html"
    page = ""
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        context["page_title"] = self.title
        context["page_name"] = self.page
        context["content_template"] = select_template(
            [f"pages/content/{self.page}.{language}.html", f"pages/content/{self.page}.de.html"]
        )
        return context


class StrategyPageView(ContentPageView):
    """The strategy page lists the published editions under its text."""

    template_name = "pages/strategy_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["editions"] = StrategyEdition.objects.published()
        return context


def csrf_failure(request, reason: str = ""):
    """Shown when a form's security token is missing or forged: explain, don't blame."""
    return render(request, "403_csrf.html", status=403)
