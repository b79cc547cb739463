"""sms channel tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 07:50:39.518643
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sms_message_status',
    sa.Column('message_sid', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('error_code', sa.String(length=16), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('message_sid')
    )
    op.create_table('sms_opt_out',
    sa.Column('sender_key', sa.String(length=64), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sender_key')
    )


def downgrade() -> None:
    op.drop_table('sms_opt_out')
    op.drop_table('sms_message_status')
