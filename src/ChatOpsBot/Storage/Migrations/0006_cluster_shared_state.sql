-- State that lived in one process's memory and must be shared by every instance of a scale-out deployment.
-- Portable SQL only (TEXT, INTEGER, BIGINT); times are BIGINT unix milliseconds, UTC.

-- Confirmations waiting for their requester's Confirm or Cancel press. token_hash is the SHA-256 (hex) of the
-- single-use token on the card, never the token itself: a read of this table cannot be replayed as a button press.
-- The press that deletes the row runs the action, so the database enforces single use across instances. actor_key
-- is actor_id upper-cased invariantly (the per-requester limit compares ids case-insensitively, the same on every engine).
CREATE TABLE pending_confirmations (
    token_hash TEXT NOT NULL PRIMARY KEY,
    command_name TEXT NOT NULL,
    arguments_json TEXT NOT NULL,
    content_keys_json TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ix_pending_confirmations_expires_at ON pending_confirmations (expires_at);
CREATE INDEX ix_pending_confirmations_actor_key ON pending_confirmations (actor_key);

-- The VirusTotal request budget shared by every instance: one row per request slot granted (slot_at may lie in the
-- near future: a caller reserved it and waits for it). The per-minute rule counts rows in the rolling minute, the
-- daily quota counts rows of the UTC day; rows older than a day are purged.
CREATE TABLE virustotal_slots (
    slot_id {{identity_primary_key}},
    slot_at BIGINT NOT NULL
);
CREATE INDEX ix_virustotal_slots_slot_at ON virustotal_slots (slot_at);

-- After VirusTotal answers 429 every instance pauses until paused_until. One row, budget_key 'quota'.
CREATE TABLE virustotal_pause (
    budget_key TEXT NOT NULL PRIMARY KEY,
    paused_until BIGINT NOT NULL
);
