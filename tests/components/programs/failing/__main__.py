"""Fails on config before registering anything, as a program with up-front validation should."""

import pulumi

value = pulumi.Config().require("mustBeSet")
raise ValueError(f"never reached {value}")
