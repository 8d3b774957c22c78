"""Intake: raw messages made durable by hash, then parsed into a Message with its attachments."""
