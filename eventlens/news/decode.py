"""Safe decoding of an article's bytes: refuse what is not plain text before anything is written.

An article arrives as bytes (a seed, an upload, ``python -m eventlens add``).
It is refused when it is empty, binary, too big or undecodable, because a
half-understood file would become a wrong event on the timeline.
"""

from __future__ import annotations

from eventlens.errors import UserError

MAX_BYTES = 1_000_000  # "larger than 1 MB" is refused

# Magic numbers of common binary files an analyst might pick by mistake.
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
}


class ArticleError(UserError):
    """An article that cannot be accepted; the message is one sentence for the user."""


def decode_article(payload: bytes, name: str = "the file") -> tuple[str, str]:
    """Validate raw bytes and decode them; return ``(text, encoding)`` or raise ArticleError.

    Order matters: a byte-order mark is the only reliable signal (UTF-16 text
    is full of NUL bytes, so BOM sniffing comes before the binary checks);
    then strict UTF-8, which almost never accepts non-UTF-8 text by accident;
    then Windows-1252, the usual encoding of text saved on Windows.
    """
    if not isinstance(payload, bytes | bytearray):
        raise ArticleError(f"{name} is not a file's bytes.")
    payload = bytes(payload)
    if len(payload) > MAX_BYTES:
        raise ArticleError(
            f"{name} is {len(payload):,} bytes; articles larger than 1 MB (1,000,000 bytes) are refused.")
    for magic, what in _BINARY_MAGIC.items():
        if payload.startswith(magic):
            raise ArticleError(f"{name} looks like {what}, not a plain-text article.")
    text: str | None = None
    encoding = ""
    for bom, codec, label in (
        (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
        (b"\xff\xfe", "utf-16", "utf-16-le (BOM)"),
        (b"\xfe\xff", "utf-16", "utf-16-be (BOM)"),
    ):
        if payload.startswith(bom):
            try:
                text = payload.decode(codec)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{name} starts with a {label} byte-order mark but does not decode as it.") from exc
            encoding = label
            break
    if text is None:
        if b"\x00" in payload:
            raise ArticleError(f"{name} contains NUL bytes: it is binary, not a plain-text article.")
        try:
            text, encoding = payload.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = payload.decode("cp1252"), "windows-1252"
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{name} is neither UTF-8, UTF-16 nor Windows-1252 text.") from exc
    if "\x00" in text:
        raise ArticleError(f"{name} contains NUL characters: it is binary, not a plain-text article.")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        raise ArticleError(f"{name} is full of control characters: it is binary, not a plain-text article.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(f"{name} is empty (or only whitespace).")
    return text, encoding


