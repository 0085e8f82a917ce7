"""Ingest: read disclosures (PDF or text) into tables, rows, cells and passages."""
