"""Sections of a person's profile page contributed by the domain apps.

`accounts` imports no domain app; each app registers what it shows on the profile page in its
AppConfig.ready(): `profile_sections.sections.register("pilots", template=..., context=...)`,
where `context(user)` returns the template's context (it does the querying, not the template).
"""

from typing import Any

from geraportal.core.sections import SectionRegistry

sections: SectionRegistry[[Any]] = SectionRegistry()
