-- The platform's system of record in SQLite (RadMah.Grains.Records.SqlitePlatformRecords), for a
-- single node's file under --data: the same tables, keys and rules as deploy/sql/05-radmah-platform.sql
-- in PostgreSQL, so the file itself refuses a second debit or a second seal. Amounts are integer
-- micro-credits (credits are exact to 6 decimals) and instants integer UTC ticks (exact round trips).
-- Safe to run again: every object is created only when missing.

CREATE TABLE IF NOT EXISTS radmah_accounts
(
    service_id   TEXT    NOT NULL,
    account_id   TEXT    NOT NULL CONSTRAINT ck_radmah_accounts_id CHECK (length(account_id) BETWEEN 1 AND 64 AND account_id NOT GLOB '*[^a-z0-9_]*'),
    plan         TEXT    NOT NULL CONSTRAINT ck_radmah_accounts_plan CHECK (plan IN ('free', 'pro', 'enterprise')),
    test_account INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    CONSTRAINT pk_radmah_accounts PRIMARY KEY (service_id, account_id)
);

CREATE TABLE IF NOT EXISTS radmah_api_keys
(
    service_id TEXT    NOT NULL,
    key_hash   TEXT    NOT NULL CONSTRAINT ck_radmah_api_keys_hash CHECK (length(key_hash) = 64 AND key_hash NOT GLOB '*[^0-9a-f]*'),
    account_id TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NULL CONSTRAINT ck_radmah_api_keys_revoked CHECK (revoked_at IS NULL OR revoked_at >= created_at),
    CONSTRAINT pk_radmah_api_keys PRIMARY KEY (service_id, key_hash),
    CONSTRAINT fk_radmah_api_keys_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id)
);
CREATE INDEX IF NOT EXISTS ix_radmah_api_keys_account ON radmah_api_keys (service_id, account_id);

CREATE TABLE IF NOT EXISTS radmah_ledger_entries
(
    service_id TEXT    NOT NULL,
    account_id TEXT    NOT NULL,
    sequence   INTEGER NOT NULL CONSTRAINT ck_radmah_ledger_sequence CHECK (sequence > 0),
    entry_kind TEXT    NOT NULL CONSTRAINT ck_radmah_ledger_kind CHECK (entry_kind IN ('deposit', 'hold', 'debit', 'release')),
    amount     INTEGER NOT NULL CONSTRAINT ck_radmah_ledger_amount CHECK (amount >= 0),
    job_id     TEXT    NULL,
    reason     TEXT    NOT NULL,
    at_utc     INTEGER NOT NULL,
    CONSTRAINT ck_radmah_ledger_job CHECK ((entry_kind = 'deposit') = (job_id IS NULL)),
    CONSTRAINT ck_radmah_ledger_deposit_positive CHECK (entry_kind <> 'deposit' OR amount > 0),
    CONSTRAINT pk_radmah_ledger_entries PRIMARY KEY (service_id, account_id, sequence)
);
-- A hold is settled once: captured as one debit or released, never both.
CREATE UNIQUE INDEX IF NOT EXISTS ux_radmah_ledger_one_settlement
    ON radmah_ledger_entries (service_id, job_id) WHERE entry_kind IN ('debit', 'release');
-- At most one entry of each kind per job (deposits have no job, and NULLs never collide). Created
-- after the index above because SQLite checks the newest index first, so that, as in PostgreSQL,
-- this rule is the one named when a second debit breaks both.
CREATE UNIQUE INDEX IF NOT EXISTS ux_radmah_ledger_one_per_job_and_kind
    ON radmah_ledger_entries (service_id, job_id, entry_kind);
-- What a debit or release settles: the job's hold in the same account, of the same amount.
CREATE TRIGGER IF NOT EXISTS fk_radmah_ledger_settles_hold BEFORE INSERT ON radmah_ledger_entries
WHEN NEW.entry_kind IN ('debit', 'release') AND NOT EXISTS (
    SELECT 1 FROM radmah_ledger_entries h
    WHERE h.service_id = NEW.service_id AND h.account_id = NEW.account_id AND h.job_id = NEW.job_id AND h.entry_kind = 'hold' AND h.amount = NEW.amount)
