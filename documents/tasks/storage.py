"""Files from the media storage as local paths, for the programs that read them."""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def local_copy(field_file):
    """A path on this machine holding a stored file (object storage has no local path)."""
    try:
        path = Path(field_file.path)
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=Path(field_file.name).suffix) as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)
