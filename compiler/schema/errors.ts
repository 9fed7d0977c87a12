/**
 * Turning ajv's errors into catalog diagnostics at the offending YAML node. ajv reports every failing branch of a
 * `oneOf`; we keep the branch the value was evidently written for (its type fits and its key is present) and
 * otherwise say once which forms are allowed, as an analyst needs.
 */
import type { ErrorObject } from 'ajv';
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import { locate, type PathSegment } from '../load/locate.ts';
import type { ParsedFile } from '../load/source.ts';
import { NAME_PATTERN } from './common.ts';
import { dropUnchosenBranches } from './branches.ts';

type Schema = Record<string, unknown>;

export const segmentsOf = (pointer: string): string[] =>
  pointer ? pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [];

export const fieldName = (path: readonly PathSegment[]): string =>
  path.reduce<string>((out, s) => (/^\d+$/.test(String(s)) ? `${out}[${s}]` : out ? `${out}.${s}` : String(s)), '') ||
  'spec';

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;

const expected = (type: unknown): string =>
  [type].flat().map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`)).join(' or ');

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

function toDiagnostic(file: ParsedFile, error: ErrorObject): Diagnostic | undefined {
  const path = segmentsOf(error.instancePath);
  const field = fieldName(path);
  const schema = (error.parentSchema ?? {}) as Schema;
  const params = error.params as Record<string, unknown>;
  const at = locate(file, path);
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return diagnostic(catalog.missingField, at, [missing, path.length ? ` in ${field}` : '']);
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const allowed = Object.keys((schema.properties as Schema | undefined) ?? {});
      return unknownName(catalog.unknownField, locate(file, [...path, extra], { key: true }), extra, allowed);
    }
    case 'type':
      return diagnostic(catalog.wrongType, at, [field, expected(params.type), describe(error.data)]);
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? (schema.enum as unknown[]) : [schema.const]).map(shown);
      return unknownName(catalog.notAllowed, at, shown(error.data), allowed, [field, allowed.join(', ')]);
    }
    case 'discriminator': {
      if (params.tagValue === undefined) return undefined; // `required: [kind]` reports it
      const kinds = ((schema.oneOf as Schema[]) ?? []).map((b) => shown((b.properties as Schema).kind && ((b.properties as Schema).kind as Schema).const));
      return unknownName(catalog.notAllowed, locate(file, [...path, 'kind']), shown(params.tagValue), kinds, [`${field === 'spec' ? '' : `${field}.`}kind`, kinds.join(', ')]);
    }
    case 'pattern': {
      const key = error.propertyName;
      const value = key ?? shown(error.data);
      const where = key === undefined ? at : locate(file, [...path, key], { key: true });
      if (schema.pattern === NAME_PATTERN) return diagnostic(catalog.invalidName, where, [value]);
      return diagnostic(catalog.patternMismatch, where, [field, value, String(schema.description ?? schema.pattern)]);
    }
    case 'minLength':
    case 'maxLength': {
      const length = String(error.data).length;
      if (schema.maxLength === undefined && length === 0) return diagnostic(catalog.emptyList, at, [field]);
      return diagnostic(catalog.lengthOutOfRange, at, [field, length, Number(schema.minLength ?? 0), String(schema.maxLength ?? 'any')]);
    }
    case 'minimum':
    case 'maximum':
      return diagnostic(catalog.valueOutOfRange, at, [field, shown(error.data), Number(schema.minimum), Number(schema.maximum)]);
    case 'minItems':
    case 'minProperties':
      return diagnostic(catalog.emptyList, at, [field]);
    case 'oneOf':
    case 'anyOf': {
      const forms = ((schema[error.keyword] as Schema[]) ?? []).map((b) => shown((b.required as string[] | undefined)?.[0] ?? b.const));
      return diagnostic(catalog.noMatchingForm, at, [field, forms.join(', ')]);
    }
    default:
      return undefined; // `if`, `propertyNames`: summaries of errors reported on their own
  }
}

export function shapeDiagnostics(file: ParsedFile, errors: ErrorObject[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of dropUnchosenBranches(errors)) {
    const d = toDiagnostic(file, error);
    const key = d && `${d.code}:${d.start}:${d.message}`;
    if (d && key && !seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}
