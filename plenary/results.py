"""Poll results: one pure function from ballots to result, so a recount from the exported
ballots reproduces the published result exactly.

Tie rule (documented on every result page): proposals with equal scores share a rank
(1, 2, 2, 4 …) and are listed as tied; there is no random or hidden tie-break. A tie that
straddles the last place to fill (`selection_size`) is flagged for the strategy group, who
decide it and give their reasons.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

YES, NO, ABSTAIN = 1, 2, 3


@dataclass
class OptionResult:
    option_id: int
    title: str
    yes: int = 0
    no: int = 0
    abstain: int = 0
    approvals: int = 0
    points: int = 0
    supporters: int = 0  # voters who gave any points
    score: int = 0
    rank: int = 0
    tied: bool = False
    accepted: bool | None = None  # yes/no polls: more yes than no, quorum met


@dataclass
class PollResult:
    method: str
    ballots: int
    eligible: int
    turnout_percent: float
    quorum: int | None
    quorum_met: bool
    selection_size: int
    options: list[OptionResult] = field(default_factory=list)
    boundary_tie: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compute_results(
    *,
    method: str,
    options: list[tuple[int, str]],
    ballots: list[dict[int, int]],
    eligible: int,
    quorum: int | None = None,
    selection_size: int = 14,
) -> PollResult:
    """`ballots`: one {option_id: value} per ballot (values as stored in BallotChoice)."""
    by_id = {option_id: OptionResult(option_id=option_id, title=title) for option_id, title in options}
    for ballot in ballots:
        for option_id, value in ballot.items():
            result = by_id[option_id]
            if method == "yes_no":
                if value == YES:
                    result.yes += 1
                elif value == NO:
                    result.no += 1
                else:
                    result.abstain += 1
            elif method == "approval":
                result.approvals += 1
            else:
                result.points += value
                result.supporters += 1
    quorum_met = quorum is None or len(ballots) >= quorum
    for result in by_id.values():
        if method == "yes_no":
            result.score = result.yes - result.no
            result.accepted = quorum_met and result.yes > result.no
        elif method == "approval":
            result.score = result.approvals
        else:
            result.score = result.points
    ordered = sorted(by_id.values(), key=lambda r: (-r.score, r.title.casefold(), r.option_id))
    previous_score, rank = None, 0
    for position, result in enumerate(ordered, start=1):
        if result.score != previous_score:
            rank, previous_score = position, result.score
        result.rank = rank
    scores = [r.score for r in ordered]
    for result in ordered:
        result.tied = scores.count(result.score) > 1
    boundary_tie = False
    if 0 < selection_size < len(ordered):
        last_in, first_out = ordered[selection_size - 1], ordered[selection_size]
        boundary_tie = last_in.score == first_out.score
    return PollResult(
        method=method,
        ballots=len(ballots),
        eligible=eligible,
        turnout_percent=round(100 * len(ballots) / eligible, 1) if eligible else 0.0,
        quorum=quorum,
        quorum_met=quorum_met,
        selection_size=selection_size,
        options=ordered,
        boundary_tie=boundary_tie,
    )


def canonical_ballots(ballots: list[tuple[str, dict[int, int]]]) -> str:
    """A stable text of the ballot set: sorted by the random ballot key, choices by option."""
    lines = []
    for ballot_id, choices in sorted(ballots, key=lambda b: b[0]):
        parts = ",".join(f"{option}:{value}" for option, value in sorted(choices.items()))
        lines.append(f"{ballot_id}|{parts}")
    return "\n".join(lines)


def ballot_hash(ballots: list[tuple[str, dict[int, int]]]) -> str:
    return hashlib.sha256(canonical_ballots(ballots).encode()).hexdigest()


def digest_list_hash(digests: list[str]) -> str:
    """The ballot-set hash of a secret poll: SHA-256 of its sealed ballots' hashes, sorted, one a line."""
    return hashlib.sha256("\n".join(sorted(digests)).encode()).hexdigest()


def verify_export(export: dict[str, Any]) -> None:
    """Raise ValueError unless the export's ballots are the set its published hash fixed.

    Secret polls: the hash covers the list of sealed-ballot hashes (each voter finds theirs
    there), and there is one plaintext ballot per sealed one. Named polls: it covers the
    ballots themselves.
    """
    if "ciphertext_hashes" in export:
        if digest_list_hash(export["ciphertext_hashes"]) != export["ballot_hash"]:
            raise ValueError("the list of sealed-ballot hashes does not match the published hash")
        if len(export["ciphertext_hashes"]) != len(export["ballots"]):
            raise ValueError("the number of ballots differs from the number of sealed ballots")
    else:
        ballots = [(b["id"], {int(k): int(v) for k, v in b["choices"].items()}) for b in export["ballots"]]
        if ballot_hash(ballots) != export["ballot_hash"]:
            raise ValueError("the ballots do not match the published hash")


def recount(export: dict[str, Any]) -> PollResult:
    """Recompute a result from the public export (see `services.poll_export`), after checking it."""
    verify_export(export)
    ballots = [{int(k): int(v) for k, v in b["choices"].items()} for b in export["ballots"]]
    return compute_results(
        method=export["method"],
        options=[(o["id"], o["title"]) for o in export["options"]],
        ballots=ballots,
        eligible=export["eligible"],
        quorum=export.get("quorum"),
        selection_size=export.get("selection_size", 14),
    )


def export_json(export: dict[str, Any]) -> str:
    return json.dumps(export, ensure_ascii=False, indent=2, sort_keys=True)