BEGIN
    SELECT RAISE(ABORT, 'fk_radmah_ledger_settles_hold');
END;

CREATE TABLE IF NOT EXISTS radmah_seals
(
    service_id      TEXT    NOT NULL,
    seal_index      INTEGER NOT NULL CONSTRAINT ck_radmah_seals_index CHECK (seal_index >= 0),
    job_id          TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    contract_digest TEXT    NOT NULL CONSTRAINT ck_radmah_seals_contract CHECK (length(contract_digest) = 71 AND substr(contract_digest, 1, 7) = 'sha256:' AND substr(contract_digest, 8) NOT GLOB '*[^0-9a-f]*'),
    seed            INTEGER NOT NULL,
    artifacts       TEXT    NOT NULL CONSTRAINT ck_radmah_seals_artifacts CHECK (json_type(artifacts) = 'array'),
    sealed_at       INTEGER NOT NULL,
    evidence_digest TEXT    NOT NULL CONSTRAINT ck_radmah_seals_evidence CHECK (length(evidence_digest) = 71 AND substr(evidence_digest, 1, 7) = 'sha256:' AND substr(evidence_digest, 8) NOT GLOB '*[^0-9a-f]*'),
    entry           BLOB    NOT NULL,
    leaf_hash       BLOB    NOT NULL CONSTRAINT ck_radmah_seals_leaf CHECK (length(leaf_hash) = 32),
    CONSTRAINT pk_radmah_seals PRIMARY KEY (service_id, seal_index),
    CONSTRAINT ux_radmah_seals_job UNIQUE (service_id, job_id)
);

CREATE TABLE IF NOT EXISTS radmah_seal_checkpoints
(
    service_id  TEXT    NOT NULL,
    tree_size   INTEGER NOT NULL CONSTRAINT ck_radmah_checkpoints_size CHECK (tree_size >= 0),
    root_hash   BLOB    NOT NULL CONSTRAINT ck_radmah_checkpoints_root CHECK (length(root_hash) = 32),
    signed_note TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    CONSTRAINT pk_radmah_seal_checkpoints PRIMARY KEY (service_id, tree_size)
);

CREATE TABLE IF NOT EXISTS radmah_signing_keys
(
    service_id TEXT    NOT NULL,
    key_id     TEXT    NOT NULL CONSTRAINT ck_radmah_signing_keys_id CHECK (length(key_id) = 71 AND substr(key_id, 1, 7) = 'sha256:'),
    algorithm  TEXT    NOT NULL,
    public_key TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT pk_radmah_signing_keys PRIMARY KEY (service_id, key_id)
);

CREATE TABLE IF NOT EXISTS radmah_artifacts
(
    service_id    TEXT    NOT NULL,
    artifact_id   TEXT    NOT NULL,
    job_id        TEXT    NOT NULL,
    account_id    TEXT    NOT NULL,
    artifact_type TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL CONSTRAINT ck_radmah_artifacts_hash CHECK (length(content_hash) = 71 AND substr(content_hash, 1, 7) = 'sha256:' AND substr(content_hash, 8) NOT GLOB '*[^0-9a-f]*'),
    size_bytes    INTEGER NOT NULL CONSTRAINT ck_radmah_artifacts_size CHECK (size_bytes >= 0),
    media_type    TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    CONSTRAINT pk_radmah_artifacts PRIMARY KEY (service_id, artifact_id),
    CONSTRAINT ux_radmah_artifacts_job_name UNIQUE (service_id, job_id, name),
    CONSTRAINT fk_radmah_artifacts_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id)
);

