"""directory state (the fingerprint of the seed data last loaded)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'directory_state',
        sa.Column('name', sa.String(length=64), primary_key=True),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('directory_state')
