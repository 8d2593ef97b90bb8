-- Reported mail taken in by the report mailbox and the mail-flow webhook (issue 10); the message itself is never
-- stored. A row is written when a report is first seen and completed in the same transaction as the SOC alert it
-- raises (alert_id), so a report is posted at most once: a mailbox message whose row has an alert is only finished
-- (reporter reply, mark read / move), never analysed again. source_key is the Graph immutable message id for
-- source 'mailbox' and the report id for source 'webhook'. The reporter reply columns make the reply a small outbox.
CREATE TABLE mail_reports (
    report_id TEXT NOT NULL PRIMARY KEY,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    reporter TEXT NULL,
    subject TEXT NULL,
    verdict TEXT NULL,
    score INTEGER NULL,
    alert_id TEXT NULL,
    received_at BIGINT NOT NULL,
    analysed_at BIGINT NULL,
    acknowledged_at BIGINT NULL,
    replied_at BIGINT NULL,
    reply_attempts INTEGER NOT NULL DEFAULT 0,
    reply_error TEXT NULL,
    filed_at BIGINT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_mail_reports_source_key ON mail_reports (source, source_key);
CREATE INDEX ix_mail_reports_replied_at ON mail_reports (replied_at, analysed_at);
