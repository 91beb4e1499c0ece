"""create satudata_search_index

Revision ID: 5a7d2c1e9b01
Revises:
Create Date: 2026-11-28 00:00:00

"""
from alembic import op

revision = "5a7d2c1e9b01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE TABLE IF NOT EXISTS satudata_search_index (
            index_id text PRIMARY KEY,
            site_id text NOT NULL,
            id text NOT NULL,
            name text,
            entity_type text,
            doc jsonb NOT NULL DEFAULT '{}',
            fields jsonb NOT NULL DEFAULT '{}',
            data_dict text,
            validated_data_dict text,
            search_vector tsvector NOT NULL DEFAULT CAST('' AS tsvector),
            indexed_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("CREATE INDEX IF NOT EXISTS satudata_search_index_fields_idx "
               "ON satudata_search_index USING gin (fields)")
    op.execute("CREATE INDEX IF NOT EXISTS satudata_search_index_vector_idx "
               "ON satudata_search_index USING gin (search_vector)")
    op.execute("CREATE INDEX IF NOT EXISTS satudata_search_index_site_id_idx "
               "ON satudata_search_index (site_id, id)")
    op.execute("CREATE INDEX IF NOT EXISTS satudata_search_index_name_idx "
               "ON satudata_search_index (name)")


def downgrade():
    op.execute("DROP TABLE IF EXISTS satudata_search_index")
