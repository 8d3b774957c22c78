"""The register's schema, as numbered migrations; PRAGMA user_version records how far it is."""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: messages, their documents, submissions, findings, cases
    """
    CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        source_ref TEXT NOT NULL,
        message_id TEXT,
        sender TEXT,
        subject TEXT NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL,
        processed_at TEXT NOT NULL
    );
    CREATE TABLE documents (
        message TEXT NOT NULL REFERENCES messages(id),
        position INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        filename TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (message, position)
    );
    CREATE INDEX documents_by_hash ON documents(sha256);
    CREATE TABLE cases (
        case_ref TEXT PRIMARY KEY,
        academic_year TEXT NOT NULL,
        serial INTEGER NOT NULL,
        first_submission TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        UNIQUE (academic_year, serial)
    );
    CREATE TABLE submissions (
        id TEXT PRIMARY KEY,
        message TEXT NOT NULL REFERENCES messages(id),
        case_ref TEXT REFERENCES cases(case_ref),
        request_type TEXT,
        status TEXT NOT NULL,
        meeting TEXT,
        setting TEXT,
        pupil_initials TEXT,
        received_at TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX submissions_by_meeting ON submissions(meeting);
    CREATE TABLE findings (
        submission TEXT NOT NULL REFERENCES submissions(id),
        seq INTEGER NOT NULL,
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        field TEXT,
        document TEXT,
        message TEXT NOT NULL,
        PRIMARY KEY (submission, seq)
    );
    CREATE INDEX findings_by_code ON findings(code);
    """,
    # 2: mailbox sync state; cases across emails; the admin's decisions; audit log
    """
    CREATE TABLE source_state (
        source TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    ALTER TABLE cases ADD COLUMN request_type TEXT;
    ALTER TABLE cases ADD COLUMN setting TEXT;
    ALTER TABLE cases ADD COLUMN identity TEXT;
    ALTER TABLE cases ADD COLUMN status TEXT;
    ALTER TABLE cases ADD COLUMN meeting TEXT;
    ALTER TABLE cases ADD COLUMN meeting_moved_by TEXT;
    ALTER TABLE cases ADD COLUMN meeting_moved_at TEXT;
    CREATE INDEX cases_by_identity ON cases(academic_year, setting, identity);
    CREATE TABLE accepted_findings (
        case_ref TEXT NOT NULL REFERENCES cases(case_ref),
        code TEXT NOT NULL,
        field TEXT NOT NULL DEFAULT '',
        document TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        accepted_by TEXT NOT NULL,
        accepted_at TEXT NOT NULL,
        PRIMARY KEY (case_ref, code, field, document)
    );
    CREATE TABLE decisions (
        case_ref TEXT PRIMARY KEY REFERENCES cases(case_ref),
        meeting TEXT NOT NULL,
        decision TEXT NOT NULL,
        amount_agreed REAL,
        review_date TEXT,
        actions TEXT NOT NULL DEFAULT '',
        imported_from TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
    # 3: failed attempts per message (poison mail); reply drafts and whether the mailbox has them
    """
    CREATE TABLE mail_attempts (
        key TEXT PRIMARY KEY,
        attempts INTEGER NOT NULL,
        last_error TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE drafts (
        submission TEXT PRIMARY KEY,
        message_sha256 TEXT NOT NULL,
        source TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX drafts_by_state ON drafts(source, state);
    """,
    # 4: submissions whose JSON is still to be written from the register
    """
    CREATE TABLE unpublished (
        submission TEXT PRIMARY KEY,
        marked INTEGER NOT NULL DEFAULT 1
    );
    """,
    # 5: a case's states (listed, decided, deferred ...) with who made each change
    """
    CREATE TABLE case_states (
        id INTEGER PRIMARY KEY,
        case_ref TEXT NOT NULL REFERENCES cases(case_ref),
        state TEXT NOT NULL,
        meeting TEXT,
        reason TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        by TEXT NOT NULL
    );
    CREATE INDEX case_states_by_case ON case_states(case_ref);
    """,
    # 6: a case's submissions by arrival, carrying every column the desk's queue shows, so
    # that finding each case's latest email reads this index alone, never the stored records
    """
    CREATE INDEX submissions_by_case ON submissions(
        case_ref, received_at, id, message, request_type, status, meeting, setting,
        pupil_initials
    );
    """,
    # 7: the capital round's scores and each bid's steps to payment; the cluster's own counts
    """
    CREATE TABLE capital_scores (
        case_ref TEXT PRIMARY KEY REFERENCES cases(case_ref),
        meeting TEXT NOT NULL,
        reviewers TEXT NOT NULL,
        scores TEXT NOT NULL,
        total INTEGER NOT NULL,
        imported_from TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE capital_progress (
        case_ref TEXT NOT NULL REFERENCES cases(case_ref),
        step TEXT NOT NULL,
        on_date TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (case_ref, step)
    );
    CREATE TABLE cluster_counts (
        id INTEGER PRIMARY KEY,
        measure TEXT NOT NULL,
        count INTEGER NOT NULL,
        on_date TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        by TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 8: arrival times in UTC, so that ordering by the text orders by time (they were stored
    # with the offset they arrived in, and summer time sorted after later UTC times)
    """
    UPDATE messages SET received_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', received_at)
    WHERE received_at NOT LIKE '%+00:00';
    UPDATE submissions SET received_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', received_at)
    WHERE received_at NOT LIKE '%+00:00';
    """,
)


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the register up to the latest schema; returns the version it is now at."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        with connection:
            connection.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    return len(MIGRATIONS)
