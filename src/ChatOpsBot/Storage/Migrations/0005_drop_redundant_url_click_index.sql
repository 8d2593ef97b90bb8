-- Every look-up of url_clicks by normalised URL also filters on click_disposition, which 0002's index
-- (click_disposition, normalized_url, clicked_at) serves; 0001's (normalized_url, clicked_at) is no longer chosen by
-- any query, yet every stored click paid for keeping it up to date (one of five index insertions per row; the URL
-- monitor stores tens of thousands of clicks per run). Portable: DROP INDEX by name works on SQLite and PostgreSQL.
DROP INDEX IF EXISTS ix_url_clicks_normalized_url_clicked_at;
