"""Markdown people write cannot load images from other hosts, however the address is disguised."""

import pytest
from django.urls import reverse

from geraportal.core.markdown import render_markdown

OTHER_HOST_IMAGES = [
    "![x](//evil.example/x.png)",
    "![x](/\\evil.example/p.png)",
    '<img src="/\\evil.example/x.png">',
    '<img src="/&#9;/evil.example/x">',
    '<img src="/&#10;/evil.example/x">',
    '<img src="/&#13;/evil.example/x">',
    '<img src="/&#x5C;evil.example/x">',
    '<img src="&#9;//evil.example/x">',
    '<img src=" //evil.example/x">',
    "![x](https://evil.example/x.png)",
]


@pytest.mark.parametrize("text", OTHER_HOST_IMAGES)
def test_image_from_another_host_is_dropped_however_it_is_written(text):
    html = str(render_markdown(text))
    assert "evil.example" not in html
    assert "src=" not in html


@pytest.mark.parametrize(
    "text",
    ["[a](/\\evil.example/)", '<a href="/&#9;/evil.example">a</a>', '<a href="/&#10;/evil.example">a</a>'],
)
def test_link_disguised_as_a_path_on_this_site_is_dropped(text):
    assert "evil.example" not in str(render_markdown(text))


def test_images_from_this_site_and_ordinary_links_still_work():
    html = str(
        render_markdown("![Plan](/media/plan.png) [Idee](/ideas/1/) [Stadt](https://www.gera.de/a?b=c)")
    )
    assert 'src="/media/plan.png"' in html
    assert 'href="/ideas/1/"' in html
    assert 'href="https://www.gera.de/a?b=c"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["ideas:feed_rss", "ideas:feed_atom"])
def test_idea_feeds_carry_no_images_from_other_hosts(client, name):
    from tests.ideas.factories import IdeaFactory

    IdeaFactory(body="\n\n".join(OTHER_HOST_IMAGES) + "\n\n![Plan](/media/plan.png)")
    feed = client.get(reverse(name)).content.decode()
    assert "evil.example" not in feed
    assert "/media/plan.png" in feed


def test_a_text_rendered_again_comes_from_the_process_and_is_as_clean():
    from geraportal.core.markdown import _render

    text = "**Bänke** am Markt <script>alert(1)</script> ![x](https://tracker.example/p.gif)"
    first = render_markdown(text)
    hits = _render.cache_info().hits
    again = render_markdown(text)
    assert again == first and _render.cache_info().hits == hits + 1
    assert "<strong>Bänke</strong>" in again and "<script" not in again and "tracker" not in again
    assert render_markdown(text + " heute") != first
