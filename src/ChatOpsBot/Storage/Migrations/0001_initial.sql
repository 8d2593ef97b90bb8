-- Shared by every provider: portable SQL only (TEXT, INTEGER, BIGINT; no engine-specific syntax).
-- Times are BIGINT unix milliseconds, UTC. {{identity_primary_key}} is the one dialect token (see README.md).

-- Facts the storage layer keeps about itself (e.g. that the VIP list was seeded from configuration).
CREATE TABLE app_metadata (
    metadata_key TEXT NOT NULL PRIMARY KEY,
    metadata_value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- TTP URL click history. fingerprint identifies a Mimecast record, so an overlapping fetch window never counts a
-- click twice; detection looks clicks up by normalised URL (or registrable domain) within a time window.
CREATE TABLE url_clicks (
    fingerprint TEXT NOT NULL PRIMARY KEY,
    clicked_at BIGINT NOT NULL,
    url TEXT NOT NULL,
    normalized_url TEXT NOT NULL,
    registrable_domain TEXT NULL,
    user_email TEXT NOT NULL,
    sender_email TEXT NULL,
    subject TEXT NULL,
    message_id TEXT NULL,
    action TEXT NULL,
    scan_result TEXT NULL,
    creation_method TEXT NULL,
    route TEXT NULL,
    category TEXT NULL,
    ttp_definition TEXT NULL,
    sending_ip TEXT NULL,
    ingested_at BIGINT NOT NULL
);
CREATE INDEX ix_url_clicks_normalized_url_clicked_at ON url_clicks (normalized_url, clicked_at);
CREATE INDEX ix_url_clicks_registrable_domain_clicked_at ON url_clicks (registrable_domain, clicked_at);
CREATE INDEX ix_url_clicks_clicked_at ON url_clicks (clicked_at);

-- One row per alert, whatever the number of targets. alert_id is stable (derived from what the alert is about),
-- so raising the same alert again finds this row instead of posting twice; repeats of an acknowledged or snoozed
-- alert only bump suppressed_repeats.
CREATE TABLE alerts (
    alert_id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    status TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    acknowledged_by TEXT NULL,
    acknowledged_by_name TEXT NULL,
    acknowledged_at BIGINT NULL,
    snoozed_by TEXT NULL,
    snoozed_by_name TEXT NULL,
    snoozed_at BIGINT NULL,
    snoozed_until BIGINT NULL,
    suppressed_repeats INTEGER NOT NULL DEFAULT 0,
    last_repeat_at BIGINT NULL
);
CREATE INDEX ix_alerts_kind_subject_key ON alerts (kind, subject_key);
CREATE INDEX ix_alerts_status_expires_at ON alerts (status, expires_at);

-- The outbox: one delivery per alert and target (Teams conversation, Slack channel, mail recipient), stored
-- before anything is sent. claimed_by/claim_expires_at is a lease, so several instances never send the same row;
-- send_started_at without sent_at marks a send whose outcome is unknown and must be reconciled, not repeated.
-- remote_message_id is the posted activity or message, needed to update the card in place.
CREATE TABLE alert_deliveries (
    alert_id TEXT NOT NULL,
    target TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT NULL,
    claim_expires_at BIGINT NULL,
    send_started_at BIGINT NULL,
    sent_at BIGINT NULL,
    remote_message_id TEXT NULL,
    last_error TEXT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (alert_id, target),
    FOREIGN KEY (alert_id) REFERENCES alerts (alert_id) ON DELETE CASCADE
);
CREATE INDEX ix_alert_deliveries_status_next_attempt_at ON alert_deliveries (status, next_attempt_at);

-- Where the bot can speak later: the channel's serialised conversation reference plus lookup fields.
CREATE TABLE conversations (
    channel_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url TEXT NOT NULL,
    tenant_id TEXT NULL,
    scope TEXT NOT NULL,
    reference_json TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (channel_id, conversation_id)
);

-- Which conversations receive which alert kinds (the subscribe / unsubscribe command).
CREATE TABLE subscriptions (
    channel_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    alert_kind TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, conversation_id, alert_kind),
    FOREIGN KEY (channel_id, conversation_id) REFERENCES conversations (channel_id, conversation_id) ON DELETE CASCADE
);
CREATE INDEX ix_subscriptions_alert_kind ON subscriptions (alert_kind);

-- The VIP list. email_key is the address trimmed, NFC-normalised and lower-cased, so look-ups are
-- case-insensitive on every engine without collation tricks; email keeps the spelling it was added with.
CREATE TABLE vips (
    email_key TEXT NOT NULL PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL
);

-- Append-only audit trail. The database assigns audit_id, which breaks ties between entries of the same millisecond.
CREATE TABLE audit_log (
    audit_id {{identity_primary_key}},
    occurred_at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NULL,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    command TEXT NOT NULL,
    arguments TEXT NOT NULL,
    outcome TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    correlation_id TEXT NOT NULL
);
CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at, audit_id);

-- Reputation answers (VirusTotal and the like); an expired row is a miss and is purged by maintenance.
CREATE TABLE reputation_cache (
    cache_key TEXT NOT NULL PRIMARY KEY,
    cache_value TEXT NOT NULL,
    stored_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ix_reputation_cache_expires_at ON reputation_cache (expires_at);

-- Where each scheduled job got to (an opaque checkpoint such as the last ingested click time) and how its last
-- run went, for `monitor status`. revision supports optimistic updates when several instances share the database.
CREATE TABLE job_checkpoints (
    job_name TEXT NOT NULL PRIMARY KEY,
    checkpoint_value TEXT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    last_run_started_at BIGINT NULL,
    last_run_finished_at BIGINT NULL,
    last_run_outcome TEXT NULL,
    last_error TEXT NULL,
    records_ingested BIGINT NOT NULL DEFAULT 0,
    alerts_raised BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- Inbound delivery ids (Bot Framework activity ids, Slack event ids, threat-feed fingerprints) seen recently, so a
-- retried delivery is processed once even when it reaches another instance.
CREATE TABLE inbound_deliveries (
    source TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (source, delivery_id)
);
CREATE INDEX ix_inbound_deliveries_expires_at ON inbound_deliveries (expires_at);
