"""The editor's benchmarks: ``run`` (labels, merging, one edition) and ``feed`` (the
embedded pipeline from a local feed of real pages)."""
