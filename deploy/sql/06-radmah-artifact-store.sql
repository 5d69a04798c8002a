-- The cluster artifact store (RadMah.Engine.Artifacts.PostgresArtifactStore, `--artifact-store postgres`):
-- artifact bytes in PostgreSQL, reachable from every silo and gateway on any machine. Content-
-- addressed: a blob's key is the SHA-256 of its bytes, so equal outputs (reruns) are stored once and
-- no service can overwrite another's. Each chunk carries its own SHA-256, checked on every read, and
-- a whole read is checked against the blob's digest. A blob and all its chunks are written in one
-- transaction, so a reader never sees half of one.

CREATE TABLE IF NOT EXISTS radmah_blobs
(
    content_hash char(71)    NOT NULL CHECK (content_hash ~ '^sha256:[0-9a-f]{64}$'),
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    chunk_size   integer     NOT NULL CHECK (chunk_size > 0),
    chunk_count  integer     NOT NULL CHECK (chunk_count >= 0),
    stored_at    timestamptz NOT NULL,
    CONSTRAINT pk_radmah_blobs PRIMARY KEY (content_hash),
    -- Every chunk but the last is full, so the chunk count follows from size and chunk size.
    CONSTRAINT ck_radmah_blobs_chunks CHECK (chunk_count = (size_bytes + chunk_size - 1) / chunk_size)
);

CREATE TABLE IF NOT EXISTS radmah_blob_chunks
(
    content_hash char(71) NOT NULL,
    chunk_index  integer  NOT NULL CHECK (chunk_index >= 0),
    chunk_sha256 bytea    NOT NULL CHECK (length(chunk_sha256) = 32),
    bytes        bytea    NOT NULL,
    CONSTRAINT pk_radmah_blob_chunks PRIMARY KEY (content_hash, chunk_index),
    CONSTRAINT fk_radmah_blob_chunks_blob FOREIGN KEY (content_hash) REFERENCES radmah_blobs (content_hash) ON DELETE CASCADE
);
-- Chunks are already compressed or random-looking often enough; storing them uncompressed keeps reads cheap.
ALTER TABLE radmah_blob_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
