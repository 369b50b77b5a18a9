export declare const docsFile: string;
/** Builds the Redoc page (into docs/index.html unless told otherwise) and returns its path. */
export declare function buildDocs(out?: string): string;
/** The page built once per spec, kept in .cache/docs/ (for the tests). */
export declare function cachedDocs(): string;
