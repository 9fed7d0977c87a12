/**
 * Checks and converts a tool call's parameters by the types the spec declares. Bedrock sends every value as a
 * string (action-group events carry `{name, type, value}` with `value` a string), in-process engines send native
 * values; both end up as the declared type here, so executors only ever see clean values.
 *
 * Rules: unknown names are refused (with the allowed list), missing required ones are named, `default` fills the
 * rest, `enum` is checked after conversion, and a parameter resolved as a date must be a calendar day YYYY-MM-DD.
 * Values `null`/`undefined`/`''` count as absent.
 */
import type { ManifestParameter, ManifestTool, ParameterType } from '../../compiler/manifest.ts';
import { ToolFailure } from './toolFailure.ts';
import type { ToolParams } from './toolbox.ts';

export type ParameterValue = string | number | boolean | Array<string | number | boolean>;
export type CheckedParams = Record<string, ParameterValue>;

export function checkParameters(tool: ManifestTool, raw: ToolParams): CheckedParams {
  const declared = new Map(tool.parameters.map((p) => [p.name, p]));
  const unknown = Object.keys(raw).filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    const allowed = tool.parameters.map((p) => p.name).join(', ') || '(none)';
    throw new ToolFailure('invalid_parameter', `Unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} for ${tool.name}; allowed: ${allowed}.`);
  }
  const checked: CheckedParams = {};
  for (const parameter of tool.parameters) {
    const value = raw[parameter.name];
    if (isAbsent(value)) {
      if (parameter.default !== undefined) checked[parameter.name] = parameter.default;
      else if (parameter.required) throw new ToolFailure('invalid_parameter', `Missing required parameter ${parameter.name} (${parameter.type}): ${parameter.description}`);
      continue;
    }
    checked[parameter.name] = checkDate(parameter, checkEnum(parameter, convert(parameter, value)));
  }
  return checked;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A parameter the spec resolves as a date (`resolve: {date: start|end}`) reaches SQL that compares it with date
 * columns, where anything but a calendar day fails as the warehouse's conversion error; it is named here instead.
 */
function checkDate(parameter: ManifestParameter, value: ParameterValue): ParameterValue {
  if (!parameter.resolve || !('date' in parameter.resolve)) return value;
  const match = typeof value === 'string' ? ISO_DATE.exec(value.trim()) : null;
  const [year, month, day] = (match?.slice(1) ?? []).map(Number);
  const date = match ? new Date(Date.UTC(year!, month! - 1, day!)) : undefined;
  if (!date || date.getUTCFullYear() !== year || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) {
    throw new ToolFailure('invalid_parameter', `Parameter ${parameter.name} must be a date in the form YYYY-MM-DD (e.g. 2026-03-31); got ${preview(value)}.`);
  }
  return (value as string).trim();
}

const isAbsent = (value: unknown): boolean => value === undefined || value === null || value === '';

function convert(parameter: ManifestParameter, value: unknown): ParameterValue {
  const converted = converters[parameter.type](value);
  if (converted === undefined) {
    throw new ToolFailure('invalid_parameter', `Parameter ${parameter.name} must be ${describe(parameter.type)}; got ${preview(value)}.`);
  }
  return converted;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return undefined;
};

const scalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const converters: Record<ParameterType, (value: unknown) => ParameterValue | undefined> = {
  string: (value) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    // Objects arrive from in-process engines for JSON-carrying string parameters (sql_write `values`, webhook
    // `payload`); executors parse them back, exactly as they parse the JSON text Bedrock sends.
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return JSON.stringify(value);
    return undefined;
  },
  number: toNumber,
  integer: (value) => {
    const n = toNumber(value);
    return n !== undefined && Number.isInteger(n) ? n : undefined;
  },
  boolean: (value) => {
    if (typeof value === 'boolean') return value;
    if (typeof value !== 'string') return undefined;
    const text = value.trim().toLowerCase();
    return text === 'true' ? true : text === 'false' ? false : undefined;
  },
  array: (value) => {
    if (Array.isArray(value)) return value.every(scalar) ? value : undefined;
    if (typeof value !== 'string') return undefined;
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) && parsed.every(scalar) ? parsed : undefined;
      } catch {
        return undefined;
      }
    }
    return text.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  },
};

function checkEnum(parameter: ManifestParameter, value: ParameterValue): ParameterValue {
  if (!parameter.enum) return value;
  const allowed = parameter.enum;
  const bad = (Array.isArray(value) ? value : [value]).filter((item) => !allowed.includes(String(item)));
  if (bad.length > 0) {
    throw new ToolFailure('invalid_parameter', `Parameter ${parameter.name} must be one of ${allowed.join(', ')}; got ${bad.map(preview).join(', ')}.`);
  }
  return value;
}

const describe = (type: ParameterType): string =>
  ({
    string: 'a string',
    number: 'a number (e.g. 75 or 0.5)',
    integer: 'a whole number (e.g. 30)',
    boolean: 'true or false',
    array: 'a list: a JSON array ["a","b"] or comma-separated text',
  })[type];

const preview = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
