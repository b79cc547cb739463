"""The web app for directory maintainers and Community Champions (aiohttp, server-rendered).

Sign-in with hashed passwords and lockout; an encrypted, HttpOnly, SameSite session cookie;
roles (admin manages users; maintainer edits the directory; champion uses the console;
commissioner reads the anonymous needs picture and nothing else); a CSRF
token on every form; every change through the directory repository, so it is audited with the
signed-in user. Also the read-only Open Referral UK 3.0 API at /api/oruk/.
"""

from __future__ import annotations

import base64
import hmac
import logging
import os
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp_session import get_session, new_session, setup as setup_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

from directory import health
from directory.csv_io import hours_from_cell, phone_from_cell
from directory.repository import Directory, NotFound, StaleEdit
from directory.records import InvalidRecord
from web.app_keys import DIRECTORY, RASA, RASA_TOKEN, SENDER, USERS
from web.console import RASA_URL, add_console_routes
from web.coverage_view import add_coverage_routes
from web.insights_view import add_insights_routes
from web.oruk_api import add_oruk_routes
from web.users import UserError, UserStore

logger = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Commissioners rank below champions: they may read the insights page and nothing else.
RANK = {"commissioner": 0, "champion": 1, "maintainer": 2, "admin": 3}
EDIT_FIELDS = ("name", "description", "status", "url", "email", "fees", "eligibility",
               "minimum_age", "maximum_age", "source", "source_note")


def session_key() -> bytes:
    """SIGNPOST_SESSION_KEY (a Fernet key), or a fresh one: sign-ins then end on restart."""
    key = os.environ.get("SIGNPOST_SESSION_KEY")
    if key:
        return base64.urlsafe_b64decode(key)
    logger.warning("SIGNPOST_SESSION_KEY is not set: sessions will not survive a restart")
    return base64.urlsafe_b64decode(Fernet.generate_key())


# -- session helpers -------------------------------------------------------------------------------
async def current_user(request: web.Request) -> Optional[dict]:
    session = await get_session(request)
    if "user_id" not in session:
        return None
    user = request.app[USERS].get(session["user_id"])
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "role": user.role}


