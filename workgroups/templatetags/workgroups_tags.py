from django import template

from geraportal.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Markdown → sanitised HTML (agendas, minutes)."""
    return render_markdown(text)
