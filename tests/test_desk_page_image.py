"""A value read from a PDF is shown on a picture of its page with its place boxed; one read
from a table cell of a PDF likewise."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from desk_world import ADMIN, sign_in
from PIL import Image
from starlette.testclient import TestClient

from pipeline.config import Config
from pipeline.desk.accounts import Role, add_user
from pipeline.desk.app import create_app
from pipeline.desk.store import DeskStore
from pipeline.runner import open_context, run_inbox
from schemas import IpnReferral
from testkit.corpus.pdf_layouts import ruled_table, spaced_lines
from testkit.corpus.values import truth_for

BOX_STROKE = (200, 120, 0)


def desk_with_pdf_referral(config: Config, layout: Callable[..., bytes]) -> TestClient:
    truth = truth_for(IpnReferral, random.Random("desk-pdf"), config)
    (config.paths.inbox / "IPN referral.pdf").write_bytes(layout(IpnReferral, truth, 1))
    with open_context(config) as ctx:
        run_inbox(ctx)
    store = DeskStore.of(config)
    add_user(store, *ADMIN, role=Role.admin)
    client = TestClient(create_app(config, store))
    sign_in(client, ADMIN)
    return client


def boxed_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    return sum(
        1 for x in range(width) for y in range(height) if image.getpixel((x, y)) == BOX_STROKE
    )


@pytest.mark.parametrize(
    ("layout", "where"), [(spaced_lines, r"page 1, line \d+"), (ruled_table, r"page 1, table")]
)
def test_a_value_read_from_a_pdf_is_boxed_on_its_page(
    config: Config, layout: Callable[..., bytes], where: str, tmp_path: Path
) -> None:
    client = desk_with_pdf_referral(config, layout)
    ref = re.findall(r'href="/case/(CC-\d{4}-\d{4})"', client.get("/queue").text)[0]
    case = client.get(f"/case/{ref}").text
    links = re.findall(r'href="(/case/[^"]+/document/[^"]+)">(page [^<]+)<', case)
    link, place = next((h, p) for h, p in links if re.match(where, p))
    document = client.get(link.replace("&amp;", "&")).text
    assert f"Marked: <strong>{place}</strong>" in document and 'id="here"' in document
    picture = re.search(r'<img src="([^"]+)"', document)
    assert picture
    answer = client.get(picture.group(1).replace("&amp;", "&"))
    assert answer.headers["content-type"] == "image/png"
    assert boxed_pixels(answer.content) > 100
    plain = client.get(
        picture.group(1).replace("&amp;", "&").split("?")[0] + "?at=page+1%2C+line+999"
    )
    assert boxed_pixels(plain.content) == 0
