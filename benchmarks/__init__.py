"""The benchmark suite: `make bench` (10,000 documents) and `make bench-full`.

Every figure is measured beside a baseline in the same run and written to benchmarks/results/
as JSON (see run.py). The baseline views and the stock admin live here, mounted only by the
benchmark's URLconf (benchmarks/urls.py), never by the site's own.
"""
