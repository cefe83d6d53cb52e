"""Bring your own data: ACLED and GTD exports converted to the canonical schema.

``mapping`` (the tables of data/mappings/ and the placeholder districts), ``common`` (the
converter every format shares, the import report), ``acled`` and ``gtd`` (one export format
each), ``convert`` (tell formats apart, convert, validate, write). They build on the data
layer's schema and validation only.
"""
