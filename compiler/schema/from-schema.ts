/**
 * The TypeScript type a JSON Schema describes, derived at compile time from the `as const` schema object, so the
 * schema is written once and the types cannot drift from what ajv accepts. Covers the subset our schemas use:
 * const, enum, oneOf/anyOf, type (single or list), array items, object properties/required/additionalProperties.
 * `if`/`then` and `allOf` only add constraints, so they do not change the type.
 */
type Primitive<T> = T extends 'string' ? string
  : T extends 'number' | 'integer' ? number
  : T extends 'boolean' ? boolean
  : T extends 'null' ? null
  : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<S> = S extends { required: readonly (infer R)[] } ? R & string : never;

type ObjectOf<S, P> = Simplify<
  { -readonly [K in keyof P & RequiredKeys<S>]: FromSchema<P[K]> } & {
    -readonly [K in Exclude<keyof P, RequiredKeys<S>>]?: FromSchema<P[K]>;
  }
>;

export type FromSchema<S> = S extends { const: infer C } ? C
  : S extends { enum: readonly (infer E)[] } ? E
  : S extends { oneOf: readonly (infer U)[] } ? FromSchema<U>
  : S extends { anyOf: readonly (infer U)[] } ? FromSchema<U>
  : S extends { type: 'array'; items: infer I } ? FromSchema<I>[]
  : S extends { type: 'object'; properties: infer P } ? ObjectOf<S, P>
  : S extends { type: 'object'; additionalProperties: infer A } ? Record<string, FromSchema<A>>
  : S extends { type: readonly (infer T)[] } ? Primitive<T>
  : S extends { type: infer T } ? Primitive<T>
  : unknown;
