"""Zip archives from users (uploaded case zips, ``.xlsx`` lab files), read without risk.

An ``.xlsx`` workbook and an uploaded case are zip archives, and a zip can lie: its headers may
claim small sizes for members that inflate to gigabytes (a *zip bomb*), name members outside the
folder (``/etc/x``, ``../x``), be symbolic links, clash with each other, or be encrypted.  This
module looks at an archive **before** anything extracts or parses it (:func:`inspect_zip`), and
inflates members by streaming with a byte budget (:func:`verify_zip`, :func:`extract_zip`): the
real bytes are counted in small chunks, and reading stops at the cap even when a header lies.
Every refusal is an :class:`~cbmwater.errors.InputError` naming the file, the member and the
limit.

The caps are module constants, each with its reason (they are listed in ``docs/input_limits.md``).
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import InputError
from .i18n import Message, Text

__all__ = [
    "CHUNK_BYTES",
    "MAX_MEMBERS",
    "MAX_MEMBER_RATIO",
    "MAX_NAME_CHARS",
    "MAX_PART_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_TOTAL_BYTES",
    "MAX_TOTAL_RATIO",
    "MAX_UPLOAD_BYTES",
    "RATIO_FLOOR_BYTES",
    "check_sheet_cells",
    "extract_zip",
    "inspect_zip",
    "open_zip",
    "read_upload",
    "sheet_dimensions",
    "verify_zip",
]

#: An upload given as bytes or a file object (a lab file, a case zip): 50 MB.  A lab file of
#: 100 000 analyses x 60 columns is about 40 MB of CSV; a case zip holds such tables.  Larger
#: data are read from a path by the CLI or the library, not uploaded.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Members of one archive: 2000.  An ``.xlsx`` holds a few dozen parts, a case zip a case file
#: and its tables; the central directory of more entries costs memory before any is read.
MAX_MEMBERS = 2000
#: Uncompressed bytes of all members together: 200 MB.  It bounds the disk an extracted case
#: uses and the XML a workbook parser must go through (the sheet of 2 000 000 cells of
#: :data:`MAX_SHEET_CELLS` is about 80 MB of XML).
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: Uncompressed : compressed ratio of one member: 100.  Deflate reaches about 1030 on zeros;
#: spreadsheet XML and CSV tables reach 5-30, and Apache POI refuses workbooks above 100 too
#: (its ``ZipSecureFile`` minimum inflate ratio of 0.01).
MAX_MEMBER_RATIO = 100
#: Uncompressed bytes of all members : bytes of the archive: 100, for the reason above.
MAX_TOTAL_RATIO = 100
#: The ratios are checked only above 1 MB of uncompressed data: a small member inflates to
#: little whatever its ratio (an empty sheet of 200 bytes may compress 20-fold and more).
RATIO_FLOOR_BYTES = 1024 * 1024
#: Bytes (UTF-8) of one part of a member's path: 255, the most Linux (ext4, NAME_MAX), macOS
#: (APFS) and Windows (NTFS, in characters) allow for one file or folder name.
MAX_PART_BYTES = 255
#: Characters of a member's whole path: 1024.  Extracted below a temporary folder it must stay
#: within the 4096 bytes of PATH_MAX on Linux; no case or workbook needs deeper paths.
MAX_NAME_CHARS = 1024
#: Cells (rows x columns) a worksheet may declare in its ``<dimension>``: 2 000 000, e.g.
#: 40 000 samples x 50 columns.  The workbook reader keeps every cell as a Python object
#: (about 100 bytes each), so this bounds its memory near 200 MB; larger sets belong in CSV.
MAX_SHEET_CELLS = 2_000_000
#: Compressed bytes read at a time while inflating, and the most output one read may give.
CHUNK_BYTES = 64 * 1024

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # as zipfile.structFileHeader: 30 bytes
_LOCAL_MAGIC = b"PK\x03\x04"
_ENCRYPTED = 0x1
_SUPPORTED = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def read_upload(source: BinaryIO | bytes | bytearray, name: str) -> bytes:
    """The bytes of an upload, refused when larger than :data:`MAX_UPLOAD_BYTES`.

    A file object is read up to one byte past the cap, never whole.

    Parameters
    ----------
    source : bytes, bytearray or binary file object
        The upload.
    name : str
        Its name, for messages.

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        Larger than the cap, or the file object gives no bytes.
    """
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        got = source.read(MAX_UPLOAD_BYTES + 1)
        if isinstance(got, str):
            got = got.encode("utf-8")
        if not isinstance(got, (bytes, bytearray)):
            raise InputError(Text.of("upload.error.not_bytes"), file=name)
        data = bytes(got)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(Text.of("upload.error.too_large", limit=_mb(MAX_UPLOAD_BYTES)), file=name)
    return data


def open_zip(source: bytes | bytearray | str | os.PathLike[str], name: str) -> zipfile.ZipFile:
    """Open an archive (its bytes or a path) and inspect it with :func:`inspect_zip`.

    Parameters
    ----------
    source : bytes, str or os.PathLike
        The archive.
    name : str
        Its name as the user knows it, for messages.

    Returns
    -------
    zipfile.ZipFile
        Open; the caller closes it (``with``).

    Raises
    ------
    InputError
        Not a readable zip, or refused by :func:`inspect_zip`.
    """
    try:
        if isinstance(source, (bytes, bytearray)):
            buf = io.BytesIO(bytes(source))
            target: BinaryIO | str | os.PathLike[str] = buf
            size = len(source)
            count = _declared_count(buf, size)
        else:
            target = source
            size = os.path.getsize(source)
            with open(source, "rb") as f:
                count = _declared_count(f, size)
        if count is not None and count > MAX_MEMBERS:
            raise InputError(
                Text.of("upload.error.too_many_members", n=count, max=MAX_MEMBERS), file=name
            )
        zf = zipfile.ZipFile(target)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise InputError(Text.of("upload.error.not_zip"), file=name) from None
    try:
        inspect_zip(zf, name, size)
    except BaseException:
        zf.close()
        raise
    return zf


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record: 22 bytes
_ZIP64_LOCATOR = struct.Struct("<4sLQL")  # 20 bytes, just before the record
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")  # 56 bytes


def _declared_count(fp: BinaryIO, size: int) -> int | None:
    """The number of members the end records declare, read before :mod:`zipfile` builds an
    object per member (a directory of millions of entries would cost memory); None when the
    records cannot be found (:mod:`zipfile` then says the file is not a zip)."""
    tail = min(size, _EOCD.size + 65535)
    fp.seek(size - tail)
    block = fp.read(tail)
    at = block.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(block):
        return None
    count = int(_EOCD.unpack_from(block, at)[4])
    pos = size - tail + at - _ZIP64_LOCATOR.size
    if count == 0xFFFF and pos >= 0:
        fp.seek(pos)
        loc = _ZIP64_LOCATOR.unpack(fp.read(_ZIP64_LOCATOR.size))
        if loc[0] == b"PK\x06\x07" and loc[2] + _ZIP64_EOCD.size <= size:
            fp.seek(loc[2])
            rec = _ZIP64_EOCD.unpack(fp.read(_ZIP64_EOCD.size))
            if rec[0] == b"PK\x06\x06":
                count = int(rec[7])
    fp.seek(0)
    return count


def _member_error(name: str, member: str, code: str, **params: object) -> InputError:
    """``member 'M': <problem>`` (``upload.member.<code>``) naming the archive ``name``."""
    shown: object = (
        repr(member)
        if len(member) <= 120
        else Text.of("upload.member.shown_long", head=repr(member[:100]), n=len(member))
    )
    problem = Message(f"upload.member.{code}", dict(params))
    return InputError(Text.of("upload.error.member", member=shown, problem=problem), file=name)


def _check_name(name: str, info: zipfile.ZipInfo) -> PurePosixPath:
    """The member's relative path; refused if it could leave the folder or not fit a disk."""
    raw = info.filename
    n = raw.replace("\\", "/")
    p = PurePosixPath(n)
    if not n.strip("/"):
        raise _member_error(name, raw, "empty_name")
    if n.startswith("/") or _DRIVE.match(n) or p.is_absolute():
        raise _member_error(name, raw, "absolute")
    if ".." in p.parts:
        raise _member_error(name, raw, "dotdot")
    if _CONTROL.search(n):
        raise _member_error(name, raw, "control")
    if len(n) > MAX_NAME_CHARS:
        raise _member_error(name, raw, "name_long", n=len(n), max=MAX_NAME_CHARS)
    for part in p.parts:
        if len(part.encode("utf-8")) > MAX_PART_BYTES:
            raise _member_error(
                name, raw, "part_long", n=len(part.encode("utf-8")), max=MAX_PART_BYTES
            )
    return p


