"""claims.status (copied from the incident) and the dashboard's indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(
            sa.Column(
                "status", sa.String(length=20), server_default="single-source", nullable=False
            )
        )
    # stores written before this revision: copy each claim's incident status in
    op.execute(
        "UPDATE claims SET status = (SELECT incidents.status FROM incidents "
        "WHERE incidents.id = claims.incident_id) WHERE incident_id IS NOT NULL"
    )
    op.create_index("ix_claims_status_date", "claims", ["status", "date"])
    op.create_index(
        "ix_claims_newest",
        "claims",
        [sa.text("date DESC"), "article_id", "evidence_start", "source_side", "actor_side"],
    )
    op.create_index("ix_claims_map", "claims", ["place_id", "actor_side", "status", "date"])
    op.create_index("ix_claims_source", "claims", ["source", "source_side"])
    op.drop_index("ix_claims_incident_id", table_name="claims")
    op.create_index(
        "ix_claims_incident",
        "claims",
        ["incident_id", "polarity", "date", "article_id", "evidence_start"],
    )


def downgrade() -> None:
    op.drop_index("ix_claims_incident", table_name="claims")
    op.create_index("ix_claims_incident_id", "claims", ["incident_id"])
    op.drop_index("ix_claims_source", table_name="claims")
    op.drop_index("ix_claims_map", table_name="claims")
    op.drop_index("ix_claims_newest", table_name="claims")
    op.drop_index("ix_claims_status_date", table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("status")
