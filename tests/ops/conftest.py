# The plenary's fixtures, to cast real ballots before a backup.
from tests.plenary.conftest import make_poll, meeting, proposals, voters  # noqa: F401
