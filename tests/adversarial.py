"""Fictional pupils whose details are written the awkward ways people write them.

For the panel edition's leak test: 30 made-up pupils with accents, apostrophes, hyphens,
particles and surnames that are ordinary words ("Hill", "Young", "May"); parents given as
"Mr and Mrs X", "X and Y Z" and "Ms X (mum)"; each identifier written in at least ten
variants in narratives, provision lines and supporting reports (text PDFs, Word reports,
scans), among decoy sentences whose ordinary words ("and", "Mrs", "may", "in May 2025", "Hill
Road") must survive. This module shares nothing with the redactor: the variants are written
out here, by hand-made rules, so that a shared mistake cannot hide a leak.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from docx import Document
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from stdnum.gb import upn as stdnum_upn

FORENAMES = (
    "Zoë",
    "Chloé",
    "José",
    "Siân",
    "Renée",
    "Anaïs",
    "Søren",
    "Seán",
    "Aoife",
    "Mary-Jane",
    "Jean-Luc",
    "Björn",
    "Inés",
    "Élodie",
    "Noël",
    "Łukasz",
    "Niamh",
    "Ffion",
    "May",
    "Rose",
    "Grace",
    "Kai",
    "Ava",
    "Leo",
    "Isla",
    "Dáithí",
    "Zofia",
    "Thandiwe",
    "Ngozi",
    "Oisín",
)
SURNAMES = (
    "O'Brien-Smythe",
    "Hill",
    "Young",
    "May",
    "D'Arcy",
    "N'Diaye",
    "McAllister-Hughes",
    "Núñez",
    "Wood",
    "Müller",
    "Fernández-López",
    "King",
    "Le Roux",
    "Bell",
    "O'Neill",
    "Kowalczyk",
    "Ali-Khan",
    "van der Berg",
    "Rose",
    "Ó Súilleabháin",
    "Hill-Young",
    "Brontë",
    "Dvořák",
    "Øvergaard",
    "Ng",
    "Al-Sayed",
    "St John",
    "Ferreira",
    "Okonkwo",
    "Lamb",
)
PARENT_FORENAMES = ("Sarah", "Richard", "Joanne", "Tariq", "Bogdana", "Priya", "Declan")
MUMS = ("Kaur", "Nowak", "Adeyemi", "Ní Bhriain", "Çelik", "Lefèvre")
STREETS = ("Hill Road", "Church Street", "Victoria Avenue", "Meir Lane", "Birches Close")
POSTCODES = ("ST2 0AB", "ST1 4QX", "ST6 8JD", "ST3 5RU", "ST4 7NW")
COMMON = {"hill", "young", "may", "wood", "king", "bell", "rose", "grace", "lamb"}
MONTHS = "January February March April May June July August September October November December"


@dataclass
class Made:
    """One pupil: every identifier (as the form gives it) and each variant placed in text."""

    number: int
    forename: str
    surname: str
    preferred: str
    born: date
    upn: str
    uln: str
    parent_field: str
    parent_names: list[str]
    address: str
    postcode: str
    phone: str
    email: str
    unlisted: dict[str, str]
    sentences: list[list[tuple[str, bool]]] = field(default_factory=list)  # (text, identifier?)

    @property
    def initials(self) -> str:
        return "".join(
            w[0].upper() for w in f"{self.forename} {self.surname}".replace("-", " ").split()
        )


def _strip(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _ascii(text: str) -> str:
    return _strip(text).translate(str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}))


def name_variants(forename: str, surname: str) -> list[str]:
    """At least ten ways of writing one person's name."""
    full = f"{forename} {surname}"
    hyphen = "-" in surname
    found = [
        full,
        full.upper(),
        _ascii(full),
        unicodedata.normalize("NFD", full),
        full.replace("'", "’"),
        _ascii(full).upper().replace("'", ""),
        f"{forename} {surname.replace('-', ' - ')}" if hyphen else f"{forename}  {surname}",
        f"{forename} {surname.replace('-', ' ')}" if hyphen else f"{forename}\u00a0{surname}",
        f"{full}'s",
        f"{forename[0]}. {surname}",
        f"{forename}’s",
        f"{surname}, {forename}",
        surname.upper(),
    ]
    if surname.casefold() not in COMMON and forename.casefold() not in COMMON:
        found.append(_ascii(full).lower())
    return found


