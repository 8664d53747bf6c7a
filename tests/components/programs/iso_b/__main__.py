"""Exports which program's own `shared` package it imported."""

import pulumi
import shared

pulumi.export("who", shared.WHO)
