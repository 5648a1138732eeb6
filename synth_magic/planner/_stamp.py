"""The offline planner's version, read without the planner: a cached schema is found by it.

``version()`` is the code's :data:`VERSION` and a hash of the knowledge files (every file's
path and bytes, :func:`files_hash`). Hashing the 5 MB of files on every command line would
cost more than the rest of a cached run's planning, so the hash is kept beside the schema
cache (``<cache>-knowledge/files-<folder>.json``) with the list of the files, their sizes,
modification times and inodes: a later process that lists the same files with the same
sizes and times uses the kept hash; any change to the list, a size or a time hashes the files
again. A file changed in the last seconds is never trusted this way (a second edit within
the file system's time granularity could keep its time): the hash is not kept until the
files have been still for a while.

Also the reading and writing of the kept files themselves (:func:`read_kept`,
:func:`write_kept`): a JSON header naming the format and version and the SHA-256 of a JSON
body. Data only, never executed. This module imports nothing of the planner, so asking the
registry for the offline planner's version does not import the planner.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["FILES", "KNOWLEDGE", "VERSION", "code_hash", "files_hash", "kept_path", "kind_paths", "paths",
           "read_kept", "version", "write_kept"]

VERSION = "3"  # the kept files' layout and the planner's contract; its code is hashed (code_hash)
KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"
FILES = ("vocab.toml", "concepts.toml", "domains.toml", "tables.toml", "rules.toml")
# Each kind may also be split into a folder of files (tables/apis.toml, concepts/health.toml,
# tables/rdatasets.json for entries a script derived from real data...), read in name order.
_STILL_NS = 3_000_000_000  # a file changed this recently (ns) does not have its hash kept
_STAMP_FORMAT = "files-1"


def paths(folder: Path) -> list[Path]:
    """Every knowledge file: ``<kind>.toml`` and ``<kind>/*.toml``, ``*.json`` for each kind, in order."""
    return [p for name in FILES for p in kind_paths(folder, name)]


def kind_paths(folder: Path, name: str) -> list[Path]:
    """The files of one kind (``name``: ``tables.toml``): the file, then its folder's files by name."""
    sub = folder / name.removesuffix(".toml")
    return [p for p in (folder / name, *sorted([*sub.glob("*.toml"), *sub.glob("*.json")])) if p.exists()]


@lru_cache(maxsize=4)
def version(folder: Path | None = None) -> str:
    """The offline planner's version (part of the schema cache key) for the knowledge files in
    ``folder`` (by default :data:`KNOWLEDGE`), once per process: a change to a knowledge file or
    to the planner's code plans afresh."""
    return f"{VERSION}-{files_hash(folder or KNOWLEDGE)}-{code_hash()}"


@lru_cache(maxsize=4)
def code_hash(folder: Path | None = None) -> str:
    """A hash of the planner's code (the ``*.py`` files of ``folder``, by default this package's:
    about 280 KB, read and hashed in about a millisecond)."""
    h = hashlib.sha256()
    for path in sorted((folder or Path(__file__).resolve().parent).glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def files_hash(folder: Path) -> str:
    """A hash of the knowledge files in ``folder`` (their paths and bytes): a change to any of
    them gives another hash. Read from the kept stamp when the files' list, sizes and times
    are those it was made from."""
    files = paths(folder)
    listing = _listing(folder, files)
    where = kept_path("files-" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16])
    head = {"format": _STAMP_FORMAT, "version": str(folder.resolve())}
    if where is not None:
        found = read_kept(where, head)
        if isinstance(found, dict) and found.get("files") == listing and isinstance(found.get("hash"), str):
            return found["hash"]
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    digest = h.hexdigest()[:16]
    still = all(time.time_ns() - mtime > _STILL_NS for _, _, mtime, _ in listing)
    if where is not None and still and listing == _listing(folder, paths(folder)):  # unchanged while read
        write_kept(where, head, {"files": listing, "hash": digest})
    return digest


def _listing(folder: Path, files: list[Path]) -> list[list[Any]]:
    """Each file's path in the folder, size, modification time (ns) and inode."""
    found = []
    for path in files:
        st = path.stat()
        found.append([str(path.relative_to(folder)), st.st_size, st.st_mtime_ns, st.st_ino])
    return found


def kept_path(stem: str) -> Path | None:
    """``<cache>-knowledge/<stem>.json`` beside the schema cache (None: no cache folder)."""
    from .._pool_cache import beside_cache
    from ..errors import ConfigError

    try:
        folder = beside_cache("knowledge")
    except ConfigError:
        return None
    return folder / f"{stem}.json"


def read_kept(path: Path, head: dict[str, str], blob: bool = False) -> Any:
    """The JSON body of a kept file whose header holds ``head`` and the SHA-256 of the rest,
    or None; with ``blob``, (body, the bytes written after it)."""
    try:
        header, _, rest = path.read_bytes().partition(b"\n")
        found = json.loads(header)
        if not isinstance(found, dict) or any(found.get(k) != v for k, v in head.items()) \
                or found.get("sha256") != hashlib.sha256(rest).hexdigest():
            return None
        size = found.get("body", len(rest))
        if type(size) is not int or not 0 <= size <= len(rest):
            return None
        data = json.loads(rest[:size])
    except (OSError, ValueError, RecursionError):
        return None
    return (data, rest[size:]) if blob else data


def write_kept(path: Path, head: dict[str, str], data: Any, blob: bytes = b"", replaces: str = "") -> None:
    """Write ``data`` (JSON values only), then ``blob``, under a header of ``head``, the body's
    length and the SHA-256 of both, atomically; a folder that cannot be written to costs only
    the building. ``replaces``: the start of the names of the files this one outdates (the
    same data for other knowledge or code), removed."""
    import tempfile

    try:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError):  # a value JSON cannot hold (a TOML date): built each time
        return
    body += blob
    header = json.dumps({**head, "body": len(body) - len(blob), "sha256": hashlib.sha256(body).hexdigest()})
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".knowledge-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header.encode() + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in path.parent.glob(f"{replaces}*.json") if replaces else ():
            if old.name != path.name:
                old.unlink(missing_ok=True)
    except OSError:
        return
