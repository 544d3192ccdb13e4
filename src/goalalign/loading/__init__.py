"""Loading documents (YAML, JSON, CSV, records, DataFrames) into the domain model, and back."""

from goalalign.loading.dump import dump, dumps
from goalalign.loading.errors import LoadError, Problem
from goalalign.loading.readers import document_to_cascade, load, loads
from goalalign.loading.tables import from_dataframe, from_records

__all__ = [
    "LoadError",
    "Problem",
    "document_to_cascade",
    "dump",
    "dumps",
    "from_dataframe",
    "from_records",
    "load",
    "loads",
]
