"""A local package with the same name in two programs."""

WHO = "b"
