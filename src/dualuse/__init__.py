"""dualuse: Regulation (EU) 2021/821 (the EU dual-use regime) as the Netherlands applies it.

Only the texts published in the Official Journal of the European Union are authentic.
"""

__version__ = "0.1.0"

OJ_DISCLAIMER = (
    "Only the texts of EU legislation published in the Official Journal of the European Union "
    "are authentic. This determination is an aid, not a legal opinion or a decision of the "
    "competent authority."
)
