-- The Orleans ADO.NET providers read every SQL statement they run from this table, by key.
-- Each provider script below upserts its rows, so applying the schema again is harmless.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
