export declare const docsFile: string;
/** Where `npm start` serves the sandbox's control API page. */
export declare const SANDBOX_DOCS_PATH: string;
/** The sandbox page built beside a main page (site/sandbox.html beside site/index.html). */
export declare function sandboxDocsFile(file: string): string;
/** The contract as the page shows it: x-codeSamples on every operation, the package's version. */
export declare function pageSpec(options?: { sandboxPage?: boolean }): PageSpec;
export interface CodeSample {
  lang: "TypeScript" | "Shell";
  label: string;
  source: string;
}
export interface PageSpec {
  info: { title: string; version: string; description: string; contact?: { name?: string; url?: string } };
  paths: Record<string, Record<string, { operationId?: string; "x-codeSamples"?: CodeSample[] }>>;
  [key: string]: unknown;
}
/** Builds the Redoc page (into site/index.html unless told otherwise), and the sandbox's beside it when its contract exists; returns the main page's path. */
export declare function buildDocs(out?: string): string;
/** The pages built once per input, kept in .cache/docs/ (for the tests). */
export declare function cachedDocs(): string;
