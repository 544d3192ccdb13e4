"""Loading documents (YAML, JSON, CSV, records, DataFrames) into the domain model, and back."""

from goalalign.loading.errors import LoadError, Problem
from goalalign.loading.readers import document_to_cascade, load, loads

__all__ = ["LoadError", "Problem", "document_to_cascade", "load", "loads"]
