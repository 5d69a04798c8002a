-- Training checkpoints (RadMah.Artifacts.PostgresCheckpointStore): the latest state of a running
-- neural training, one row per job, overwritten every few epochs and deleted when the training ends.
-- A silo that resumes a job whose silo died reads it here, on any machine.

CREATE TABLE IF NOT EXISTS radmah_checkpoints
(
    checkpoint_key text        NOT NULL CHECK (length(checkpoint_key) BETWEEN 1 AND 200),
    size_bytes     bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256         bytea       NOT NULL CHECK (length(sha256) = 32),
    bytes          bytea       NOT NULL,
    saved_at       timestamptz NOT NULL,
    CONSTRAINT pk_radmah_checkpoints PRIMARY KEY (checkpoint_key)
);
ALTER TABLE radmah_checkpoints ALTER COLUMN bytes SET STORAGE EXTERNAL;
