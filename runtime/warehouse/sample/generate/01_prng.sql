-- A counter-based PRNG: rnd(row, salt) is a pure function of the row number, a per-column salt and the seed, so
-- DuckDB generates rows in parallel and the same seed always yields the same data (for a given DuckDB release,
-- whose built-in hash is the mixer). 53 bits of the 64-bit hash make a double in [0, 1), never 1.
CREATE TEMP MACRO rnd(i, salt) AS (hash(i::BIGINT, salt::INTEGER, {{seed}}::INTEGER) >> 11) / 9007199254740992.0;
-- Uniform integer in [lo, hi].
CREATE TEMP MACRO rint(i, salt, lo, hi) AS lo + floor(rnd(i, salt) * (hi - lo + 1))::BIGINT;
-- One element of a list, uniformly.
CREATE TEMP MACRO pick(xs, i, salt) AS xs[1 + floor(rnd(i, salt) * len(xs))::BIGINT];