async def csrf_token(request: web.Request) -> str:
    session = await get_session(request)
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def require(role: str, *also: str) -> Callable:
    """Only users with at least `role` (or one of the roles `also`) may use the view; others are
    sent to sign in or refused."""
    def decorator(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
        async def wrapped(request: web.Request) -> web.StreamResponse:
            user = await current_user(request)
            if user is None:
                raise web.HTTPSeeOther(f"/login?next={request.path_qs}")
            if RANK[user["role"]] < RANK[role] and user["role"] not in also:
                raise web.HTTPForbidden(text=f"You need the {role} role for this page.")
            request["user"] = user
            return await handler(request)
        return wrapped
    return decorator


@web.middleware
async def csrf_middleware(request: web.Request, handler):
    """Every state-changing request from a page must carry the session's CSRF token."""
    if request.method == "POST" and not request.path.startswith("/api/"):
        session = await get_session(request)
        form = await request.post()
        expected = session.get("csrf")
        given = form.get("csrf_token", "")
        if not expected or not hmac.compare_digest(str(given), str(expected)):
            raise web.HTTPForbidden(text="The form has expired or did not come from this site. "
                                         "Go back, reload the page and try again.")
    return await handler(request)


@web.middleware
async def security_headers(request: web.Request, handler):
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


async def render(request: web.Request, template: str, context: dict, status: int = 200):
    context = {**context, "user": request.get("user") or await current_user(request),
               "csrf_token": await csrf_token(request),
               "directory_health": await health.cached_check(directory=request.app[DIRECTORY])}
    return aiohttp_jinja2.render_template(template, request, context, status=status)


async def health_check(request: web.Request):
    """For monitoring: the web app answers, and the directory it serves is fit to use."""
    state = await health.cached_check(directory=request.app[DIRECTORY])
    return web.json_response({"status": "ok", "directory": state.as_dict()})


# -- sign in and out -------------------------------------------------------------------------------
async def login_page(request: web.Request):
    return await render(request, "login.html", {"next": request.query.get("next", "/"),
                                                "error": None})


async def login(request: web.Request):
    form = await request.post()
    user, why = request.app[USERS].authenticate(form.get("username", ""), form.get("password", ""))
    target = form.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    if user is None:
        return await render(request, "login.html", {"next": target, "error": why}, status=401)
    session = await new_session(request)  # a fresh session: no fixation
    session["user_id"] = user.id
    session["csrf"] = secrets.token_urlsafe(32)
    raise web.HTTPSeeOther(target)


async def logout(request: web.Request):
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPSeeOther("/login")


async def home(request: web.Request):
    user = await current_user(request)
    if user is None:
        raise web.HTTPSeeOther("/login")
    raise web.HTTPSeeOther("/insights" if user["role"] == "commissioner" else "/services")


# -- the directory ---------------------------------------------------------------------------------
@require("champion")
async def services(request: web.Request):
    from directory.search import PlaceNotFound, UnknownTopic, search

    directory = request.app[DIRECTORY]
    query = request.query
    text, topic, status = query.get("text", ""), query.get("topic", ""), query.get("status", "")
    borough, due = query.get("borough", ""), query.get("due") == "1"
    place = query.get("place", "")
    error = None
    if due:
        rows = directory.review_due()
    else:
        try:
            if status and status != "active":
                from directory.oruk import export_plain

                rows = [p for p in export_plain(directory) if p["status"] == status]
            else:
                rows = [r.as_dict() for r in search(directory, topic=topic or None,
                                                    text=text or None, place=place or None,
                                                    limit=200)]
        except (PlaceNotFound, UnknownTopic) as problem:
            rows, error = [], str(problem)
    if borough:
        rows = [r for r in rows if r["area"] == "national" or borough in r["area"]]
    if text and (due or (status and status != "active")):
        rows = [r for r in rows if text.lower() in (r["name"] + r["description"]).lower()]
    return await render(request, "services.html", {
        "rows": rows, "text": text, "topic": topic, "status": status, "borough": borough,
        "place": place, "due": due, "error": error, "topics": _topics(directory)})


def _topics(directory: Directory) -> list[str]:
    from sqlalchemy import select

    from directory.models import TaxonomyTerm

    with directory.sessions() as session:
        return [t.code for t in session.execute(select(TaxonomyTerm).order_by(TaxonomyTerm.code))
                .scalars()]


@require("champion")
async def service(request: web.Request):
    directory = request.app[DIRECTORY]
    try:
        plain = directory.get(request.match_info["id"])
    except NotFound:
        raise web.HTTPNotFound(text="No such service.")
    return await render(request, "service.html", {
        "service": plain, "history": directory.history(plain["id"])})


def _changes_from(form) -> dict:
    changes: dict[str, Any] = {}
    for field in EDIT_FIELDS:
        if field in form:
            value = form.get(field, "").strip()
            changes[field] = value or None
    if "phones" in form:
        changes["phones"] = [phone_from_cell(line) for line in form.get("phones", "").splitlines()
                             if line.strip()]
    if "topics" in form:
        changes["topics"] = [t.strip() for t in form.get("topics", "").split(",") if t.strip()]
    if "area" in form:
        area = form.get("area", "").strip()
        changes["area"] = "national" if area.lower() == "national" else \
            [a.strip() for a in area.split(",") if a.strip()]
    if "hours" in form:
        changes["hours"] = hours_from_cell(form.get("hours", "").replace("\n", ";"))
    if changes.get("source") is None:
        changes.pop("source", None)
    return changes


@require("maintainer")
async def edit_page(request: web.Request):
    try:
        plain = request.app[DIRECTORY].get(request.match_info["id"])
    except NotFound:
        raise web.HTTPNotFound(text="No such service.")
    return await render(request, "edit.html", {"service": plain, "form": None, "error": None})


@require("maintainer")
async def edit(request: web.Request):
    directory = request.app[DIRECTORY]
    form = await request.post()
    service_id = request.match_info["id"]
    changes = _changes_from(form)
    try:
        version = int(form.get("version", "0"))
        saved = directory.update(service_id, changes, version, request["user"]["username"])
    except StaleEdit as stale:
        return await render(request, "conflict.html", {
            "current": stale.current, "attempted": stale.attempted, "form": dict(form)},
            status=409)
    except (InvalidRecord, ValueError) as problem:
        plain = directory.get(service_id)
        return await render(request, "edit.html", {"service": plain, "form": dict(form),
                                                   "error": str(problem)}, status=422)
    except NotFound:
        raise web.HTTPNotFound(text="No such service.")
    raise web.HTTPSeeOther(f"/services/{saved['id']}?saved=1")


def _organizations(directory: Directory) -> list:
    from sqlalchemy import select

    from directory.models import Organization

    with directory.sessions() as session:
        return [(o.id, o.name) for o in session.execute(
            select(Organization).order_by(Organization.name)).scalars()]


@require("maintainer")
async def new_page(request: web.Request):
    return await render(request, "new.html", {
        "organizations": _organizations(request.app[DIRECTORY]), "form": {}, "error": None})


@require("maintainer")
async def create(request: web.Request):
    from datetime import date

    directory = request.app[DIRECTORY]
    form = await request.post()
    data = _changes_from(form)
    data["organization"] = form.get("organization", "")
    data["verified"] = date.today().isoformat()
    data["verified_by"] = request["user"]["username"]
    data.setdefault("area", "national")
    try:
        saved = directory.create(data, request["user"]["username"])
    except (InvalidRecord, ValueError) as problem:
        return await render(request, "new.html", {
            "organizations": _organizations(directory), "form": dict(form),
            "error": str(problem)}, status=422)
    raise web.HTTPSeeOther(f"/services/{saved['id']}?saved=1")


@require("maintainer")
async def retire(request: web.Request):
    form = await request.post()
    try:
        directory = request.app[DIRECTORY]
        directory.retire(request.match_info["id"], request["user"]["username"],
                         int(form.get("version", "0")), form.get("status") or "defunct",
                         form.get("reason") or None)
    except StaleEdit:
        raise web.HTTPConflict(text="Someone changed this service since you opened it. "
                                    "Go back and reload.")
    except (InvalidRecord, ValueError) as problem:
        raise web.HTTPUnprocessableEntity(text=str(problem))
    raise web.HTTPSeeOther(f"/services/{request.match_info['id']}")


@require("maintainer")
async def verify(request: web.Request):
    form = await request.post()
    try:
        request.app[DIRECTORY].verify(request.match_info["id"], request["user"]["username"],
                                      expected_version=int(form.get("version", "0")))
    except StaleEdit:
        raise web.HTTPConflict(text="Someone changed this service since you opened it. "
                                    "Go back and reload.")
    raise web.HTTPSeeOther(f"/services/{request.match_info['id']}")


# -- accounts --------------------------------------------------------------------------------------
@require("admin")
async def users_page(request: web.Request):
    return await render(request, "users.html", {"users": request.app[USERS].all(), "error": None})


@require("admin")
async def add_user(request: web.Request):
    form = await request.post()
    try:
        request.app[USERS].add(form.get("username", ""), form.get("password", ""),
                               form.get("role", ""))
    except UserError as problem:
        return await render(request, "users.html", {"users": request.app[USERS].all(),
                                                    "error": str(problem)}, status=422)
    raise web.HTTPSeeOther("/users")


@require("maintainer")
async def import_page(request: web.Request):
    return await render(request, "import.html", {"report": None, "error": None})


@require("maintainer")
async def import_file(request: web.Request):
    import io
    import json as jsonlib

    from directory import csv_io, oruk

    form = await request.post()
    upload = form.get("file")
    source = (form.get("source") or "").strip() or None
    if upload is None or not hasattr(upload, "file"):
        return await render(request, "import.html", {"report": None,
                                                     "error": "Choose a file to import."}, 422)
    raw = upload.file.read().decode("utf-8-sig", errors="replace")
    actor = request["user"]["username"]
    directory = request.app[DIRECTORY]
    progress: list[str] = []
    note = lambda done, total: progress.append(f"{done} of {total}")  # noqa: E731
    try:
        if upload.filename.lower().endswith(".csv"):
            rows = csv_io.read(io.StringIO(raw))
            for row in rows:
                row["source"] = row.get("source") or source
            report, warnings = directory.load_services(rows, actor, "import", progress=note), []
        else:
            report, warnings = oruk.import_documents(directory, jsonlib.loads(raw), actor, source,
                                                     progress=note)
    except ValueError as problem:
        return await render(request, "import.html", {
            "report": None, "error": f"Nothing was imported: {problem}"}, 422)
    return await render(request, "import.html", {"report": report, "warnings": warnings,
                                                  "progress": progress, "error": None})


@require("maintainer")
async def export_file(request: web.Request):
    import json as jsonlib

    from directory import csv_io, oruk

    directory = request.app[DIRECTORY]
    if request.query.get("format") == "csv":
        body = csv_io.to_string(oruk.export_plain(directory))
        return web.Response(text=body, content_type="text/csv", headers={
            "Content-Disposition": "attachment; filename=directory.csv"})
    body = jsonlib.dumps(oruk.export(directory), indent=2, ensure_ascii=False)
    return web.Response(text=body, content_type="application/json", headers={
        "Content-Disposition": "attachment; filename=directory-oruk.json"})


def create_app(directory: Optional[Directory] = None, users: Optional[UserStore] = None,
               secure_cookies: Optional[bool] = None, sender=None,
               rasa_url: Optional[str] = None,
               rasa_token: Optional[str] = None) -> web.Application:
    directory = directory or Directory()
    users = users or UserStore(directory.engine)
    if secure_cookies is None:
        secure_cookies = os.environ.get("SIGNPOST_SECURE_COOKIES", "1") != "0"
    app = web.Application(middlewares=[security_headers])
    app[DIRECTORY] = directory
    app[USERS] = users
    if sender is None:
        from sms.outbound import SenderConfig, TwilioSender

        config = SenderConfig.from_env()
        sender = TwilioSender(config) if config else None
    if sender is not None:
        app[SENDER] = sender
    app[RASA] = rasa_url or RASA_URL
    app[RASA_TOKEN] = rasa_token or os.environ.get("RASA_AUTH_TOKEN", "")
    if not app[RASA_TOKEN]:
        logger.error("RASA_AUTH_TOKEN is not set: the champions' console cannot reach the "
                     "assistant.")
    setup_session(app, EncryptedCookieStorage(
        session_key(), cookie_name="signpost_session", httponly=True, samesite="Lax",
        secure=secure_cookies, max_age=8 * 3600))
    app.middlewares.append(csrf_middleware)
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    app.router.add_get("/", home)
    app.router.add_get("/health", health_check)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/services", services)
    app.router.add_get("/services/new", new_page)
    app.router.add_post("/services/new", create)
    app.router.add_get("/services/{id}", service)
    app.router.add_get("/services/{id}/edit", edit_page)
    app.router.add_post("/services/{id}/edit", edit)
    app.router.add_post("/services/{id}/retire", retire)
    app.router.add_post("/services/{id}/verify", verify)
    app.router.add_get("/users", users_page)
    app.router.add_post("/users", add_user)
    app.router.add_get("/import", import_page)
    app.router.add_post("/import", import_file)
    app.router.add_get("/export", export_file)
    add_console_routes(app, render, require)
    add_coverage_routes(app, render, require)
    add_insights_routes(app, render, require)
    add_oruk_routes(app, directory)
    return app
