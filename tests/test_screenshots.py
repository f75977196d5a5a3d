"""The README shows the demo at both widths (issue 17): each screenshot it names is committed."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_shows_home_idea_pilot_plenary_and_account_at_1280_and_360_px():
    named = set(re.findall(r"\]\((docs/screenshots/[\w-]+\.png)\)", (ROOT / "README.md").read_text()))
    pages = ("home", "idea", "pilot", "plenary", "account")
    wanted = {f"docs/screenshots/{page}-{width}.png" for page in pages for width in (1280, 360)}
    assert wanted <= named
    for path in named:
        assert (ROOT / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
