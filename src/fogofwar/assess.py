"""Interest: is a claim self-serving for its source's side, an admission against interest,
or neutral (ontology v1.1, "Interest and credibility")?"""

from __future__ import annotations

from .models import CIVILIAN, Claim
from .profile import Profile

# Events that favour the side that carries them out.
FAVOURS_ACTOR = {
    "ADVANCE",
    "CAPTURE",
    "REPEL",
    "INTERCEPT",
    "REINFORCEMENT",
    "ASSAULT",
    "SHELLING",
    "AIR_STRIKE",
}
# Events that hurt the side they happen to (actor_side names the victim or the retreating side).
HURTS_ACTOR = {"WITHDRAW", "CASUALTIES", "ENCIRCLEMENT"}


def interest_of(claim: Claim, profile: Profile) -> str:
    """self_serving, against_interest or neutral, relative to the source's own side."""
    side = claim.source.side
    if side not in profile.sides or claim.actor_side not in profile.sides:
        if claim.event == "CASUALTIES" and claim.actor_side == CIVILIAN and side in profile.sides:
            return "neutral"
        return "neutral"
    favours_actor = claim.event in FAVOURS_ACTOR
    if claim.event in HURTS_ACTOR:
        favours_actor = False
    if claim.polarity == "denied":
        favours_actor = not favours_actor
    own = claim.actor_side == side
    if favours_actor == own:
        return "self_serving"
    return "against_interest"


def score_interest(claims: list[Claim], profile: Profile) -> list[Claim]:
    """Set ``interest`` on each claim (in place) and return the list."""
    for claim in claims:
        claim.interest = interest_of(claim, profile)  # type: ignore[assignment]
    return claims
