"""Reading an article file the command line was given, without trusting what the path points to."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from eventlens.news import MAX_BYTES, ArticleError


def read_article_file(path: str | Path, follow_symlinks: bool = False, limit: int = MAX_BYTES,
                      what: str = "articles") -> bytes:
    """Read a file for ``date``/``add`` without loading a huge one into memory.

    Only a regular file is read: a symbolic link is refused unless
    ``follow_symlinks`` (``add`` of a link to ``/etc/passwd`` would store it and
    show it to every web user), and a FIFO, device or folder always (opening a
    FIFO blocks; ``/dev/zero`` never ends). The size in a refusal is the file's
    own, read before anything is. Messages quote the name as given; the CLI
    prints them on one line (:func:`eventlens.inert.one_line`). ``limit`` is
    larger for a zip, a table or a feed of many articles (``what`` names them).
    """
    path = Path(path)
    flags = os.O_RDONLY | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0)) | getattr(os, "O_NONBLOCK", 0)
    try:
        info = os.stat(path, follow_symlinks=follow_symlinks)
        if stat.S_ISLNK(info.st_mode):
            raise ArticleError(f"{path} is a symbolic link; it was not followed (use --follow-symlinks to read "
                               "the file it points to).")
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(f"{path} is not a regular file; give a plain-text article (.txt or .md).")
        fd = os.open(path, flags)  # O_NOFOLLOW: a link swapped in after the check is refused too
    except FileNotFoundError as exc:
        raise ArticleError(f"{path} is not a readable file (it does not exist).") from exc
    except OSError as exc:
        raise ArticleError(f"{path} is not a readable file ({exc.strerror or 'cannot be opened'}).") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(f"{path} is not a regular file; give a plain-text article (.txt or .md).")
        if info.st_size > limit:
            size = "1 MB (1,000,000 bytes)" if limit == MAX_BYTES else f"{limit:,} bytes"
            raise ArticleError(f"{path.name} is {info.st_size:,} bytes; {what} larger than {size} are refused.")
        return handle.read(limit + 1)
