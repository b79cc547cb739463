"""All reads and writes of the directory, each change audited and version-checked.

A maintainer edits what they last saw (version N). If someone else saved since, the edit is
refused with both versions (`StaleEdit`), never silently overwritten. Seeding and importing the
same data twice changes nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator, Optional

import yaml
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from directory import records, sources
from directory.db import make_engine, make_session_factory
from directory.gazetteer import Gazetteer, load_default
from directory.ids import to_uuid
from directory.reading import READ_ONE, read_whole, service_query
from directory.models import (
    AuditRecord, Organization, Service, Taxonomy, TaxonomyTerm, new_id,
)

DATA = Path(__file__).resolve().parent / "data"
SEED_FILE = sources.SEED_FILE
TAXONOMY_FILE = DATA / "taxonomy.yml"
REVIEW_AGE_DAYS = 182  # about 6 months
VOLATILE = ("version",)


class NotFound(LookupError):
    pass


class StaleEdit(Exception):
    """Someone saved this service after the version being edited."""

    def __init__(self, service_id: str, expected: int, current: dict, attempted: dict) -> None:
        super().__init__(
            f"service {service_id} was changed by someone else (you edited version {expected}, "
            f"it is now version {current['version']}); nothing was saved")
        self.service_id = service_id
        self.expected = expected
        self.current = current
        self.attempted = attempted


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by a maintainer since; seed not applied
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id or name, why)

    def summary(self) -> str:
        kept = f", {len(self.kept)} kept as maintainers edited them" if self.kept else ""
        return (f"{len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged{kept}, {len(self.skipped)} skipped")


def seed_row(row: dict, known: dict, defaults: dict) -> dict:
    """A seed service as the loader takes it: sources turned into source, date and review."""
    row = {k: v for k, v in row.items() if not k.startswith("_")}
    used = [known[s] for s in row.pop("sources", None) or [] if s in known]
    if used:
        row.setdefault("source", used[0].url)
        confirmed = sources.confirmed_on({"sources": [s.id for s in used]}, known)
        row.setdefault("verified", confirmed)
        if any(not s.trusted for s in used):
            row["review"] = True
        if not row.get("source_note"):
            row["source_note"] = "; ".join(
                f"{s.url} ({s.kind.replace('_', '-')}"
                + (f", {s.published.isoformat()}" if s.published else "") + ")" for s in used)
    if row.get("url") and not str(row["url"]).startswith(("http://", "https://")):
        row["url"] = "https://" + str(row["url"])  # pages print "www.example.org"
    row.setdefault("verified", defaults.get("verified"))
    row.setdefault("verified_by", defaults.get("verified_by"))
    row.setdefault("review", False)
    row.setdefault("status", "active")
    for key in ("phones", "locations", "topics"):
        row.setdefault(key, [])
    for key in ("url", "email", "fees", "minimum_age", "maximum_age", "eligibility",
                "source_note", "hours", "access", "access_text"):
        row.setdefault(key, None)
    row.setdefault("closed_bank_holidays", False)
    row.setdefault("contact_may_be_out_of_date", False)
    row.pop("hours_text", None)
    return row


def _comparable(plain: dict) -> dict:
    return {k: v for k, v in plain.items() if k not in VOLATILE}


class Directory:
    def __init__(self, engine: Optional[Engine] = None, gazetteer: Optional[Gazetteer] = None):
        self.engine = engine or make_engine()
        self.sessions = make_session_factory(self.engine)
        self.gazetteer = gazetteer or load_default()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            with session.begin():
                yield session

    # -- reading -----------------------------------------------------------------------------
    def get(self, service_id: str) -> dict:
        service_id = to_uuid("service", service_id)
        with self.sessions() as session:
            found = read_whole(session, READ_ONE, {"id": service_id})
            if not found:
                raise NotFound(f"no service with id {service_id!r}")
            return records.to_plain(found[0])

    def _load(self, session: Session, service_id: str) -> Service:
        service_id = to_uuid("service", service_id)
        service = session.execute(
            service_query().where(Service.id == service_id)).scalar_one_or_none()
        if service is None:
            raise NotFound(f"no service with id {service_id!r}")
        return service

    def history(self, service_id: str) -> list[AuditRecord]:
        with self.sessions() as session:
            return list(session.execute(
                select(AuditRecord).where(AuditRecord.entity_id == to_uuid("service", service_id))
                .order_by(AuditRecord.at, AuditRecord.id)).scalars())

    def review_due(self, max_age_days: int = REVIEW_AGE_DAYS,
                   today: Optional[date] = None) -> list[dict]:
        """Live services not verified within `max_age_days`, or flagged for review; oldest first."""
        cutoff = (today or date.today()) - timedelta(days=max_age_days)
        with self.sessions() as session:
            rows = session.execute(
                service_query().where(Service.status != "defunct")
                .where((Service.last_verified < cutoff) | Service.review_flag.is_(True))
                .order_by(Service.last_verified, Service.name)).scalars()
            return [records.to_plain(s) for s in rows]

    # -- changing ----------------------------------------------------------------------------
    def _audit(self, session: Session, actor: str, action: str, entity_id: str,
               before: Optional[dict], after: Optional[dict], note: Optional[str] = None,
               entity_type: str = "service") -> None:
        session.add(AuditRecord(actor=actor, action=action, entity_type=entity_type,
                                entity_id=entity_id, before=before, after=after, note=note))

    def create(self, data: dict, actor: str) -> dict:
        with self.session() as session:
            service_id = to_uuid("service", data.get("id") or new_id())
            if session.get(Service, service_id) is not None:
                raise records.InvalidRecord(f"a service with id {service_id!r} already exists")
            self._require_organization(session, data)
            service = Service(id=service_id)
            session.add(service)
            records.apply(session, service, data, self.gazetteer)
            session.flush()
            after = records.to_plain(service)
            self._audit(session, actor, "create", service_id, None, after)
            return after

    def update(self, service_id: str, changes: dict, expected_version: int, actor: str,
               action: str = "update", note: Optional[str] = None) -> dict:
        with self.session() as session:
            service = self._load(session, service_id)
            service_id = service.id
            before = records.to_plain(service)
            if service.version != expected_version:
                raise StaleEdit(service_id, expected_version, before, changes)
            if "organization" in changes or "organization_id" in changes:
                self._require_organization(session, changes)
            records.apply(session, service, changes, self.gazetteer)
            session.flush()
            after = records.to_plain(service)
            self._audit(session, actor, action, service_id, before, after, note)
            return after

    def retire(self, service_id: str, actor: str, expected_version: Optional[int] = None,
               status: str = "defunct", reason: Optional[str] = None) -> dict:
        """Take a service out of answers (defunct, inactive or temporarily closed); kept for history."""
        if status == "active":
            raise records.InvalidRecord("retire sets a status other than active")
        current = self.get(service_id)
        version = current["version"] if expected_version is None else expected_version
        return self.update(service_id, {"status": status}, version, actor, "retire", reason)

    def verify(self, service_id: str, actor: str, when: Optional[date] = None,
               source: Optional[str] = None, expected_version: Optional[int] = None) -> dict:
        """Record that someone checked this entry against its source today."""
        changes: dict[str, Any] = {"verified": (when or date.today()).isoformat(),
                                   "verified_by": actor, "review": False}
        if source:
            changes["source"] = source
        current = self.get(service_id)
        version = current["version"] if expected_version is None else expected_version
        return self.update(service_id, changes, version, actor, "verify")

    def _require_organization(self, session: Session, data: dict) -> None:
        org_id = data.get("organization_id", data.get("organization"))
        if not org_id or session.get(Organization, to_uuid("organization", org_id)) is None:
            raise records.InvalidRecord(f"organisation {org_id!r} is not in the directory")

    # -- bulk: taxonomy, seed, import ---------------------------------------------------------
    def ensure_taxonomy(self, path: Path = TAXONOMY_FILE) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        with self.session() as session:
            info = data["taxonomy"]
            taxonomy_id = to_uuid("taxonomy", info["id"])
            taxonomy = session.get(Taxonomy, taxonomy_id) or Taxonomy(id=taxonomy_id)
            taxonomy.name, taxonomy.description = info["name"], info.get("description", "")
            taxonomy.version = str(info.get("version", ""))
            session.add(taxonomy)
            session.flush()
            by_code = {t.code: t for t in session.execute(select(TaxonomyTerm)).scalars()}
            for row in data["terms"]:
                term = by_code.get(row["code"]) or TaxonomyTerm(
                    id=to_uuid("term", row["code"]), code=row["code"])
                term.taxonomy_id = taxonomy.id
                term.name = row["name"]
                term.description = row.get("description", row["name"])
                term.parent_id = to_uuid("term", row["parent"]) if row.get("parent") else None
                session.add(term)
                by_code[row["code"]] = term

    def upsert_organizations(self, rows: list[dict], actor: str) -> None:
        with self.session() as session:
            for row in rows:
                existing = session.get(Organization, to_uuid("organization", row["id"]))
                if existing is not None:
                    records.organization_from(row, existing)
                    continue
                organization = records.organization_from(row)
                session.add(organization)
                self._audit(session, actor, "create", organization.id, None, row,
                            entity_type="organization")

    def load_services(self, rows: list[dict], actor: str, action: str,
                      defaults: Optional[dict] = None, progress=None) -> LoadReport:
        """Create or update each service; identical data changes nothing. One bad row is skipped."""
        report = LoadReport()
        # A row with no verification date counts as checked on import by whoever imported it,
        # and starts due for review.
        defaults = defaults or {"verified": date.today().isoformat(),
                                "verified_by": f"{action} by {actor}"}
        for index, row in enumerate(rows):
            if not row.get("verified") and not row.get("last_verified"):
                row = {**row, "review": True}
            label = str(row.get("id") or row.get("name") or f"row {index + 1}")
            try:
                self._load_one(row, actor, action, defaults, report)
            except (records.InvalidRecord, KeyError, TypeError, ValueError) as error:
                report.skipped.append((label, str(error)))
            if progress:
                progress(index + 1, len(rows))
        if report.created or report.updated:
            self.analyze()
        return report

    def analyze(self) -> None:
        """Fresh statistics for the query planner after a bulk load: without them a search on
        a newly seeded PostgreSQL directory was planned as if each need had one service."""
        with self.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA analysis_limit = 1000")
            connection.exec_driver_sql("ANALYZE")

    def _load_one(self, row: dict, actor: str, action: str, defaults: dict,
                  report: LoadReport) -> None:
        with self.session() as session:
            self._require_organization(session, row)
            service_id = to_uuid("service", row.get("id") or new_id())
            existing = session.execute(
                service_query().where(Service.id == service_id)).scalar_one_or_none()
            if existing is None:
                service = Service(id=service_id)
                session.add(service)
                records.apply(session, service, row, self.gazetteer, defaults)
                session.flush()
                self._audit(session, actor, action, service_id, None, records.to_plain(service))
                report.created.append(service_id)
                return
            if action == "seed" and self._edited_since_seed(session, service_id):
                report.kept.append(service_id)  # never overwrite a maintainer's work
                return
            before = records.to_plain(existing)
            savepoint = session.begin_nested()
            records.apply(session, existing, row, self.gazetteer, defaults)
            session.flush()
            after = records.to_plain(existing)
            if _comparable(after) == _comparable({**before, "version": after["version"]}):
                savepoint.rollback()
                report.unchanged.append(service_id)
                return
            savepoint.commit()
            self._audit(session, actor, action, service_id, before, after)
            report.updated.append(service_id)

    def _edited_since_seed(self, session: Session, service_id: str) -> bool:
        last = session.execute(
            select(AuditRecord.action).where(AuditRecord.entity_id == service_id)
            .order_by(AuditRecord.at.desc(), AuditRecord.id.desc()).limit(1)).scalar_one_or_none()
        return last is not None and last != "seed"

    def seed(self, path: Path = SEED_FILE, actor: str = "seed") -> LoadReport:
        """Load the reviewed seed data: seed.yml and, with it, every file in data/services/."""
        if path == SEED_FILE:
            data = sources.load_seed()
        else:
            data = sources.load_seed(path, services_dir=path.parent / "no-such-folder")
        self.ensure_taxonomy()
        self.upsert_organizations(data.organizations, actor)
        defaults = data.defaults
        rows, refused = [], []
        for row in data.services:
            row = seed_row(row, data.sources, defaults)
            if row["status"] == "active" and not sources.reachable(row):
                refused.append((row["id"], f"{row['name']} is active but has no way to reach it "
                                "(a phone, web address, email, or a street address with hours)"))
                continue
            rows.append(row)
        report = self.load_services(rows, actor, "seed", defaults)
        report.skipped.extend(refused)
        if path == SEED_FILE:
            from directory.health import record_seed

            record_seed(self)
        return report
