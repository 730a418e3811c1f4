-- Version 9: operators. A PIN is kept only as an Argon2 hash. Wrong PINs in a row count
-- towards a lockout; the journal keeps every attempt, lockout and change.
CREATE TABLE operator (
    name          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'admin')),
    pin_hash      TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until  TEXT,
    created_at    TEXT NOT NULL
);
