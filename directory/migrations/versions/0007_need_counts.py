"""need counts: anonymous aggregates of what residents needed (no sender, text or time of day)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'need_count',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('need', sa.String(length=64), nullable=False),
        sa.Column('area', sa.String(length=64), nullable=False),
        sa.Column('borough', sa.String(length=32), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('offered', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'topic', 'need', 'area', 'borough', 'channel', 'outcome',
                                'offered', name='pk_need_count'),
    )


def downgrade() -> None:
    op.drop_table('need_count')
