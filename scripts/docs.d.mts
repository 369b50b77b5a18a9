export declare const docsFile: string;
export declare function buildDocs(): string;
