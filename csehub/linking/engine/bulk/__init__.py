"""Linking a bulk import: one batch of reports at a time, in the order of the file.

The same rules as linking on arrival (arrival.py: scoring, evidence, joins, outcomes), applied
to a batch whose mentions are already in the candidate index, with the look-ups made once per
batch instead of once per mention. Each report is still linked against what was known when it
arrived: the mentions of earlier reports (earlier batches, and earlier lines of this batch; the
index's keys are given in file order, so "earlier" is a smaller key), and so are the counts the
evidence rests on (full plates fitting a partial, the persons seen with a phone). Joins are made
report by report in that order; a misread plate, whose evidence depends on the joins made
before it, is scored again once they are written. What still sees the whole batch: the two
rare look-ups evidence.py makes when a handle or a place name has more mentions than the
candidates hold. The alerts are checked once per batch, for each entity the batch touched.
"""

from .link import BatchResult, batch_link
from .write import index_rows_write, rows_insert

__all__ = ["BatchResult", "batch_link", "index_rows_write", "rows_insert"]
