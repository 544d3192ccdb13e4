"""The package version, kept in one place for hatchling and for ``goalalign.__version__``."""

__version__ = "0.1.0"
