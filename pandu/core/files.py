"""The one way a private file leaves Pandu: letters, receipts, attachments, exports, job results,
import reports, proposal minutes and agreement documents.

Each carries personal data, so the answer is never cached (``Cache-Control: private, no-store``:
not by the browser on a shared office computer, not by a proxy), never sniffed into another type
(``X-Content-Type-Options: nosniff``), and always saved as a file (``Content-Disposition:
attachment``) under a name that cannot break the header or climb out of a folder.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import IO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

MAX_NAME = 150
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, default: str = "berkas") -> str:
    """A download name of plain ASCII letters, digits, dots, dashes and underscores.

    Folders are dropped (``../../x.pdf`` is ``x.pdf``), accents are folded (``Surat Rujukan
    Bontoa.pdf`` keeps its letters), everything else becomes ``-``; the extension survives
    shortening.
    """
    base = PurePosixPath(str(name or "").replace("\\", "/")).name
    folded = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("-", folded).strip(".-_")
    if not cleaned:
        return default
    if len(cleaned) > MAX_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            cleaned = stem[: MAX_NAME - len(ext) - 1] + "." + ext
        else:
            cleaned = cleaned[:MAX_NAME]
    return cleaned


def private_file_response(
    content: bytes | IO[bytes] | Iterable[bytes],
    *,
    filename: str,
    content_type: str | None = None,
) -> HttpResponseBase:
    """A download of private data: ``content`` is bytes, an open binary file (closed when sent)
    or an iterator of byte chunks (streamed); the type follows the name unless given."""
    filename = safe_filename(filename)
    if content_type is None:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response: HttpResponseBase
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(bytes(content), content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
