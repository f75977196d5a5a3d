"""Screenshots of the main pages on the demo content for docs/screenshots/ (`make screenshots`).

Not a test: the file name keeps it out of the suite's collection; `make screenshots` names it.
Each page at 1280 px (the first 1280 × 900 pixels) and at 360 px (the whole page), reduced to
a 256-colour palette so each PNG stays small.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from geraportal.core.demo import DEMO_PASSWORD

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = (1280, 360)


def _pages() -> dict[str, str]:
    from ideas.models import Idea
    from pilots.models import Pilot
    from plenary.models import Poll

    idea = Idea.objects.filter(latitude__isnull=False).order_by("-support_count", "-comment_count").first()
    return {
        "home": "/",
        "idea": idea.get_absolute_url(),
        "pilot": Pilot.objects.get(title="Mobilitätsinsel").get_absolute_url(),
        "plenary": Poll.objects.get(meeting__slug="plenum-2020-11-20").get_absolute_url(),
        "account": "/accounts/profile/",
    }


def _shrink(path: Path) -> None:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    small = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


@pytest.mark.django_db(transaction=True)
def test_take_screenshots(browser, live_server):
    call_command("seed_demo", verbosity=0)
    OUT.mkdir(parents=True, exist_ok=True)
    pages = _pages()
    for width in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            viewport={"width": width, "height": 900 if width > 400 else 740},
            is_mobile=width < 400,
            device_scale_factor=1,
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("E-Mail").fill("buergerin@example.org")
        page.get_by_label("Passwort").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url("**/accounts/profile/")
        for name, url in pages.items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            path = OUT / f"{name}-{width}.png"
            page.screenshot(path=path, full_page=width < 400)
            _shrink(path)
        context.close()