CREATE TABLE IF NOT EXISTS radmah_datasets
(
    service_id   TEXT    NOT NULL,
    dataset_id   TEXT    NOT NULL CONSTRAINT ck_radmah_datasets_id CHECK (length(dataset_id) = 23 AND substr(dataset_id, 1, 3) = 'ds_' AND substr(dataset_id, 4) NOT GLOB '*[^a-z2-7]*'),
    account_id   TEXT    NOT NULL,
    name         TEXT    NOT NULL CONSTRAINT ck_radmah_datasets_name CHECK (length(name) > 0),
    format       TEXT    NOT NULL CONSTRAINT ck_radmah_datasets_format CHECK (format IN ('csv', 'tsv', 'parquet', 'arrow', 'jsonl', 'json', 'arff')),
    content_hash TEXT    NOT NULL CONSTRAINT ck_radmah_datasets_hash CHECK (length(content_hash) = 71 AND substr(content_hash, 1, 7) = 'sha256:'),
    size_bytes   INTEGER NOT NULL CONSTRAINT ck_radmah_datasets_size CHECK (size_bytes > 0),
    artifact_id  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    CONSTRAINT pk_radmah_datasets PRIMARY KEY (service_id, dataset_id),
    CONSTRAINT fk_radmah_datasets_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id),
    CONSTRAINT fk_radmah_datasets_artifact FOREIGN KEY (service_id, artifact_id) REFERENCES radmah_artifacts (service_id, artifact_id)
);
CREATE INDEX IF NOT EXISTS ix_radmah_datasets_account ON radmah_datasets (service_id, account_id, created_at DESC);

CREATE TABLE IF NOT EXISTS radmah_idempotency_keys
(
    service_id  TEXT    NOT NULL,
    account_id  TEXT    NOT NULL,
    idem_key    TEXT    NOT NULL CONSTRAINT ck_radmah_idempotency_key CHECK (length(idem_key) BETWEEN 1 AND 255 AND idem_key NOT GLOB '*[^!-~]*'),
    fingerprint TEXT    NOT NULL CONSTRAINT ck_radmah_idempotency_fingerprint CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
    job_id      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    CONSTRAINT pk_radmah_idempotency_keys PRIMARY KEY (service_id, account_id, idem_key),
    CONSTRAINT fk_radmah_idempotency_keys_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id)
);
CREATE INDEX IF NOT EXISTS ix_radmah_idempotency_keys_age ON radmah_idempotency_keys (service_id, account_id, created_at);

-- Orleans grain state (RadMah.Grains.Storage.SqliteGrainStorage): one row per grain and state
-- name, its serialized state and a version that is the ETag; a write names the version it read.
CREATE TABLE IF NOT EXISTS radmah_grain_state
(
    service_id TEXT    NOT NULL,
    state_name TEXT    NOT NULL,
    grain_id   TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    payload    BLOB    NOT NULL,
    CONSTRAINT pk_radmah_grain_state PRIMARY KEY (service_id, state_name, grain_id)
);

-- Orleans reminders (RadMah.Grains.Storage.SqliteReminderTable), as Orleans' ADO.NET reminder table keeps them.
CREATE TABLE IF NOT EXISTS radmah_reminders
(
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    start_ticks   INTEGER NOT NULL,
    period_ms     INTEGER NOT NULL,
    grain_hash    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    CONSTRAINT pk_radmah_reminders PRIMARY KEY (service_id, grain_id, reminder_name)
);
CREATE INDEX IF NOT EXISTS ix_radmah_reminders_hash ON radmah_reminders (service_id, grain_hash);

-- Artifacts up to 256 KiB, by content digest (Grains/Storage/SqliteArtifactStore): committed with the
-- records that name them, and cheaper than a file each (a tiny job's outputs would be four new files).
-- Larger artifacts are files under DATA/artifacts.
CREATE TABLE IF NOT EXISTS radmah_blobs
(
    content_hash TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    CONSTRAINT pk_radmah_blobs PRIMARY KEY (content_hash)
);

-- Each queue tier's line, a row per job (see deploy/sql/05-radmah-platform.sql).
CREATE TABLE IF NOT EXISTS radmah_queue_lines
(
    service_id TEXT    NOT NULL,
    tier       TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    CONSTRAINT pk_radmah_queue_lines PRIMARY KEY (service_id, tier)
);
CREATE TABLE IF NOT EXISTS radmah_queue_entries
(
    service_id TEXT    NOT NULL,
    tier       TEXT    NOT NULL,
    job_id     TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    silo       TEXT    NULL,
    CONSTRAINT pk_radmah_queue_entries PRIMARY KEY (service_id, tier, job_id)
);
