"""The rules of ingest.measures changed (收入总计, 支出总计 and the 财政拨款 totals are also read
from the narrative's "部门预算收入X万元" where no table prints them; 政府采购 is never the part reserved for small
firms): stored measures are dropped, and
`Store.fill_missing_measures` computes them again from the stored cells and passages when
cross-document questions or the export first need them (seconds for the shared corpus).

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM measures")


def downgrade() -> None:
    op.execute("DELETE FROM measures")  # the older rules compute them again just the same
