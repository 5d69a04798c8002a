-- The platform's own system of record (RadMah.Grains.Records.PostgresPlatformRecords): accounts and
-- API key hashes, the credit ledger, the seal registry and artifact metadata. Every table is
-- partitioned by service id, like Orleans' own tables, so several clusters can share one database.
-- The constraints carry the platform's exactly-once promises, so that no bug, retry or duplicate
-- activation can break them: the database itself refuses a second debit or a second seal.

CREATE TABLE IF NOT EXISTS radmah_accounts
(
    service_id   varchar(150) NOT NULL,
    account_id   varchar(64)  NOT NULL CHECK (account_id ~ '^[a-z0-9_]{1,64}$'),
    plan         varchar(16)  NOT NULL CHECK (plan IN ('free', 'pro', 'enterprise')),
    test_account boolean      NOT NULL,
    created_at   timestamptz  NOT NULL,
    CONSTRAINT pk_radmah_accounts PRIMARY KEY (service_id, account_id)
);

-- Only the SHA-256 of a key is ever stored; the key is shown once, at creation.
CREATE TABLE IF NOT EXISTS radmah_api_keys
(
    service_id varchar(150) NOT NULL,
    key_hash   char(64)     NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    account_id varchar(64)  NOT NULL,
    created_at timestamptz  NOT NULL,
    revoked_at timestamptz  NULL CHECK (revoked_at IS NULL OR revoked_at >= created_at),
    CONSTRAINT pk_radmah_api_keys PRIMARY KEY (service_id, key_hash),
    CONSTRAINT fk_radmah_api_keys_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id)
);
CREATE INDEX IF NOT EXISTS ix_radmah_api_keys_account ON radmah_api_keys (service_id, account_id);

-- One account's append-only credit ledger. Deposits move the balance up, debits down; holds and
-- releases move the held amount. The ledger grain of the account is its only writer and numbers
-- the entries; a second writer (a duplicate activation) collides on the sequence.
CREATE TABLE IF NOT EXISTS radmah_ledger_entries
(
    service_id varchar(150)   NOT NULL,
    account_id varchar(64)    NOT NULL,
    sequence   bigint         NOT NULL CHECK (sequence > 0),
    entry_kind varchar(8)     NOT NULL CHECK (entry_kind IN ('deposit', 'hold', 'debit', 'release')),
    amount     numeric(28, 6) NOT NULL CHECK (amount >= 0),
    job_id     varchar(64)    NULL,
    reason     text           NOT NULL,
    at_utc     timestamptz    NOT NULL,
    -- Deposits belong to no job; every other entry belongs to exactly one.
    CONSTRAINT ck_radmah_ledger_job CHECK ((entry_kind = 'deposit') = (job_id IS NULL)),
    CONSTRAINT ck_radmah_ledger_deposit_positive CHECK (entry_kind <> 'deposit' OR amount > 0),
    -- What a debit or release settles: the job's hold, of the same amount (checked by the foreign key below).
    settles    varchar(8) GENERATED ALWAYS AS (CASE WHEN entry_kind IN ('debit', 'release') THEN 'hold' END) STORED,
    CONSTRAINT pk_radmah_ledger_entries PRIMARY KEY (service_id, account_id, sequence),
    -- At most one entry of each kind per job: one hold, and never a second debit. (Deposits have
    -- no job, and NULLs never collide.) Declared before the next key so that PostgreSQL, which
    -- checks unique indexes in creation order, names this rule when both are broken.
    CONSTRAINT ux_radmah_ledger_one_per_job_and_kind UNIQUE (service_id, job_id, entry_kind),
    -- Implied by the rule above; it exists as the target of fk_radmah_ledger_settles_hold.
    CONSTRAINT ux_radmah_ledger_job_amount UNIQUE (service_id, account_id, job_id, entry_kind, amount)
);
-- A hold is settled once: captured as one debit or released, never both.
CREATE UNIQUE INDEX IF NOT EXISTS ux_radmah_ledger_one_settlement
    ON radmah_ledger_entries (service_id, job_id) WHERE entry_kind IN ('debit', 'release');
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_radmah_ledger_settles_hold') THEN
        ALTER TABLE radmah_ledger_entries ADD CONSTRAINT fk_radmah_ledger_settles_hold
            FOREIGN KEY (service_id, account_id, job_id, settles, amount)
            REFERENCES radmah_ledger_entries (service_id, account_id, job_id, entry_kind, amount);
    END IF;
