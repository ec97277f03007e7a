"""Whether a claimed approval holds: the approver's role and store, and single use.

A station sends, with an operation a lead or manager approved, who approved it and the
approval's id. The ledger does not take the station's word for it: it looks the
approver up and asks these rules. An approval that does not hold never stops a physical
fact from being recorded; it opens an exception that says who claimed what.
"""

from __future__ import annotations

from dataclasses import dataclass

# The staff roles from least to most trusted (as app.services.auth ranks them).
ROLE_RANK = {"associate": 0, "lead": 1, "manager": 2}
LEAD = "lead"
MANAGER = "manager"


def approver_role(op_type: str) -> str:
    """The least role that may approve an operation of ``op_type``: a manager for
    returns (DESIGN §4 rule 4: beyond what was sold only a manager approves), a lead
    (or a manager) for everything else."""
    return MANAGER if op_type.startswith("return.") else LEAD


@dataclass(frozen=True)
class Approver:
    """What the ledger knows of a staff member who is named as approver."""

    code: str
    name: str
    role: str
    active: bool
    home_location_id: int | None  # None: regional, works at ``store_ids`` only
    home_location_code: str = ""
    store_ids: tuple[int, ...] = ()  # stores assigned besides home (ledger staff_stores)


@dataclass(frozen=True)
class ApprovalClaim:
    """An approval as the station sent it, and where and for what it was used."""

    approver_code: str
    approval_id: str
    op_type: str
    location_id: int  # the store the operation was recorded at
    actor: str  # who recorded the operation, as the station said


def approval_problem(claim: ApprovalClaim, approver: Approver | None, used_for: str | None) -> str:
    """Why the claimed approval does not hold, in words for a manager; "" when it holds.

    ``approver``: the staff member the code names, None when the ledger knows no one by
    it. ``used_for``: the operation the same approval id was already used for, if any.
    """
    code = claim.approver_code or "(no code)"
    if approver is None:
        return f"the ledger knows no staff member with code {code}."
    who = f"{approver.name} ({approver.code})"
    if not approver.active:
        return f"{who} is no longer active staff."
    needed = approver_role(claim.op_type)
    if ROLE_RANK.get(approver.role, -1) < ROLE_RANK[needed]:
        wanted = "a manager" if needed == MANAGER else f"a {needed} or a manager"
        return f"{who} is {_a(approver.role)}; this needs {wanted}."
    if (
        approver.home_location_id != claim.location_id
        and claim.location_id not in approver.store_ids
    ):
        where = approver.home_location_code or "other stores"
        return f"{who} works at {where}, not at this store."
    if used_for is not None:
        return (
            f"approval {claim.approval_id} was already used for another operation "
            f"({used_for}); an approval counts for one operation only."
        )
    return ""


def claim_in_words(claim: ApprovalClaim) -> str:
    """Who claimed what: "A100 recorded it as approved by M300 (approval AP-1)"."""
    actor = claim.actor or "This station"
    return (
        f"{actor} recorded it as approved by {claim.approver_code or '(no code)'} "
        f"(approval {claim.approval_id})"
    )


def _a(role: str) -> str:
    return f"an {role}" if role[:1] in "aeiou" else f"a {role}"
