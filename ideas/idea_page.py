"""Actions later apps offer on an idea's page ("propose as a pilot"), without ideas importing them.

Context functions take `(idea, user)` and return {} when the user may not act.
"""

from geraportal.core.sections import SectionRegistry

actions: SectionRegistry = SectionRegistry()
