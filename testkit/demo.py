"""A demonstration meeting made from fictional emails, end to end: what a panel member sees.

`make docs` (python -m testkit.demo docs) processes about 30 generated referrals arriving
before the December 2025 cut-off, builds that meeting's bundle and renders its first pages to
PNG for the README. Everything in it is made up.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.admin import make_bundle, move_case
from pipeline.config import Config, load_config
from pipeline.context import Context
from pipeline.meetings.preview import render_preview
from pipeline.models import RequestType
from pipeline.runner import open_context, run_inbox
from testkit.samples import apply_defect, make_referral, make_sample, render_email, render_emails

LONDON = ZoneInfo("Europe/London")
MEETING = date(2025, 12, 11)
_STAY = {RequestType.ipn, RequestType.capital}  # listed where intake put them
FIRST_ARRIVAL = datetime(2025, 10, 6, 9, 0, tzinfo=LONDON)
DEFECTS = (
    "short_narrative",
    "consent_stale",
    "few_apdr_cycles",
    "missing_field",
    "line_cost_mismatch",
    "year_group_mismatch",
)
OTHER_KINDS = (("project_referral", 3), ("capital_bid", 3), ("ehcp_exceptional", 2))


def write_emails(config: Config, inbox: Path, ipn: int = 22, seed: int = 2025) -> int:
    rng = random.Random(seed)
    written = 0
    for n in range(ipn):
        arrival = FIRST_ARRIVAL + timedelta(days=n * 2, hours=n % 5)
        referral = make_referral(rng, config, received_at=arrival)
        referral = referral.model_copy(update={"include_supporting": n % 2 == 0})
        if n % 4 == 3:
            referral = apply_defect(referral, DEFECTS[(n // 4) % len(DEFECTS)], rng, config)
        (inbox / f"ipn-{n:02d}.eml").write_bytes(render_email(referral))
        written += 1
    for kind, count in OTHER_KINDS:
        for n in range(count):
            form = make_sample(kind, n + 1, "clean", config, seed=seed)
            for i, email in enumerate(render_emails(form)):
                (inbox / f"{kind}-{n}-{i}.eml").write_bytes(email)
                written += 1
    return written


def gather_at_meeting(ctx: Context, *, by: str, today: date) -> None:
    """Group matters arrive all year: the admin moves them to the demo's meeting. Capital bids
    stay at the round's meeting, where they are assessed together."""
    for submission in ctx.register.submissions():
        if submission.case_ref and submission.request_type not in _STAY:
            move_case(ctx, submission.case_ref, MEETING, by=by, today=today)


def build(docs: Path, config: Config, workspace: Path) -> list[Path]:
    demo = config.under(workspace)
    demo.paths.inbox.mkdir(parents=True)
    write_emails(demo, demo.paths.inbox)
    with open_context(demo) as ctx:
        run_inbox(ctx)
        gather_at_meeting(ctx, by="demo", today=FIRST_ARRIVAL.date())
        outputs = make_bundle(ctx, MEETING, by="demo")
    panel = next(p for p in outputs if p.name == "bundle-panel.pdf")
    return render_preview(panel, docs, pages=4)


def main(argv: list[str]) -> int:
    docs = Path(argv[0]) if argv else Path("docs")
    config = load_config(Path(argv[1]) if len(argv) > 1 else Path("config.toml"))
    with tempfile.TemporaryDirectory(prefix="demo-meeting-") as workspace:
        for path in build(docs, config, Path(workspace)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
