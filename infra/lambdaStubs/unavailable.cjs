// Stands in, inside Lambda bundles only, for packages @slack/bolt imports for receivers we never run there
// (Express, Socket Mode): the runtime uses its own Fetch receiver. Using it fails loudly, naming the package.
const fail = () => {
  throw new Error('RV_LAMBDA_STUB: this package is not bundled for Lambda (see infra/bundle.ts)');
};
module.exports = new Proxy(fail, { get: (_target, key) => (key === '__esModule' ? false : fail), apply: fail, construct: fail });
