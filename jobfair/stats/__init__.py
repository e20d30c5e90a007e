"""Post-event statistics: the fair report compiled with SQL aggregates (``compile``), the
labels and definitions of every figure (``definitions``), and the format of the stored
report (``report_format.md``), which the report page, charts and exports read."""
