"""The malformed-mail half of the hostile corpus: broken MIME, odd encodings, garbage files.

None of these has a finding to expect: each must simply be processed (stored, recorded, its
readable attachments read) without the run failing. Two emails share one Message-ID with
different content; both must be processed (the register de-duplicates by hash).
"""

from __future__ import annotations

import base64
import random

from testkit.reliability import files
from testkit.reliability.raw_mail import Hostile, mail, named, nested, own_address, part

GROUP = "malformed mail"


def mime_kinds(sender: str, docx: bytes) -> list[Hostile]:
    attached = part(named("Letter.docx"), docx)
    injected = base64.b64encode(b"Referral\r\nBcc: attacker@evil.example").decode()
    raw = {
        "missing_boundary": mail(sender, [attached], declared=b""),
        "wrong_boundary": mail(sender, [attached], declared=b"not-the-boundary"),
        "broken_base64": mail(
            sender,
            [
                b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64"
                b'\r\nContent-Disposition: attachment; filename="Letter.docx"\r\n\r\n'
                b"UEsDBBQ!!!not*base64===\r\nAAA\r\n"
            ],
        ),
        "bad_charset": mail(
            sender,
            [part(b'filename="=?x-no-such-charset?q?Letter?=.docx"', docx)],
            subject=b"=?x-no-such-charset?q?Referral_for_pupil?=",
        ),
        "header_injection": mail(sender, [attached], subject=f"=?utf-8?b?{injected}?=".encode()),
        "non_utf8_headers": mail(
            sender,
            [part(b'filename="R\xe9f\xe9rral \xe9l\xe8ve.docx"', docx)],
            subject=b"R\xe9f\xe9rral for \xc9lodie \xff\xfe",
        ),
        "rfc2231_filename": mail(
            sender,
            [
                part(
                    b"filename*0*=utf-8''R%C3%A9f%C3%A9rral%20; filename*1*=form%20%C3%A9.docx",
                    docx,
                )
            ],
        ),
        "deep_nesting": nested(sender, 3000),
        "many_attachments": mail(
            sender, [part(b'filename="n%d.txt"' % n, b"note %d" % n) for n in range(400)]
        ),
    }
    # Each from its own address (see own_address): they all carry the same Letter.docx.
    own = {kind: b"From: " + own_address(sender, kind).encode() for kind in raw}
    kinds = [
        Hostile(kind, GROUP, f"{kind}.eml", data.replace(b"From: " + sender.encode(), own[kind], 1))
        for kind, data in raw.items()
    ]
    rng = random.Random(11)
    for n in (1, 2):
        data = mail(
            sender,
            [part(named(f"Letter {n}.docx"), files.plain_docx(f"Letter number {n}"))],
            message_id=b"<same-id-for-two@hostile.example>",
        )
        kinds.append(Hostile("same_message_id", GROUP, f"same_message_id-{n}.eml", data))
    kinds += [
        Hostile("garbage_msg", GROUP, "garbage.msg", files.OLE_MAGIC + rng.randbytes(8192)),
        Hostile("random_msg", GROUP, "random.msg", rng.randbytes(8192)),
        Hostile("garbage_eml", GROUP, "garbage.eml", rng.randbytes(8192)),
        Hostile("loose_not_a_pdf", GROUP, "Report.pdf", b"MZ this is not a PDF"),
    ]
    return kinds
