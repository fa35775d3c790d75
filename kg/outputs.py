"""Writing a file the one way kg does: whole or not at all."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

__all__ = ["write_atomic"]


def write_atomic(path: Path, write: Callable[[Path], None], *, what: str, make_folder: bool = True) -> Path:
    """Run ``write(tmp)`` on a new file beside ``path``, then move it over ``path``: the one way
    kg writes a file, so that a failure never destroys an earlier good output or leaves half a file.

    The new file gets the mode an earlier file had (else the umask's). On any failure the
    temporary file is removed and ``path`` is left as it was; errors become
    :class:`~kg.errors.OutputError` naming the path and ``what`` was written; other errors
    of ``write`` go up as they are. A missing folder is made, unless ``make_folder`` is False
    (the explorer and figures, whose folder must exist).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_atomic(Path(tmp) / "note.txt", lambda t: t.write_text("hi"), what="note")
    ...     path.read_text()
    'hi'
    """
    path = Path(path)
    tmp: Path | None = None
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _create_temp(path)
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"{path}: cannot write the {what} ({reason}); check that the directory exists and is writable. "
            "An earlier file, if any, is unchanged"
        ) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return path


def _create_temp(path: Path) -> Path:
    """An empty, new file beside ``path``, with the mode the final file should have."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        except FileExistsError:
            continue
        os.close(fd)
        try:
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))  # keep an existing file's mode
        except FileNotFoundError:
            pass
        return tmp
    raise OSError(f"no free temporary name beside {path}")
