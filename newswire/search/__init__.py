"""Archive search: the query language, text folding, highlighting and saved searches.

Pure functions and values only; the storage layer runs the queries (SQLite
FTS5 or PostgreSQL full-text search) and `api/search.py` serves them.
"""
