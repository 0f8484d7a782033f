"""Reading input files as text, and writing output files atomically."""

from __future__ import annotations

import codecs
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Bytes that Windows-1252 leaves undefined: Python's codec rejects them.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


class InputError(Exception):
    """An input file that cannot be read as a listing page; the message names the file."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """Read a listing page and decode it: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Line ends are normalised to LF. Raise InputError for files that are too large,
    unreadable, binary or undecodable.
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from error
    if size > max_bytes:
        raise InputError(
            f"{path}: file is {size:,} bytes, over the {max_bytes:,}-byte limit for listing pages; "
            "split the page or raise the limit with --max-size"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from error
    decoded = decode_bytes(data, str(path))
    return DecodedText(normalise_newlines(decoded.text), decoded.encoding, decoded.warnings)


def decode_bytes(data: bytes, name: str) -> DecodedText:
    """Decode the bytes of a listing page, naming `name` in any error."""
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(_decode_utf8(data[3:], name), "utf-8-sig")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom):].decode(codec), codec)
            except UnicodeDecodeError as error:
                raise InputError(f"{name}: invalid {codec} at byte {error.start + len(bom)}") from error
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(f"{name}: binary data (a NUL byte at offset {offset}); expected an HTML or text listing page")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        return _decode_cp1252(data, name, utf8_error)


def _decode_utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: invalid UTF-8 at byte {error.start + 3} after a UTF-8 byte order mark") from error


def _decode_cp1252(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> DecodedText:
    undefined = [offset for offset, byte in enumerate(data) if byte in _CP1252_UNDEFINED]
    if undefined:
        raise InputError(
            f"{name}: undecodable bytes: not UTF-8 (invalid byte at offset {utf8_error.start}) "
            f"and not Windows-1252 (undefined byte 0x{data[undefined[0]]:02X} at offset {undefined[0]}); "
            "save the page again as UTF-8"
        )
    warning = (
        f"{name}: not valid UTF-8 (byte at offset {utf8_error.start}); read as Windows-1252. "
        "Check accented letters in the records it produced"
    )
    return DecodedText(data.decode("cp1252"), "windows-1252", (warning,))


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, so a crash leaves the old file whole.

    The file keeps the permissions of the one it replaces. A new file gets those the umask allows,
    as open() would give it, rather than the owner-only permissions of a temporary file.
    """
    write_atomic_with(path, lambda stream: stream.write(data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file as write_atomic() does, with `write` putting the data into the stream.

    This serves data too large to hold in memory at once.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = _new_file_mode()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _new_file_mode() -> int:
    """Return the permissions open() gives a new file under the current umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
