"""The tables readers see: rows and headers in the report's language (the CSV files keep codes and numbers)."""
