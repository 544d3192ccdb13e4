"""A plugin whose import fails, as a half-installed or incompatible plugin would."""

raise RuntimeError("this plugin is broken on purpose")
