"""Accounts: create, sign in (with lockout after repeated failures), list."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from web.models import ROLES, User
from web.passwords import hash_password, verify_password

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 12


class UserError(ValueError):
    pass


class UserStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, username: str, password: str, role: str) -> None:
        username = username.strip().lower()
        if role not in ROLES:
            raise UserError(f"role must be one of {', '.join(ROLES)}")
        if not username:
            raise UserError("a username is needed")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"passwords need at least {MIN_PASSWORD} characters")
        try:
            with Session(self.engine) as session, session.begin():
                session.add(User(username=username, password_hash=hash_password(password),
                                 role=role))
        except IntegrityError as error:
            raise UserError(f"user {username!r} already exists") from error

    def authenticate(self, username: str, password: str,
                     now: Optional[datetime] = None) -> tuple[Optional[User], str]:
        """(user, "") on success; (None, why) otherwise. Locked accounts say so."""
        now = now or datetime.now(timezone.utc)
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            user = session.execute(select(User).where(
                User.username == username.strip().lower())).scalar_one_or_none()
            if user is None:
                verify_password(password, "scrypt$16384$8$AAAA$AAAA")  # same work either way
                return None, "Wrong username or password."
            locked = user.locked_until
            if locked is not None and locked.tzinfo is None:
                locked = locked.replace(tzinfo=timezone.utc)
            if locked and locked > now:
                return None, "This account is locked for 15 minutes after too many tries."
            if not verify_password(password, user.password_hash):
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until, user.failed_logins = now + LOCKOUT, 0
                    return None, "This account is locked for 15 minutes after too many tries."
                return None, "Wrong username or password."
            user.failed_logins, user.locked_until = 0, None
            return user, ""

    def get(self, user_id: int) -> Optional[User]:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(User, user_id)

    def all(self) -> list[User]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.execute(select(User).order_by(User.username)).scalars())
