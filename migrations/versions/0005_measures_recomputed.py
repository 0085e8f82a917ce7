"""The rules of ingest.measures changed (会议费 and 培训费 are also read from the 基本支出
经济分类 table where no 三公 table prints them): stored measures are dropped, and
`Store.fill_missing_measures` computes them again from the stored cells and passages when
cross-document questions or the export first need them (seconds for the shared corpus).

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM measures")


def downgrade() -> None:
    op.execute("DELETE FROM measures")  # the older rules compute them again just the same