END $$;

-- The seal registry: one seal per succeeded job, numbered densely from 0 in append order. The
-- registry grain is its single writer; the primary key stops a fork, the unique key a double seal.
CREATE TABLE IF NOT EXISTS radmah_seals
(
    service_id      varchar(150) NOT NULL,
    seal_index      bigint       NOT NULL CHECK (seal_index >= 0),
    job_id          varchar(64)  NOT NULL,
    kind            varchar(32)  NOT NULL,
    contract_digest char(71)     NOT NULL CHECK (contract_digest ~ '^sha256:[0-9a-f]{64}$'),
    seed            bigint       NOT NULL,
    artifacts       jsonb        NOT NULL CHECK (jsonb_typeof(artifacts) = 'array'),
    sealed_at       timestamptz  NOT NULL,
    -- The job's signed evidence bundle (an artifact of the job).
    evidence_digest char(71)     NOT NULL CHECK (evidence_digest ~ '^sha256:[0-9a-f]{64}$'),
    -- The log leaf: the exact entry bytes (canonical JSON) and SHA-256(0x00 ‖ entry), kept as written.
    entry           bytea        NOT NULL,
    leaf_hash       bytea        NOT NULL CHECK (length(leaf_hash) = 32),
    CONSTRAINT pk_radmah_seals PRIMARY KEY (service_id, seal_index),
    CONSTRAINT ux_radmah_seals_job UNIQUE (service_id, job_id)
);

-- Signed checkpoints of the seal log (signed notes), one per tree size that was ever published.
-- A registry that recomputes a different root for a published size has forked, and says so.
CREATE TABLE IF NOT EXISTS radmah_seal_checkpoints
(
    service_id  varchar(150) NOT NULL,
    tree_size   bigint       NOT NULL CHECK (tree_size >= 0),
    root_hash   bytea        NOT NULL CHECK (length(root_hash) = 32),
    signed_note text         NOT NULL,
    created_at  timestamptz  NOT NULL,
    CONSTRAINT pk_radmah_seal_checkpoints PRIMARY KEY (service_id, tree_size)
);

-- Every public key that ever signed a bundle or checkpoint; rotating the key adds a row, so old
-- bundles stay verifiable. Private keys never enter the database.
CREATE TABLE IF NOT EXISTS radmah_signing_keys
(
    service_id varchar(150) NOT NULL,
    key_id     char(71)     NOT NULL CHECK (key_id ~ '^sha256:[0-9a-f]{64}$'),
    algorithm  varchar(32)  NOT NULL,
    public_key text         NOT NULL,
    created_at timestamptz  NOT NULL,
    CONSTRAINT pk_radmah_signing_keys PRIMARY KEY (service_id, key_id)
);

-- Artifact metadata; the bytes live in the artifact store under content_hash.
CREATE TABLE IF NOT EXISTS radmah_artifacts
(
    service_id    varchar(150) NOT NULL,
    artifact_id   varchar(160) NOT NULL,
    job_id        varchar(64)  NOT NULL,
    account_id    varchar(64)  NOT NULL,
    artifact_type varchar(64)  NOT NULL,
    content_hash  char(71)     NOT NULL CHECK (content_hash ~ '^sha256:[0-9a-f]{64}$'),
    size_bytes    bigint       NOT NULL CHECK (size_bytes >= 0),
    media_type    varchar(128) NOT NULL,
    name          varchar(255) NOT NULL,
    created_at    timestamptz  NOT NULL,
    CONSTRAINT pk_radmah_artifacts PRIMARY KEY (service_id, artifact_id),
    CONSTRAINT ux_radmah_artifacts_job_name UNIQUE (service_id, job_id, name),
    CONSTRAINT fk_radmah_artifacts_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id)
);