def date_variants(day: date) -> list[str]:
    month = MONTHS.split()[day.month - 1]
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    yy = f"{day.year % 100:02d}"
    return [
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{yy}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day:02d}-{day.month:02d}-{yy}",
        f"{day.day}{suffix} {month} {day.year}",
        f"{day.day}{suffix} of {month} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day}-{month[:3]}-{day.year}",
        f"{day.day} {month} {yy}",
        f"{day.year}-{day.month:02d}-{day.day:02d}",
        f"{month[:3]} {day.day}{suffix} {day.year}",
        f"{day.day} {month.upper()} {day.year}",
    ]


def upn_variants(upn: str) -> list[str]:
    return [
        upn,
        upn.lower(),
        f"{upn[:4]} {upn[4:8]} {upn[8:12]} {upn[12]}",
        "-".join((upn[:4], upn[4:8], upn[8:])),
        f"UPN:{upn}",
    ]


def uln_variants(uln: str) -> list[str]:
    return [uln, f"{uln[:3]} {uln[3:6]} {uln[6:]}", f"{uln[:5]}-{uln[5:]}"]


def phone_variants(phone: str) -> list[str]:
    digits = phone.replace(" ", "")
    rest = digits[1:]
    return [
        phone,
        digits,
        f"+44 {rest[:4]} {rest[4:]}",
        f"+44 (0){rest[:4]} {rest[4:7]} {rest[7:]}",
        f"({digits[:5]}) {digits[5:]}",
        f"{digits[:5]}-{digits[5:8]}-{digits[8:]}",
        f"{digits[:3]} {digits[3:7]} {digits[7:]}",
        f"+44{rest}",
        f"0{rest[:4]} {rest[4:7]}{rest[7:]}",
        f"tel. {digits[:5]} {digits[5:]}",
    ]


def address_variants(street: str, postcode: str) -> list[str]:
    number, *words = street.split()
    short = {"Road": "Rd", "Street": "St", "Avenue": "Ave", "Lane": "Ln", "Close": "Cl"}
    abbreviated = " ".join(short.get(w, w) for w in words)
    compact = postcode.replace(" ", "")
    return [
        f"{street}, {postcode}",
        f"{street.upper()} {postcode}",
        f"{number} {abbreviated}, {compact}",
        f"{number} {abbreviated}. {postcode}",
        f"{number}, {' '.join(words)} ({postcode})",
        f"{street}",
        f"{postcode}",
        f"{compact}",
        f"{postcode.replace(' ', '  ')}",
        f"{number} {' '.join(words).upper()}",
    ]


def email_variants(email: str) -> list[str]:
    return [email, email.upper(), f"<{email}>", f"mailto:{email}", email.replace("@", " @ ")]


def pupils(count: int = 30) -> list[Made]:
    return [_pupil(n) for n in range(count)]


def _pupil(n: int) -> Made:
    forename, surname = FORENAMES[n % len(FORENAMES)], SURNAMES[(n * 7) % len(SURNAMES)]
    born = date(2012, 1, 1) + timedelta(days=131 * n + 2)
    tail = f"861{2000 + n:04d}{born.year % 100:02d}{n:03d}"
    street = f"{10 + n} {STREETS[n % len(STREETS)]}"
    parent_field, parent_names = _parents(n, surname)
    return Made(
        number=n + 1,
        forename=forename,
        surname=surname,
        preferred=("Bex", "Jojo", "Maz", "Tiggy", "Dodo")[n % 5] + ("", "ie", "a")[n % 3],
        born=born,
        upn=stdnum_upn.calc_check_digit(tail) + tail,
        uln=f"{4821930000 + 7919 * n}",
        parent_field=parent_field,
        parent_names=parent_names,
        address=f"{street}\nBentilee\nStoke-on-Trent\n{POSTCODES[n % len(POSTCODES)]}",
        postcode=POSTCODES[n % len(POSTCODES)],
        phone=f"07700 9{n:02d}{(n * 37) % 1000:03d}",
        email=f"{_ascii(PARENT_FORENAMES[n % 7]).lower()}.{n}{_squashed(surname)}@example.com",
        unlisted={
            "sibling's mobile": f"07700 {900500 + n}",
            "NHS number": _nhs(n),
            "earlier postcode": f"ST{n % 9 + 1} {n % 9}HJ",
            "social worker's own email": f"j.bloggs{n}@hotmail.example",
        },
    )


