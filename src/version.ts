/** This package's version, as in package.json (test/observability.test.ts holds them equal): in the User-Agent. */
export const VERSION = "0.1.0";
