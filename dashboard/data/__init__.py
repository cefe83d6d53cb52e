"""The data layer: read incident files, validate every row, load several, hold the Dataset.

One job per module: ``schema`` (columns, problem and result types, the URL rule), ``readers``
(a file as a raw text table), ``validate`` (every cell checked), ``duplicates`` (likely the same
incident in two files), ``loading`` (one or several files, any format), ``dataset`` (the
validated incidents with the arrays every view counts on).
"""
