-- Version 3: till sessions for the cash-up. A cashier opens a session with a float, sells, and
-- closes it with the cash counted; the report compares that with the cash expected.
CREATE TABLE till_session (
    id         INTEGER PRIMARY KEY,
    operator   TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    float      INTEGER NOT NULL CHECK (float >= 0),
    closed_at  TEXT,
    counted    INTEGER CHECK (counted >= 0),
    CHECK ((closed_at IS NULL) = (counted IS NULL))
);
-- One open session per cashier at a time.
CREATE UNIQUE INDEX till_one_open ON till_session (operator) WHERE closed_at IS NULL;
CREATE INDEX till_by_opened ON till_session (opened_at);
CREATE INDEX payment_by_operator ON payment (operator, created_at);
