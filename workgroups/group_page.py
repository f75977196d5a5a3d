"""Sections that later apps add to a working group's page (its ideas, the pilots it proposed).

`workgroups` must not import `ideas` or `pilots`; they register here from AppConfig.ready():

    from workgroups import group_page
    group_page.sections.register(
        "ideas",
        template="ideas/includes/group_ideas.html",
        context=lambda group, user: {"ideas": list(...visible_to(user).filter(theme=group)[:5])},
        order=10,
    )

Each section's template gets `group` and `section` (the dict from `context`). A section's
context function must apply its own visibility rules, like any list.
"""

from typing import Any

from geraportal.core.sections import SectionRegistry

sections: SectionRegistry[[Any, Any]] = SectionRegistry()
