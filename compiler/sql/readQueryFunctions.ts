/**
 * The functions a model-written read query may call: an allow-list, so a function the engines add later (or one
 * we never heard of) is refused until someone decides it is pure. Everything here computes from its arguments only;
 * nothing reads files, settings, catalogs, sessions, sequences or the network, sleeps, or runs SQL given as text.
 * Generators (`range`, `generate_series`, `repeat_row`) are left out: one call can ask for 10^12 rows; so is
 * `histogram`, also a DuckDB table macro that reads any table named in a string. So are
 * functions whose output size is an argument (`repeat`, `lpad`, `rpad`, `printf` and `format` widths, `bar`): DuckDB's
 * memory limit does not cover a single value being built, and `repeat('x', 1500000000)` ran 18 s under a 1 GB limit.
 * So are `list_reduce` (its lambda's accumulator may double at every element: `(acc, x) -> acc || acc`) and
 * `list_aggregate` (it names the aggregate to run in a string, past this list). How far the rest may lengthen a value
 * is textGrowth.ts.
 * Names are lower case; DuckDB and Firebolt spellings both appear, an unknown one just fails in the engine.
 * The groups are for the error message and for review; the guard only asks whether a name is in one of them.
 * Also here: the names of the engines' own catalogs and session, refused as any name.
 */

