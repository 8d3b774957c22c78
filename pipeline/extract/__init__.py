"""Labelled cells of a read document + a form schema -> typed field values with provenance."""
