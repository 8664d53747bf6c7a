"""A pack that cannot start: it imports a module that is not installed (the gate must say so, no traceback)."""

import a_module_that_is_not_installed  # noqa: F401
