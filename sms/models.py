"""Tables the SMS channel keeps: who opted out (by pseudonym) and what Twilio said about
delivery. Built by the same Alembic migrations as the directory (directory/migrations)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class OptOut(Base):
    __tablename__ = "sms_opt_out"

    sender_key = Column(String(64), primary_key=True)  # the pseudonym, never the number
    opted_out_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class MessageStatus(Base):
    __tablename__ = "sms_message_status"

    message_sid = Column(String(64), primary_key=True)
    status = Column(String(32), nullable=False)
    error_code = Column(String(16))
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
