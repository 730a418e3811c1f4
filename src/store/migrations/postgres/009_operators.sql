-- Version 9 (see ../009_operators.sql): operators.
CREATE TABLE operator (
    name          TEXT NOT NULL PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'admin')),
    pin_hash      TEXT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failures      BIGINT NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until  TEXT COLLATE "C",
    created_at    TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX operator_by_lower_name ON operator (lower(name));
