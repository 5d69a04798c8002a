-- Grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.2. One row per (service, grain type,
-- grain id); Version is the ETag. A write naming a stale version, or inserting a row that already
-- exists, changes nothing and returns the version it was given, which Orleans reports as an
-- inconsistent-state error.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    PayloadXml             xml          NULL,
    PayloadJson            text         NULL,
    ModifiedOn             timestamp    NOT NULL,
    Version                integer      NULL
);

-- The identity of a grain's state, NULL extension included, at most once.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Identity ON OrleansStorage
    (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, coalesce(GrainIdExtensionString, ''));

-- Orleans 10 serializes state to bytes (PayloadBinary); the JSON and XML columns stay empty.
DROP FUNCTION IF EXISTS radmah_storage_write(integer, bigint, bigint, integer, text, text, text, integer, bytea, text, xml);
CREATE OR REPLACE FUNCTION radmah_storage_write(
    p_id_hash integer, p_n0 bigint, p_n1 bigint, p_type_hash integer, p_type text, p_extension text,
    p_service text, p_version integer, p_binary bytea)
RETURNS TABLE(NewGrainStateVersion integer) LANGUAGE plpgsql AS $$
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
             ServiceId, PayloadBinary, PayloadJson, PayloadXml, ModifiedOn, Version)
        VALUES
            (p_id_hash, p_n0, p_n1, p_type_hash, p_type, p_extension, p_service, p_binary, NULL, NULL,
             now() at time zone 'utc', 1)
        ON CONFLICT DO NOTHING;
        RETURN QUERY SELECT CASE WHEN FOUND THEN 1 ELSE NULL::integer END;
    ELSE
        UPDATE OrleansStorage
           SET PayloadBinary = p_binary,
               ModifiedOn = now() at time zone 'utc', Version = Version + 1
         WHERE ServiceId = p_service AND GrainTypeHash = p_type_hash AND GrainIdHash = p_id_hash
           AND GrainIdN0 = p_n0 AND GrainIdN1 = p_n1 AND GrainTypeString = p_type
           AND coalesce(GrainIdExtensionString, '') = coalesce(p_extension, '')
           AND Version = p_version;
        RETURN QUERY SELECT CASE WHEN FOUND THEN p_version + 1 ELSE p_version END;
    END IF;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
    SELECT * FROM radmah_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);'),
('ReadFromStorageKey', '
    SELECT PayloadBinary, PayloadXml, PayloadJson, (now() at time zone ''utc''), Version
      FROM OrleansStorage
     WHERE ServiceId = @ServiceId AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
       AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
       AND coalesce(GrainIdExtensionString, '''') = coalesce(@GrainIdExtensionString, '''');'),
('ClearStorageKey', '
    UPDATE OrleansStorage
       SET PayloadBinary = NULL, PayloadJson = NULL, PayloadXml = NULL, Version = Version + 1
     WHERE ServiceId = @ServiceId AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
       AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
       AND coalesce(GrainIdExtensionString, '''') = coalesce(@GrainIdExtensionString, '''')
       AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;'),
('DeleteStorageKey', '
    DELETE FROM OrleansStorage
     WHERE ServiceId = @ServiceId AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
       AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
       AND coalesce(GrainIdExtensionString, '''') = coalesce(@GrainIdExtensionString, '''')
       AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
