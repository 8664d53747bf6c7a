"""IAM condition operators: one table, read everywhere a condition is judged.

An operator as written (``ForAnyValue:StringLikeIfExists``) is a set quantifier (``ForAllValues:``,
``ForAnyValue:`` or none), a base operator (``StringLike``) and an ``IfExists`` suffix. The base decides
what is compared and how (IAM User Guide, "IAM JSON policy elements: Condition operators"; "Single-valued
vs. multivalued context keys"):

- positive operators hold when the request's value matches; negated ones (``StringNotEquals``,
  ``ArnNotLike``, ``NotIpAddress`` ...) when it does not;
- ``...IfExists`` holds when the key is missing from the request;
- ``ForAllValues:`` holds when the key is missing (or empty): "returns true if there are no context keys
  in the request"; ``ForAnyValue:`` is false when it is missing;
- ``StringLike``, ``ArnLike`` and ``ArnEquals`` expand ``*`` and ``?``; ``StringEquals`` and
  ``StringEqualsIgnoreCase`` compare literally.

Pure, no Pulumi. Names beyond the last ``:`` decide the base, as AWS reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Family = Literal["String", "Arn", "Numeric", "Date", "Bool", "Binary", "IpAddress", "Null", "unknown"]
Quantifier = Literal["", "ForAllValues", "ForAnyValue"]


@dataclass(frozen=True)
class BaseOperator:
    name: str
    family: Family
    negated: bool = False
    wildcards: bool = False  # ``*`` and ``?`` match any characters / one character
    ignore_case: bool = False


def _table(*ops: BaseOperator) -> dict[str, BaseOperator]:
    return {o.name: o for o in ops}


# Every base operator of the IAM condition language.
OPERATORS: dict[str, BaseOperator] = _table(
    BaseOperator("StringEquals", "String"),
    BaseOperator("StringNotEquals", "String", negated=True),
    BaseOperator("StringEqualsIgnoreCase", "String", ignore_case=True),
    BaseOperator("StringNotEqualsIgnoreCase", "String", negated=True, ignore_case=True),
    BaseOperator("StringLike", "String", wildcards=True),
    BaseOperator("StringNotLike", "String", negated=True, wildcards=True),
    BaseOperator("ArnEquals", "Arn", wildcards=True),
    BaseOperator("ArnLike", "Arn", wildcards=True),
    BaseOperator("ArnNotEquals", "Arn", negated=True, wildcards=True),
    BaseOperator("ArnNotLike", "Arn", negated=True, wildcards=True),
    BaseOperator("NumericEquals", "Numeric"),
    BaseOperator("NumericNotEquals", "Numeric", negated=True),
    BaseOperator("NumericLessThan", "Numeric"),
    BaseOperator("NumericLessThanEquals", "Numeric"),
    BaseOperator("NumericGreaterThan", "Numeric"),
    BaseOperator("NumericGreaterThanEquals", "Numeric"),
    BaseOperator("DateEquals", "Date"),
    BaseOperator("DateNotEquals", "Date", negated=True),
    BaseOperator("DateLessThan", "Date"),
    BaseOperator("DateLessThanEquals", "Date"),
    BaseOperator("DateGreaterThan", "Date"),
    BaseOperator("DateGreaterThanEquals", "Date"),
    BaseOperator("Bool", "Bool"),
    BaseOperator("BinaryEquals", "Binary"),
    BaseOperator("IpAddress", "IpAddress"),
    BaseOperator("NotIpAddress", "IpAddress", negated=True),
    BaseOperator("Null", "Null"),
)
_UNKNOWN = BaseOperator("", "unknown")


@dataclass(frozen=True)
class Operator:
    """A condition operator as written, split into its parts."""

    text: str
    base: BaseOperator
    quantifier: Quantifier = ""
    if_exists: bool = False

    @property
    def name(self) -> str:
        """The base operator's name ("StringLike"); empty when it is not an IAM operator."""
        return self.base.name

    @property
    def known(self) -> bool:
        return self.base.family != "unknown"

    @property
    def positive(self) -> bool:
        return self.known and not self.base.negated

    @property
    def negated(self) -> bool:
        return self.base.negated

    @property
    def matches_strings(self) -> bool:
        """A positive String or Arn comparison without IfExists: it holds only when the request's value
        matches one of the condition's values (StringEquals, StringLike, StringEqualsIgnoreCase,
        ArnEquals, ArnLike), whatever the quantifier."""
        return self.positive and self.base.family in ("String", "Arn") and not self.if_exists

    @property
    def true_when_missing(self) -> bool:
        """The condition holds for a request that lacks the key (``...IfExists``, ``ForAllValues:``, and
        the negated operators, whose key "does not match" when there is none)."""
        return self.if_exists or self.quantifier == "ForAllValues" or self.base.negated

    @property
    def requires_key(self) -> bool:
        """A positive operator that is false when the request lacks the key."""
        return self.known and not self.true_when_missing and self.base.name != "Null"


@lru_cache(maxsize=1024)
def operator(text: str) -> Operator:
    """``ForAnyValue:StringLikeIfExists`` -> its parts. Unknown names give an ``unknown`` base."""
    prefix, _, name = text.rpartition(":")
    quantifier: Quantifier = prefix if prefix in ("ForAllValues", "ForAnyValue") else ""  # type: ignore[assignment]
    if_exists = name.endswith("IfExists") and name != "IfExists"
    base = OPERATORS.get(name[: -len("IfExists")] if if_exists else name)
    if base is None:
        return Operator(text, _UNKNOWN, quantifier, False)
    return Operator(text, base, quantifier, if_exists)


def literal_names(*, family: Family, ignore_case: bool | None = None) -> tuple[str, ...]:
    """Positive base operators of a family (for callers that list them, e.g. in messages)."""
    return tuple(
        o.name
        for o in OPERATORS.values()
        if o.family == family and not o.negated and (ignore_case is None or o.ignore_case == ignore_case)
    )


__all__ = ["OPERATORS", "BaseOperator", "Operator", "literal_names", "operator"]
