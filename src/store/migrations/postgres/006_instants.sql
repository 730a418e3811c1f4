-- Version 6 (see ../006_instants.sql): times are instants in UTC; whether the times stored
-- before were converted, and from which zone.
CREATE TABLE time_zone (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    converted  TEXT NOT NULL
);
INSERT INTO time_zone (id, converted) VALUES (1, '');
