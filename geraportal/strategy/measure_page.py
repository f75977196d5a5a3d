"""The page of a strategy measure, with parts that later apps contribute.

`geraportal` imports no domain app: pilots register "the pilots that implement this measure"
here in their `ready()`, with a context function `(measure, user) -> dict` that applies the
pilots' own visibility rules. See `geraportal.core.sections`.
"""

from geraportal.core.sections import SectionRegistry

sections: SectionRegistry = SectionRegistry()
