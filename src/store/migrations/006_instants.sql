-- Version 6: times are instants, kept in UTC (before, they were the theatre's wall-clock
-- times). The conversion of the times already stored needs the theatre's zone, which only the
-- program knows: this row says whether it was done, and from which zone ('' = not yet; a
-- database created at version 6 or later never held local times). See src/store/instants.rs.
CREATE TABLE time_zone (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    converted  TEXT NOT NULL
);
INSERT INTO time_zone (id, converted) VALUES (1, '');
