"""Tables record whether their stated unit was contradicted by their figures
(ingest.stated_units): `unit_note` says why the stored unit is not the printed one, or why it
is doubtful, and `unit_doubtful` ("1") marks a table answers should abstain from. Documents
stored before are read again, since the ingest version changed with this revision.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tables", sa.Column("unit_note", sa.Text, nullable=False,
                                      server_default=sa.text("''")))
    op.add_column("tables", sa.Column("unit_doubtful", sa.String(1), nullable=False,
                                      server_default=sa.text("''")))


def downgrade() -> None:
    with op.batch_alter_table("tables") as batch:
        batch.drop_column("unit_doubtful")
        batch.drop_column("unit_note")
