"""A fragment's key changes with every template and translation a deploy changes, not only
with the template rendered (a card includes a status badge and a progress bar)."""

from geraportal.core import fragments


def test_the_release_digest_changes_with_an_included_template_and_a_translation(settings, tmp_path):
    templates, locale = tmp_path / "templates", tmp_path / "locale"
    (templates / "includes").mkdir(parents=True)
    (locale / "de" / "LC_MESSAGES").mkdir(parents=True)
    badge = templates / "includes" / "badge.html"
    catalogue = locale / "de" / "LC_MESSAGES" / "django.mo"
    badge.write_text("<span>{{ label }}</span>")
    catalogue.write_bytes(b"catalogue 1")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
    settings.LOCALE_PATHS = [locale]

    def release() -> str:
        fragments._release.cache_clear()
        return fragments._release()

    try:
        first = release()
        assert release() == first
        badge.write_text('<span class="badge">{{ label }}</span>')
        second = release()
        assert second != first
        catalogue.write_bytes(b"catalogue 2")
        assert release() != second
    finally:
        fragments._release.cache_clear()
        fragments.template_digest.cache_clear()
