"""The directory's tables, shaped after Open Referral UK 3.0 (HSDS 3.0, UK profile).

Extra to the standard, because people rely on the answers: every service records where its
facts came from (`source_url`, `source_note`), when and by whom they were last verified, and
carries a `version` so a stale edit is refused rather than silently overwriting another.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timezone

from sqlalchemy import (
    JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text, Time,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
PHONE_KINDS = ("call", "text", "whatsapp")
AREA_KINDS = ("national", "borough", "district")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Organization(Base):
    __tablename__ = "organization"

    id = Column(String(64), primary_key=True, default=new_id)
    name = Column(String(255), nullable=False)
    description = Column(Text, nullable=False, default="")
    website = Column(String(500))
    email = Column(String(255))
    # A Community Anchor: a trusted local organisation the council funds to lead in an area.
    is_community_anchor = Column(Boolean, nullable=False, default=False)
    anchor_area = Column(String(255))

    services = relationship("Service", back_populates="organization")


class Service(Base):
    __tablename__ = "service"

    id = Column(String(64), primary_key=True, default=new_id)
    organization_id = Column(String(64), ForeignKey("organization.id"), nullable=False, index=True)
    name = Column(String(255), nullable=False)
    description = Column(Text, nullable=False, default="")
    url = Column(String(500))
    email = Column(String(255))
    status = Column(String(32), nullable=False, default="active", index=True)
    fees = Column(Text)
    minimum_age = Column(Integer)
    maximum_age = Column(Integer)
    eligibility = Column(Text)
    # Where the facts came from, and what is known about that source (dated, second-hand, ...).
    source_url = Column(String(1000), nullable=False)
    source_note = Column(Text)
    last_verified = Column(Date, nullable=False)
    verified_by = Column(String(255), nullable=False)
    # An entry from a dated or second-hand source starts due for review, whatever its date.
    review_flag = Column(Boolean, nullable=False, default=False)
    # The source itself says its phone or email may be out of date: never listed first.
    contact_flagged = Column(Boolean, nullable=False, default=False)
    # How to get help, only where a source says so: drop_in, self_refer, referral, appointment;
    # access_note keeps the source's own words ("just turn up").
    access = Column(String(32))
    access_note = Column(Text)
    last_modified = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    version = Column(Integer, nullable=False, default=1)

    organization = relationship("Organization", back_populates="services")
    phones = relationship("Phone", back_populates="service", cascade="all, delete-orphan",
                          order_by="Phone.position")
    contacts = relationship("Contact", back_populates="service", cascade="all, delete-orphan")
    schedules = relationship("Schedule", back_populates="service", cascade="all, delete-orphan",
                             order_by="Schedule.position")
    areas = relationship("ServiceArea", back_populates="service", cascade="all, delete-orphan")
    at_locations = relationship("ServiceAtLocation", back_populates="service",
                                cascade="all, delete-orphan")
    attributes = relationship("Attribute", back_populates="service", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def locations(self) -> list["Location"]:
        return [sal.location for sal in self.at_locations]

    @property
    def topic_codes(self) -> list[str]:
        return [a.term.code for a in self.attributes]


class Location(Base):
    __tablename__ = "location"

    id = Column(String(64), primary_key=True, default=new_id)
    name = Column(String(255), nullable=False)
    description = Column(Text)
    address_1 = Column(String(255))
    city = Column(String(255))
    postcode = Column(String(16))
    latitude = Column(Float)
    longitude = Column(Float)
    # How the point was found: "given" (a source gave it), "postcode", "district", "place".
    geocoded_from = Column(String(32))


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)

    id = Column(String(64), primary_key=True, default=new_id)
    service_id = Column(String(64), ForeignKey("service.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    location_id = Column(String(64), ForeignKey("location.id"), nullable=False, index=True)

    service = relationship("Service", back_populates="at_locations")
    location = relationship("Location")


class Contact(Base):
    __tablename__ = "contact"

    id = Column(String(64), primary_key=True, default=new_id)
    service_id = Column(String(64), ForeignKey("service.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    name = Column(String(255))
    title = Column(String(255))
    email = Column(String(255))

    service = relationship("Service", back_populates="contacts")


class Phone(Base):
    __tablename__ = "phone"

    id = Column(String(64), primary_key=True, default=new_id)
    service_id = Column(String(64), ForeignKey("service.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    # E.164 ("+448001111") for full numbers; short codes (999, 111, 116123, 85258) as dialled.
    number = Column(String(32), nullable=False)
    kind = Column(String(16), nullable=False, default="call")
    # What to know when using it: "24/7", "choose the mental health option", "text SHOUT".
    note = Column(String(255))
    position = Column(Integer, nullable=False, default=0)

    service = relationship("Service", back_populates="phones")


class Schedule(Base):
    """Opening hours: one row per day and time range, or one row saying open 24/7."""

    __tablename__ = "schedule"

    id = Column(String(64), primary_key=True, default=new_id)
    service_id = Column(String(64), ForeignKey("service.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    byday = Column(String(2))  # MO..SU; null with open_24_7
    opens_at = Column(Time)
    closes_at = Column(Time)  # 00:00 means midnight at the end of the day
    open_24_7 = Column(Boolean, nullable=False, default=False)
    valid_from = Column(Date)
    valid_to = Column(Date)
    closed_bank_holidays = Column(Boolean, nullable=False, default=False)
    description = Column(String(500))
    position = Column(Integer, nullable=False, default=0)

    service = relationship("Service", back_populates="schedules")


class ServiceArea(Base):
    """Where a service is for: national, a borough (Kirklees, Calderdale) or a postcode district."""

    __tablename__ = "service_area"

    id = Column(String(64), primary_key=True, default=new_id)
    service_id = Column(String(64), ForeignKey("service.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    kind = Column(String(16), nullable=False)
    value = Column(String(64), nullable=False)  # "England", "Kirklees", "HX7"

    service = relationship("Service", back_populates="areas")


class Taxonomy(Base):
    __tablename__ = "taxonomy"

    id = Column(String(64), primary_key=True, default=new_id)
    name = Column(String(255), nullable=False)
    description = Column(Text, nullable=False, default="")
    uri = Column(String(500))
    version = Column(String(32))


class TaxonomyTerm(Base):
    __tablename__ = "taxonomy_term"

    id = Column(String(64), primary_key=True, default=new_id)
    taxonomy_id = Column(String(64), ForeignKey("taxonomy.id"), nullable=False)
    parent_id = Column(String(64), ForeignKey("taxonomy_term.id"))
    code = Column(String(64), nullable=False, unique=True)  # "food", "screening_bowel"
    name = Column(String(255), nullable=False)
    description = Column(Text, nullable=False, default="")

    taxonomy = relationship("Taxonomy")
    parent = relationship("TaxonomyTerm", remote_side=[id])


class Attribute(Base):
    """Links a taxonomy term to a service (ORUK: link_type "service")."""

    __tablename__ = "attribute"
    __table_args__ = (UniqueConstraint("service_id", "taxonomy_term_id"),)

    id = Column(String(64), primary_key=True, default=new_id)
    service_id = Column(String(64), ForeignKey("service.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    taxonomy_term_id = Column(String(64), ForeignKey("taxonomy_term.id"), nullable=False,
                              index=True)

    service = relationship("Service", back_populates="attributes")
    term = relationship("TaxonomyTerm", lazy="joined")


class AuditRecord(Base):
    """Who changed what, when: before and after, as JSON."""

    __tablename__ = "audit_record"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor = Column(String(255), nullable=False)
    action = Column(String(32), nullable=False)  # create, update, retire, verify, import, seed
    entity_type = Column(String(32), nullable=False)
    entity_id = Column(String(64), nullable=False, index=True)
    before = Column(JSON)
    after = Column(JSON)
    note = Column(Text)


class DirectoryState(Base):
    """Facts about the directory as a whole, e.g. which seed data it was last loaded from."""

    __tablename__ = "directory_state"

    name = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
