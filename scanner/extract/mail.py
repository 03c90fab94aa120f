"""E-mail: EML (RFC 5322) and Outlook MSG. Headers as fields, bodies as prose, attachments as members."""
from __future__ import annotations

import email
import email.policy
from typing import IO, Any, Iterator

from scanner.errors import ObjectError, SkipObject
from scanner.extract import ExtractContext, Member
from scanner.extract._support import TextBudget, guarded, prose_segments, require, spool, spool_to_file
from scanner.extract.markup import html_segments
from scanner.model import Segment, SegmentKind

HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Subject")
MAX_ATTACHMENTS = 500


class _Names:
    """Unique member names for attachments (two attachments may share a file name)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, name: str | None, index: int, default_ext: str = "") -> str:
        name = (name or f"attachment-{index}{default_ext}").replace("\\", "/").strip("/") or f"attachment-{index}"
        candidate, n = name, 1
        while candidate in self.seen:
            n += 1
            candidate = f"{n}-{name}"
        self.seen.add(candidate)
        return candidate


def _bytes_member(name: str, data: bytes) -> Member:
    import io
    return Member(name, open=lambda: io.BytesIO(data), size=len(data))


def _header_fields(headers: Iterator[tuple[str, str]]) -> Iterator[Segment]:
    for name, value in headers:
        if value and value.strip():
            yield Segment(SegmentKind.FIELD, name=name, text=value.strip(), where={"header": name})


# -- EML -------------------------------------------------------------------------------------------------

@guarded
def extract_eml(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment | Member]:
    with spool(stream, ctx) as file:
        msg = email.message_from_binary_file(file, policy=email.policy.default)
    yield from _header_fields((h, _header(msg, h)) for h in HEADERS)
    budget = TextBudget(ctx)
    body = msg.get_body(preferencelist=("plain", "html")) if msg.is_multipart() else msg
    if body is not None and body.get_content_maintype() == "text":
        yield from _text_part(body, budget)
    names = _Names()
    for i, part in enumerate(_attachments(msg), start=1):
        if i > MAX_ATTACHMENTS:
            raise ObjectError(f"more than {MAX_ATTACHMENTS} attachments")
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            data = inner[0].as_bytes(policy=email.policy.default) if isinstance(inner, list) and inner else b""
            yield _bytes_member(names(part.get_filename(), i, ".eml"), data)
        else:
            yield _bytes_member(names(part.get_filename(), i), part.get_payload(decode=True) or b"")


def _header(msg: Any, name: str) -> str:
    try:
        values = msg.get_all(name) or []
        return ", ".join(str(v) for v in values)
    except Exception:  # noqa: BLE001 - a malformed header must not lose the rest of the message
        return ""


def _text_part(part: Any, budget: TextBudget) -> Iterator[Segment]:
    try:
        text = part.get_content()
    except (LookupError, ValueError):             # unknown charset: decode leniently
        text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return
    text = budget.take(text)
    if part.get_content_subtype() == "html":
        yield from html_segments(iter([text]), {"part": "body"})
    else:
        yield from prose_segments(text.split("\n"), {"part": "body"}, budget=_Unlimited())


class _Unlimited(TextBudget):
    def __init__(self) -> None:
        self.left = 1 << 62


def _attachments(msg: Any) -> Iterator[Any]:
    """Leaf parts other than the body, not descending into attached messages (those become members)."""
    if not msg.is_multipart():
        return
    body = msg.get_body(preferencelist=("plain", "html"))
    stack = [msg]
    while stack:
        part = stack.pop()
        if part is not msg and part.get_content_type() == "message/rfc822":
            yield part
        elif part.is_multipart():
            stack.extend(reversed(part.get_payload()))
        elif part is not body and not (part.get_content_maintype() == "text" and _alternative_of(msg, part, body)):
            yield part


def _alternative_of(msg: Any, part: Any, body: Any) -> bool:
    """True for the HTML twin of the plain body inside the same multipart/alternative."""
    for container in msg.walk():
        if container.get_content_type() == "multipart/alternative":
            kids = container.get_payload()
            if any(k is body for k in kids) and any(k is part for k in kids):
                return True
    return False


# -- MSG -------------------------------------------------------------------------------------------------

@guarded
def extract_msg(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment | Member]:
    extract_msg_lib = require("extract_msg", "email", "Outlook MSG")
    with spool_to_file(stream, ctx, ".msg") as tmp:
        msg = extract_msg_lib.openMsg(tmp.name, delayAttachments=False)
        try:
            yield from _msg_content(msg, ctx)
        finally:
            msg.close()


def _msg_content(msg: Any, ctx: ExtractContext) -> Iterator[Segment | Member]:
    if getattr(msg, "areStringsUnicode", True) is None:
        raise SkipObject("encrypted")
    headers = (("From", msg.sender), ("To", msg.to), ("Cc", msg.cc), ("Bcc", getattr(msg, "bcc", None)),
               ("Subject", msg.subject))
    yield from _header_fields((h, str(v) if v else "") for h, v in headers)
    budget = TextBudget(ctx)
    body = msg.body
    if body and body.strip():
        yield from prose_segments(budget.take(body).split("\n"), {"part": "body"}, _Unlimited())
    else:
        html = getattr(msg, "htmlBody", None)
        if html:
            text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else str(html)
            yield from html_segments(iter([budget.take(text)]), {"part": "body"})
    names = _Names()
    for i, att in enumerate(msg.attachments, start=1):
        if i > MAX_ATTACHMENTS:
            raise ObjectError(f"more than {MAX_ATTACHMENTS} attachments")
        filename = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or getattr(att, "name", None)
        data = att.data
        if isinstance(data, (bytes, bytearray)):
            yield _bytes_member(names(filename, i), bytes(data))
        elif data is not None and hasattr(data, "exportBytes"):           # an attached message
            yield _bytes_member(names(filename, i, ".msg"), data.exportBytes())
        else:
            yield Member(names(filename, i), skip="attachment stored by reference")
