"""What came out of a workshop: sections the domain apps add to a workshop's page.

`pages` imports no domain app; the ideas app registers the ideas and comments given at a
workshop (`context(event, user)`), shown on the public workshop page and the staff page.
"""

from geraportal.core.sections import SectionRegistry

sections: SectionRegistry = SectionRegistry()