def inspect_zip(zf: zipfile.ZipFile, name: str, archive_bytes: int) -> list[zipfile.ZipInfo]:
    """Refuse an archive whose central directory shows a risk, before anything is inflated.

    Checks, in this order: the number of members (:data:`MAX_MEMBERS`); per member, its name
    (no absolute path, no ``..`` part, no control character, parts within
    :data:`MAX_PART_BYTES`, whole within :data:`MAX_NAME_CHARS`), encryption, symbolic links,
    the compression method (stored or deflate) and its ratio (:data:`MAX_MEMBER_RATIO`); the
    names together (no duplicate, no two differing only in case, no file where another member
    needs a folder); the total uncompressed size (:data:`MAX_TOTAL_BYTES`) and ratio
    (:data:`MAX_TOTAL_RATIO`); members overlapping in the archive.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open archive.
    name : str
        Its name, for messages.
    archive_bytes : int
        The archive's size in bytes.

    Returns
    -------
    list of zipfile.ZipInfo
        The members, folders included.

    Raises
    ------
    InputError
        Naming the file, the member and the limit.
    """
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            Text.of("upload.error.too_many_members", n=len(infos), max=MAX_MEMBERS), file=name
        )
    files: dict[str, str] = {}  # casefolded path -> member name
    folders: dict[str, str] = {}  # casefolded folder path -> a member needing it
    total = 0
    for info in infos:
        member = info.filename
        p = _check_name(name, info)
        if info.flag_bits & _ENCRYPTED:
            raise _member_error(name, member, "encrypted")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _member_error(name, member, "symlink")
        if info.compress_type not in _SUPPORTED:
            raise _member_error(name, member, "method", method=info.compress_type)
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_MEMBER_RATIO * max(
            info.compress_size, 1
        ):
            raise _member_error(
                name,
                member,
                "ratio",
                size=_mb(info.file_size),
                compressed=info.compress_size,
                ratio=info.file_size // max(info.compress_size, 1),
                max=MAX_MEMBER_RATIO,
            )
        key = str(p).casefold()
        parents = [str(q).casefold() for q in p.parents if str(q) != "."]
        if info.is_dir() or stat.S_ISDIR(mode):
            if key in files:
                raise _member_error(name, member, "folder_file", other=repr(files[key]))
            folders.setdefault(key, member)
        else:
            if key in files:
                same = files[key] == member
                if same:
                    raise _member_error(name, member, "twice")
                raise _member_error(name, member, "case", other=repr(files[key]))
            if key in folders:
                raise _member_error(name, member, "file_folder", other=repr(folders[key]))
            files[key] = member
            total += info.file_size
        for q in parents:
            if q in files:
                raise _member_error(name, member, "needs_folder", other=repr(files[q]))
            folders.setdefault(q, member)
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            Text.of("upload.error.total_size", total=_mb(total), limit=_mb(MAX_TOTAL_BYTES)),
            file=name,
        )
    if total > RATIO_FLOOR_BYTES and total > MAX_TOTAL_RATIO * max(archive_bytes, 1):
        raise InputError(
            Text.of(
                "upload.error.ratio",
                total=_mb(total),
                archive=archive_bytes,
                ratio=MAX_TOTAL_RATIO,
            ),
            file=name,
        )
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.header_offset + _LOCAL_HEADER.size + a.compress_size > b.header_offset:
            raise _member_error(name, b.filename, "overlap", other=repr(a.filename))
    return infos


