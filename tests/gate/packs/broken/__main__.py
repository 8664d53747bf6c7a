"""A pack that cannot start: it imports a module that is not installed (the gate says so, briefly)."""

import a_module_that_is_not_installed  # noqa: F401
