-- The quota table the quota-change operation updates, with the accounts of the example batch.
-- Run by verops (never by the agent) when the target database is prepared; safe to run again.
CREATE TABLE IF NOT EXISTS quotas (
  account        TEXT PRIMARY KEY,
  quota          TEXT NOT NULL,
  effective_date TEXT NOT NULL,
  updated_at     TEXT
);
INSERT OR IGNORE INTO quotas (account, quota, effective_date, updated_at) VALUES
  ('acme-eu',      '500.00 EUR',   '2026-01-01', '2026-01-01T00:00:00Z'),
  ('acme-us',      '1000.00 USD',  '2026-01-01', '2026-01-01T00:00:00Z'),
  ('globex',       '250.00 USD',   '2026-01-01', '2026-01-01T00:00:00Z'),
  ('initech',      '75.00 GBP',    '2026-01-01', '2026-01-01T00:00:00Z'),
  ('umbrella.jp',  '100000 JPY',   '2026-01-01', '2026-01-01T00:00:00Z'),
  ('hooli',        '5000.00 USD',  '2026-01-01', '2026-01-01T00:00:00Z'),
  ('stark',        '9999.99 USD',  '2026-01-01', '2026-01-01T00:00:00Z'),
  ('wayne',        '0.00 USD',     '2026-01-01', '2026-01-01T00:00:00Z'),
  ('tyrell',       '1200.00 EUR',  '2026-01-01', '2026-01-01T00:00:00Z'),
  ('cyberdyne',    '300.00 USD',   '2026-01-01', '2026-01-01T00:00:00Z');
