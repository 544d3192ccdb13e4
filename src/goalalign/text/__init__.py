"""Reading goal statements: parsing, classification, metric families and similarity."""
