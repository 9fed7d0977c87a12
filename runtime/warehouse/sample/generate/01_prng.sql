-- A counter-based PRNG: rnd(row, salt) is a pure function of the row number, a per-column salt and the seed, so
-- DuckDB can generate rows in parallel and the same seed always yields the same data. The finaliser is MurmurHash3's
-- fmix32 (full avalanche on 32-bit input); all arithmetic stays below 2^64 so UBIGINT never overflows.
CREATE TEMP MACRO fmix_a(h) AS (xor(h, h >> 16) * 2246822507) % 4294967296;
CREATE TEMP MACRO fmix_b(h) AS (xor(h, h >> 13) * 3266489909) % 4294967296;
CREATE TEMP MACRO fmix(h) AS xor(fmix_b(fmix_a(h)), fmix_b(fmix_a(h)) >> 16);
CREATE TEMP MACRO rnd(i, salt) AS
  fmix((i::UBIGINT * 2654435761 + salt::UBIGINT * 1013904223 + {{seed}}::UBIGINT * 97) % 4294967296) / 4294967296.0;
-- Uniform integer in [lo, hi].
CREATE TEMP MACRO rint(i, salt, lo, hi) AS lo + floor(rnd(i, salt) * (hi - lo + 1))::BIGINT;
-- One element of a list, uniformly.
CREATE TEMP MACRO pick(xs, i, salt) AS xs[1 + floor(rnd(i, salt) * len(xs))::BIGINT];
