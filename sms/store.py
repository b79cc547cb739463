"""Opt-outs and delivery statuses, in the project's database (survive a restart)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sms.models import MessageStatus, OptOut, utcnow


class ChannelStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def is_opted_out(self, sender_key: str) -> bool:
        query = select(OptOut.sender_key).where(OptOut.sender_key == sender_key)
        with self.engine.connect() as connection:  # read on every text: no ORM session
            return connection.execute(query).first() is not None

    def opt_out(self, sender_key: str) -> bool:
        """Record an opt-out; True if it is new."""
        with Session(self.engine) as session, session.begin():
            if session.get(OptOut, sender_key) is not None:
                return False
            session.add(OptOut(sender_key=sender_key))
            return True

    def opt_in(self, sender_key: str) -> bool:
        with Session(self.engine) as session, session.begin():
            return session.execute(
                delete(OptOut).where(OptOut.sender_key == sender_key)).rowcount > 0

    def record_status(self, message_sid: str, status: str, error_code: Optional[str]) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(MessageStatus, message_sid) or MessageStatus(message_sid=message_sid)
            row.status, row.error_code, row.updated_at = status, error_code, utcnow()
            session.add(row)

    def status_of(self, message_sid: str) -> Optional[str]:
        with Session(self.engine) as session:
            row = session.get(MessageStatus, message_sid)
            return row.status if row else None
