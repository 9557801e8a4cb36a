"""Set up Django for a benchmark run as a script (`python benchmarks/search.py ...`).

The script puts the checkout on sys.path first (it is run by path, not as a module), then calls
`setup` with its environment defaults before importing any model.
"""

import os

import django


def setup(**environment):
    """Set the given variables unless the environment already has them, then django.setup()."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
    for name, value in environment.items():
        os.environ.setdefault(name, value)
    django.setup()
