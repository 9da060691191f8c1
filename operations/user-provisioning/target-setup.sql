CREATE TABLE IF NOT EXISTS users (
  email      TEXT PRIMARY KEY,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  team       TEXT NOT NULL,
  created_at TEXT
);