def _raw_stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The compressed bytes of a member, in chunks, after checking its local header."""
    fp = zf.fp
    if fp is None:
        raise ValueError("the archive is closed")
    member = info.filename
    fp.seek(info.header_offset)
    head = fp.read(_LOCAL_HEADER.size)
    if len(head) != _LOCAL_HEADER.size:
        raise _member_error(name, member, "ends_header")
    fields = _LOCAL_HEADER.unpack(head)
    if fields[0] != _LOCAL_MAGIC:
        raise _member_error(name, member, "no_header")
    if fields[3] & _ENCRYPTED:
        raise _member_error(name, member, "encrypted")
    if fields[4] != info.compress_type:
        raise _member_error(name, member, "method_disagree")
    local_name = fp.read(fields[10])
    fp.read(fields[11])  # the extra field
    if local_name.replace(b"\\", b"/") != info.orig_filename.encode(
        "utf-8" if info.flag_bits & 0x800 else "cp437", errors="replace"
    ).replace(b"\\", b"/"):
        raise _member_error(name, member, "name_disagree")
    left = info.compress_size
    while left > 0:
        chunk = fp.read(min(CHUNK_BYTES, left))
        if not chunk:
            raise _member_error(name, member, "ends_data")
        left -= len(chunk)
        yield chunk


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The member's bytes, in chunks of at most :data:`CHUNK_BYTES`, never more than its
    header declares; a stream longer or shorter than declared, or a wrong CRC, is refused."""
    member = info.filename
    declared = info.file_size
    out = 0
    crc = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        for raw in _raw_stream(zf, info, name):
            pending = raw
            while pending:
                if inflater is None:
                    piece, pending = pending, b""
                else:
                    piece = inflater.decompress(pending, CHUNK_BYTES)
                    pending = inflater.unconsumed_tail
                    if inflater.eof and (pending or inflater.unused_data):
                        pending = b""
                if not piece:
                    if inflater is not None and not pending:
                        break
                    continue
                out += len(piece)
                if out > declared:
                    raise _member_error(name, member, "inflates_more", declared=declared)
                crc = zlib.crc32(piece, crc)
                yield piece
        if inflater is not None:
            tail = inflater.flush(CHUNK_BYTES)
            if tail:
                out += len(tail)
                if out > declared:
                    raise _member_error(name, member, "inflates_more", declared=declared)
                crc = zlib.crc32(tail, crc)
                yield tail
            if not inflater.eof:
                raise _member_error(name, member, "cut_short")
    except zlib.error:
        raise _member_error(name, member, "damaged") from None
    if out != declared:
        raise _member_error(name, member, "size_differs", out=out, declared=declared)
    if crc != info.CRC:
        raise _member_error(name, member, "crc", crc=f"{crc:08x}", declared=f"{info.CRC:08x}")


