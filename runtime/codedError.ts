/** The runtime's coded errors extend the one base, which lives in the base layer so infra can extend it too. */
export { CodedError } from '../compiler/codedError.ts';
