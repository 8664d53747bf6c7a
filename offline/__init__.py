"""Offline harness: run a Pulumi program under mocks and judge it with a policy pack over the
real analyzer protocol, with no Pulumi CLI and no cloud account.

One harness, two users: the tests import it, and so does the offline preview gate (`make check`).
"""
