"""Per-identity isolation of a Cognito role on one bucket, proved (issue 14, phase 1: the pure core).

Input: ``Problem`` (plain data). Output: ``Result`` with a ``Verdict`` per property: ``write``
(identity-isolation, mandatory), ``read`` (per-identity-scope, advisory) and ``shared`` (today's
per-identity-scope advisory for a prefix every identity reaches). See ``encode`` for the encoding and the
soundness of the identity-id abstraction, ``oracle`` for the concrete evaluator every counterexample
is replayed through, ``fastpath`` for the usual shape.
"""

from .check import STATS, check, decide
from .model import Counterexample, Origin, Problem, Result, Tagged, Verdict

__all__ = ["STATS", "Counterexample", "Origin", "Problem", "Result", "Tagged", "Verdict", "check", "decide"]
