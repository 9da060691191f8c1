-- A migrated database for the migration-followup example: customers and orders came across, invoices did not.
-- Run by verops (never by the agent) when the target database is prepared; safe to run again.
CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, total TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS invoices (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, issued_on TEXT NOT NULL);
INSERT OR IGNORE INTO schema_migrations (version, applied_at) VALUES
  ('2026_05_01_create_customers', '2026-05-01T09:00:00Z'),
  ('2026_05_02_create_orders',    '2026-05-02T09:00:00Z'),
  ('2026_05_03_create_invoices',  '2026-05-03T09:00:00Z');
INSERT OR IGNORE INTO customers (id, name) VALUES (1, 'Acme'), (2, 'Globex'), (3, 'Initech');
INSERT OR IGNORE INTO orders (id, customer_id, total) VALUES
  (1, 1, '120.00 USD'), (2, 1, '80.50 USD'), (3, 2, '1000.00 USD'), (4, 3, '15.25 GBP'), (5, 3, '99.99 GBP');
