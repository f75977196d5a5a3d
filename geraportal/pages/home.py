"""Sections of the home page contributed by the domain apps.

`geraportal` imports no domain app; each app registers what it shows on the home page in
its AppConfig.ready(): `home.sections.register("workgroups", template=..., context=..., order=20)`,
where `context(request)` returns the section template's context.

The sections are the same for everyone: the home page keeps them in the shared cache until the
content changes, in each language (issue 16). A context function must not depend on the person
asking, and its values are pickled (no lazy translations; model instances and rendered HTML
are fine).
"""

from django.http import HttpRequest

from geraportal.core.sections import SectionRegistry

sections: SectionRegistry[[HttpRequest]] = SectionRegistry()
