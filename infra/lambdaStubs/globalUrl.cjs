// Stands in, inside Lambda bundles only, for whatwg-url: node-fetch 2 prefers node:url's URL and only falls back to
// whatwg-url's, so Node's WHATWG URL classes are what it uses either way (see infra/bundle.ts).
module.exports = { URL, URLSearchParams };
