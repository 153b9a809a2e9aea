"""Summary quality benchmark: our extractive backend against lead and TextRank on the seed."""