export const READ_QUERY_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  aggregate: [
    'count', 'sum', 'avg', 'min', 'max', 'count_star', 'count_if', 'countif', 'mean', 'any_value', 'arbitrary',
    'first', 'last', 'arg_max', 'arg_min', 'argmax', 'argmin', 'max_by', 'min_by', 'median', 'mode', 'quantile',
    'quantile_cont', 'quantile_disc', 'percentile_cont', 'percentile_disc', 'approx_count_distinct',
    'approx_quantile', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr',
    'covar_pop', 'covar_samp', 'regr_slope', 'regr_intercept', 'regr_r2', 'regr_count', 'bool_and', 'bool_or',
    'string_agg', 'listagg', 'group_concat', 'array_agg', 'list', 'product', 'entropy', 'kurtosis',
    'skewness', 'geomean', 'geometric_mean', 'weighted_avg', 'wavg', 'bit_and', 'bit_or', 'bit_xor', 'fsum',
    'favg', 'kahan_sum', 'sumkahan', 'mad', 'sem', 'every', 'hll_count_distinct',
  ],
  window: [
    'row_number', 'rank', 'lag', 'lead', 'dense_rank', 'rank_dense', 'percent_rank', 'cume_dist', 'ntile',
    'first_value', 'last_value', 'nth_value', 'fill',
  ],
  'date and time': [
    'date_trunc', 'date_diff', 'extract', 'strftime', 'datetrunc', 'date_part', 'datepart', 'datediff', 'date_sub', 'datesub',
    'date_add', 'dateadd', 'age', 'last_day', 'make_date', 'make_time', 'make_timestamp', 'to_timestamp',
    'to_date', 'to_char', 'strptime', 'try_strptime', 'epoch', 'epoch_ms', 'year', 'quarter', 'month',
    'week', 'weekofyear', 'yearweek', 'day', 'dayofmonth', 'dayofweek', 'dayofyear', 'isodow', 'isoyear',
    'weekday', 'hour', 'minute', 'second', 'millisecond', 'microsecond', 'dayname', 'monthname', 'century',
    'decade', 'era', 'julian', 'time_bucket', 'days_in_month', 'now', 'today', 'get_current_timestamp',
    'get_current_time', 'transaction_timestamp', 'current_timestamp', 'current_date', 'localtimestamp',
    'to_days', 'to_hours', 'to_minutes', 'to_seconds', 'to_weeks', 'to_months', 'to_years', 'to_quarters',
    'to_milliseconds', 'to_microseconds', 'timezone', 'normalized_interval',
  ],
  string: [
    'lower', 'upper', 'concat', 'substring', 'lcase', 'ucase', 'initcap', 'length', 'len', 'char_length',
    'character_length', 'strlen', 'octet_length', 'bit_length', 'concat_ws', 'substr', 'left', 'right', 'position',
    'strpos', 'instr', 'contains', 'starts_with', 'ends_with', 'prefix', 'suffix', 'replace', 'translate', 'trim',
    'ltrim', 'rtrim', 'btrim', 'reverse', 'split_part', 'string_split', 'str_split',
    'string_to_array', 'split', 'regexp_matches', 'regexp_like', 'regexp_replace', 'regexp_extract',
    'regexp_extract_all', 'regexp_full_match', 'regexp_split_to_array', 'regexp_escape', 'like_escape',
    'ilike_escape', 'ascii', 'chr', 'unicode', 'ord', 'strip_accents', 'nfc_normalize',
    'levenshtein', 'damerau_levenshtein', 'jaro_similarity', 'jaro_winkler_similarity', 'jaccard', 'hamming',
    'mismatches', 'editdist3', 'md5', 'sha256', 'hash', 'to_base64', 'from_base64', 'base64', 'hex', 'unhex',
    'format_bytes', 'url_encode', 'url_decode', 'array_to_string', 'array_to_string_comma_default',
  ],
  math: [
    'round', 'abs', 'floor', 'ceil', 'sign', 'round_even', 'roundbankers', 'ceiling', 'trunc', 'mod', 'fmod',
    'fdiv', 'div', 'power', 'pow', 'sqrt', 'cbrt', 'exp', 'ln', 'log', 'log10', 'log2', 'pi', 'degrees',
    'radians', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'cot', 'sinh', 'cosh', 'tanh', 'gcd', 'lcm',
    'factorial', 'even', 'isnan', 'isinf', 'isfinite', 'add', 'subtract', 'multiply',
    'divide', 'width_bucket', 'equi_width_bins', 'xor', 'bit_count',
  ],
  conditional: ['coalesce', 'nullif', 'greatest', 'least', 'ifnull', 'nvl', 'zeroifnull', 'if', 'iff', 'typeof'],
  casting: ['cast', 'try_cast', 'to_number'],
  'list and struct': [
    'list_value', 'unnest', 'list_contains', 'array_length', 'list_pack', 'array_value', 'list_extract',
    'list_element', 'array_extract', 'element_at',
    'list_slice', 'array_slice', 'list_has', 'array_contains', 'array_has', 'list_has_any',
    'list_has_all', 'array_has_any', 'array_has_all', 'list_position', 'list_indexof', 'array_position',
    'array_indexof', 'cardinality', 'list_concat', 'list_cat', 'array_concat', 'array_cat',
    'list_append', 'array_append', 'list_prepend', 'array_prepend', 'list_distinct', 'array_distinct',
    'list_unique', 'array_unique', 'list_sort', 'array_sort', 'list_reverse_sort', 'array_reverse_sort',
    'list_reverse', 'array_reverse', 'list_transform', 'array_transform', 'list_apply', 'array_apply',
    'list_filter', 'array_filter',
    'list_sum', 'list_avg', 'list_min', 'list_max', 'list_count', 'list_first', 'list_last', 'list_string_agg',
    'list_intersect', 'array_intersect', 'flatten', 'struct_pack', 'struct_extract', 'struct_insert',
    'row', 'map', 'map_extract', 'map_keys', 'map_values', 'map_entries', 'json_extract', 'json_extract_string',
    'json_value', 'json_array_length', 'json_keys', 'json_valid', 'json_type', 'json_object', 'json_array',
    'to_json', 'array_zip', 'list_zip',
  ],
};

/** Table functions allowed in FROM: only ones whose output is bounded by their input. */
export const READ_QUERY_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['unnest']);

const allowed = new Set(Object.values(READ_QUERY_FUNCTIONS).flat());

export const isReadQueryFunction = (name: string): boolean => allowed.has(name.toLowerCase());

/**
 * Names of the engines' own catalogs, settings and session, which read no warehouse data but tell the database's
 * path, settings and users (`duckdb_databases`, `pragma_database_list`, `pg_catalog.pg_settings`, `current_user`).
 * DuckDB resolves them quoted or not, with or without parentheses, so they are refused as any name.
 */
const ENGINE_CATALOG_NAME = /^(duckdb_|pragma_|pg_|sqlite_)|^(information_schema|pg_catalog|system|current_catalog|current_schema|current_user|current_role|session_user|user)$/;

export const isEngineCatalogName = (name: string): boolean => ENGINE_CATALOG_NAME.test(name.toLowerCase());

/** A few names per group, for a refusal the model can act on without a list of hundreds. */
export const readQueryFunctionSummary = (): string =>
  Object.entries(READ_QUERY_FUNCTIONS).map(([group, names]) => `${group} (${names.slice(0, 4).join(', ')}, …)`).join('; ');
