"""``python -m bench.extraction``: the extraction quality benchmark alone."""

from bench.extraction.run import report

for line in report():
    print(line)
