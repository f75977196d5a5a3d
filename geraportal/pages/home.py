"""Sections of the home page contributed by the domain apps.

`geraportal` imports no domain app; each app registers what it shows on the home page in
its AppConfig.ready(): `home.sections.register("workgroups", template=..., context=..., order=20)`,
where `context(request)` returns the section template's context.
"""

from django.http import HttpRequest

from geraportal.core.sections import SectionRegistry

sections: SectionRegistry[[HttpRequest]] = SectionRegistry()
