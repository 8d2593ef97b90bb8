-- What the URL monitor needs to know about a stored click without re-reading Mimecast's free-text fields:
-- 'allowed' (a user click Mimecast let through: creationMethod "User Click" and action "allow"), 'malicious'
-- (scanResult "malicious") or 'other' (entry scans, warnings, blocks of clean URLs). Detection reads only 'allowed'
-- rows of a normalised URL in the click window, so the index leads with the URL and the disposition.
ALTER TABLE url_clicks ADD COLUMN click_disposition TEXT NOT NULL DEFAULT 'other';
CREATE INDEX ix_url_clicks_disposition_url_clicked_at ON url_clicks (click_disposition, normalized_url, clicked_at);