-- Uploaded datasets. Each is also an artifact of the account (its job_id column holds the dataset
-- id), registered in the same transaction, so a dataset never exists without its bytes' record.
CREATE TABLE IF NOT EXISTS radmah_datasets
(
    service_id   varchar(150) NOT NULL,
    dataset_id   varchar(64)  NOT NULL CHECK (dataset_id ~ '^ds_[a-z2-7]{20}$'),
    account_id   varchar(64)  NOT NULL,
    name         varchar(255) NOT NULL CHECK (length(name) > 0),
    format       varchar(16)  NOT NULL CONSTRAINT ck_radmah_datasets_format CHECK (format IN ('csv', 'tsv', 'parquet', 'arrow', 'jsonl', 'json', 'arff')),
    content_hash char(71)     NOT NULL CHECK (content_hash ~ '^sha256:[0-9a-f]{64}$'),
    size_bytes   bigint       NOT NULL CHECK (size_bytes > 0),
    artifact_id  varchar(160) NOT NULL,
    created_at   timestamptz  NOT NULL,
    CONSTRAINT pk_radmah_datasets PRIMARY KEY (service_id, dataset_id),
    CONSTRAINT fk_radmah_datasets_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id),
    CONSTRAINT fk_radmah_datasets_artifact FOREIGN KEY (service_id, artifact_id) REFERENCES radmah_artifacts (service_id, artifact_id)
);
CREATE INDEX IF NOT EXISTS ix_radmah_datasets_account ON radmah_datasets (service_id, account_id, created_at DESC);
-- A database made before ARFF was read has the format check under PostgreSQL's default name, without 'arff';
-- one made before JSON arrays were recorded has it under ours, without 'json'. Either gets today's check.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'radmah_datasets_format_check' AND conrelid = 'radmah_datasets'::regclass) THEN
        ALTER TABLE radmah_datasets DROP CONSTRAINT radmah_datasets_format_check;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ck_radmah_datasets_format'
               AND conrelid = 'radmah_datasets'::regclass AND pg_get_constraintdef(oid) NOT LIKE '%''json''%') THEN
        ALTER TABLE radmah_datasets DROP CONSTRAINT ck_radmah_datasets_format;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ck_radmah_datasets_format' AND conrelid = 'radmah_datasets'::regclass) THEN
        ALTER TABLE radmah_datasets ADD CONSTRAINT ck_radmah_datasets_format
            CHECK (format IN ('csv', 'tsv', 'parquet', 'arrow', 'jsonl', 'json', 'arff'));
    END IF;
END $$;

-- Idempotency keys of job creation: a key an account sent with a create, the SHA-256 of that
-- request and the job it created. The primary key makes a key name at most one job; a claim older
-- than 24 h may be taken over, and the account's grain deletes those it finds.
CREATE TABLE IF NOT EXISTS radmah_idempotency_keys
(
    service_id  varchar(150) NOT NULL,
    account_id  varchar(64)  NOT NULL,
    idem_key    varchar(255) NOT NULL CHECK (idem_key ~ '^[!-~]{1,255}$'),
    fingerprint char(64)     NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    job_id      varchar(64)  NOT NULL,
    created_at  timestamptz  NOT NULL,
    CONSTRAINT pk_radmah_idempotency_keys PRIMARY KEY (service_id, account_id, idem_key),
    CONSTRAINT fk_radmah_idempotency_keys_account FOREIGN KEY (service_id, account_id) REFERENCES radmah_accounts (service_id, account_id)
);
CREATE INDEX IF NOT EXISTS ix_radmah_idempotency_keys_age ON radmah_idempotency_keys (service_id, account_id, created_at);

-- Each queue tier's line (Grains/Queues/JobQueueGrain): a row per job, waiting (silo NULL, in
-- position order) or holding a slot on a silo. The queue writes only the rows that changed, so a long
-- line costs no more per job than a short one. The version row makes a second activation of a queue
-- (right after a silo died) fail its write rather than overwrite the first one's line.
CREATE TABLE IF NOT EXISTS radmah_queue_lines
(
    service_id varchar(150) NOT NULL,
    tier       varchar(64)  NOT NULL,
    version    bigint       NOT NULL CHECK (version > 0),
    CONSTRAINT pk_radmah_queue_lines PRIMARY KEY (service_id, tier)
);
CREATE TABLE IF NOT EXISTS radmah_queue_entries
(
    service_id varchar(150) NOT NULL,
    tier       varchar(64)  NOT NULL,
    job_id     varchar(64)  NOT NULL,
    position   bigint       NOT NULL,
    silo       varchar(256) NULL,
    CONSTRAINT pk_radmah_queue_entries PRIMARY KEY (service_id, tier, job_id)
);
