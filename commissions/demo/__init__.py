"""Demonstration data for the commission tree, loaded by ``manage.py seed_demo``.

- ``demo_seed``: a small realistic tree (the CEC, two oblast-level commissions, four districts,
  twenty precincts), a member in every seat and the demo sign-ins, all with ``DEMO_PASSWORD``;
- ``national_seed``: a national-scale tree (~10,500 commissions, ~75,000 members) for benchmarks.

Both are safe to run again: what is already there is left as it is.
"""

from .national import NationalSummary, national_seed
from .people import DEMO_PASSWORD
from .tree import SIGN_INS, DemoSummary, demo_seed

__all__ = [
    "DEMO_PASSWORD",
    "SIGN_INS",
    "DemoSummary",
    "NationalSummary",
    "demo_seed",
    "national_seed",
]
