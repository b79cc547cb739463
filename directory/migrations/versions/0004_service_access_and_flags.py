"""service access notes and out-of-date contact flag

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 06:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.add_column(sa.Column('contact_flagged', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('access', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('access_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.drop_column('access_note')
        batch.drop_column('access')
        batch.drop_column('contact_flagged')
