from django import template

from geraportal.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Markdown rendered and sanitised by nh3 (see geraportal.core.markdown)."""
    return render_markdown(text)