def verify_zip(zf: zipfile.ZipFile, name: str, members: list[zipfile.ZipInfo]) -> None:
    """Inflate every member by streaming and discard the bytes, so that a parser reading the
    archive afterwards meets no lie: each member holds exactly the bytes and CRC-32 its header
    declares.

    At most :data:`CHUNK_BYTES` are held at a time, and no more than the declared sizes (capped
    by :func:`inspect_zip`) are inflated in all, whatever the headers claim.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The archive, inspected by :func:`inspect_zip`.
    name : str
        Its name, for messages.
    members : list of zipfile.ZipInfo
        The members to check (folders are passed over).

    Raises
    ------
    InputError
        A member whose data disagree with its header.
    """
    for info in members:
        if not info.is_dir():
            for _ in _inflate(zf, info, name):
                pass


def extract_zip(
    zf: zipfile.ZipFile, name: str, members: dict[PurePosixPath, zipfile.ZipInfo], dest: Path
) -> None:
    """Write the members into ``dest`` by streaming, each checked as by :func:`verify_zip`.

    The caller removes ``dest`` when this raises (it is meant to be a fresh temporary folder).

    Parameters
    ----------
    zf : zipfile.ZipFile
        The archive, inspected by :func:`inspect_zip`.
    name : str
        Its name, for messages.
    members : dict of PurePosixPath to zipfile.ZipInfo
        The files to write, by their relative path (checked by :func:`inspect_zip`).
    dest : Path
        The folder to write into.

    Raises
    ------
    InputError
        A member whose data disagree with its header, or that cannot be written.
    """
    for rel, info in members.items():
        target = dest.joinpath(*rel.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                for piece in _inflate(zf, info, name):
                    out.write(piece)
        except OSError as exc:
            raise _member_error(
                name, info.filename, "write", why=str(exc.strerror or exc)
            ) from None


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n


def sheet_dimensions(zf: zipfile.ZipFile, name: str) -> dict[str, tuple[int, int]]:
    """Rows and columns each worksheet of an ``.xlsx`` declares in its ``<dimension>`` element.

    Only the first :data:`CHUNK_BYTES` of each sheet's XML are inflated (the element comes
    before the cells).  A sheet without the element is left out; the byte caps bound it.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The workbook, inspected by :func:`inspect_zip`.
    name : str
        Its name, for messages.

    Returns
    -------
    dict of str to (int, int)
        Member name to (rows, columns).
    """
    dims: dict[str, tuple[int, int]] = {}
    for info in zf.infolist():
        if not re.match(r"xl/worksheets/[^/]+\.xml$", info.filename, re.IGNORECASE):
            continue
        head = b""
        for piece in _inflate(zf, info, name):
            head += piece
            if len(head) >= CHUNK_BYTES:
                break
        m = _DIMENSION.search(head)
        if m is None:
            continue
        c0, r0 = _column_number(m.group(1)), int(m.group(2))
        c1 = _column_number(m.group(3)) if m.group(3) else c0
        r1 = int(m.group(4)) if m.group(4) else r0
        dims[info.filename] = (abs(r1 - r0) + 1, abs(c1 - c0) + 1)
    return dims


def check_sheet_cells(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a workbook any of whose sheets declares more than :data:`MAX_SHEET_CELLS` cells.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The workbook, inspected by :func:`inspect_zip`.
    name : str
        Its name, for messages.

    Raises
    ------
    InputError
        Naming the sheet's member, its rows and columns and the limit.
    """
    for member, (rows, cols) in sheet_dimensions(zf, name).items():
        if rows * cols > MAX_SHEET_CELLS:
            raise _member_error(
                name,
                member,
                "sheet_cells",
                rows=rows,
                cols=cols,
                cells=rows * cols,
                max=MAX_SHEET_CELLS,
            )