def _squashed(name: str) -> str:
    return "".join(c for c in _ascii(name).lower() if c.isalpha())


def _parents(n: int, surname: str) -> tuple[str, list[str]]:
    first, second = PARENT_FORENAMES[n % 7], PARENT_FORENAMES[(n + 3) % 7]
    shape = n % 3
    if shape == 0:
        return f"Mr and Mrs {surname}", [surname]
    if shape == 1:
        return f"{first} and {second} {surname}", [f"{first} {surname}", f"{second} {surname}"]
    mum = MUMS[n % len(MUMS)]
    return f"Ms {mum} (mum)", [mum]


def _nhs(n: int) -> str:
    """A ten-digit number with a valid modulus 11 check digit."""
    base = 400_000_000 + 12_347 * n
    while True:
        digits = f"{base:09d}"
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}{check}"
        base += 1


def identifier_variants(made: Made) -> dict[str, list[str]]:
    """Each identifier of the pupil and the variants written of it (10 or more for each)."""
    found = {
        "pupil": name_variants(made.forename, made.surname),
        "preferred name": [
            made.preferred,
            made.preferred.upper(),
            f"{made.preferred}'s",
            f"“{made.preferred}”",
            f"{made.preferred}’s",
        ]
        * 2,
        "date of birth": date_variants(made.born),
        "UPN": upn_variants(made.upn) * 2,
        "ULN": uln_variants(made.uln) * 4,
        "address": address_variants(made.address.split("\n")[0], made.postcode),
        "phone": phone_variants(made.phone),
        "email": email_variants(made.email) * 2,
    }
    for number, name in enumerate(made.parent_names):
        words = name.split()
        found[f"parent {number + 1}"] = (
            name_variants(words[0], " ".join(words[1:]))
            if len(words) > 1 and name != made.surname
            else [
                name,
                name.upper(),
                _ascii(name),
                f"Mrs {name}",
                f"{name}'s",
                f"Ms {name}",
                f"Mr {name}",
                f"MRS {name.upper()}",
                f"{name}’s",
                f"the {name} family",
            ]
        )
    return found


DECOYS = (
    "Our Lady and St Benedict is the partner setting, and Mrs Example chairs the meeting.",
    "Social, emotional and mental health needs may be met by a young people's group.",
    "The review in May 2025 found she may need a quieter space by 3 May.",
    "The class walked up the hill to the wood and back along Hill Road.",
    "A rose garden and a king-size beanbag help with regulation at the Bell Lane site.",
)
KNOWN_SENTENCES = (
    "Observation showed sustained attention for eleven minutes during the phonics session.",
    "The recommended strategies are visual timetables, now-and-next boards and movement breaks.",
)


def sentences(made: Made) -> list[str]:
    """The text placed in narratives and reports: every variant of every identifier, decoys."""
    lines = [*DECOYS]
    for kind, items in identifier_variants(made).items():
        for item in items:
            lines.append(f"Recorded ({kind}): {item} was noted by staff on the day.")
    for kind, item in made.unlisted.items():
        lines.append(f"The {kind} is {item} according to the file.")
    return [*lines, *KNOWN_SENTENCES]


def report_pdf(made: Made) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    y = 800.0
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(50, y, f"Specialist teacher report {made.number}")
    canvas.setFont("Helvetica", 9)
    for line in sentences(made):
        y -= 13
        if y < 60:
            canvas.showPage()
            canvas.setFont("Helvetica", 9)
            y = 800
        canvas.drawString(50, y, line)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def report_docx(made: Made) -> bytes:
    document = Document()
    document.add_heading(f"Speech and language report {made.number}", 1)
    for line in sentences(made)[:40]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SCAN_FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"


def report_scan(made: Made) -> bytes:
    """A printed letter, scanned: a picture of the text and no text layer."""
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SCAN_FONT, 30)
    lines = [
        f"Letter from the school nurse {made.number}",
        f"Re: {made.forename} {made.surname}",
        f"Date of birth: {made.born:%d/%m/%Y}",
        f"Address: {made.address.splitlines()[0]}, {made.postcode}",
        f"Telephone: {made.phone}",
        KNOWN_SENTENCES[0][:60],
    ]
    for row, line in enumerate(lines):
        draw.text((100, 120 + 60 * row), _ascii(line), fill=0, font=font)
    picture = io.BytesIO()
    image.save(picture, format="PNG")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 0, 0, *A4)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
