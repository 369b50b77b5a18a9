export declare function guardSpec<T>(spec: T, roots: string[]): T;
export declare function guardRefusals(spec: unknown): [pointer: string, reason: string][];
export declare function requestRoots(spec: unknown): string[];
export declare function orderTypes(spec: unknown): Record<string, string>;
export declare function requestBodies(spec: unknown): string[];
export declare function bodyOperations(
  spec: unknown,
): { method: string; path: string; query: string[]; schema: string }[];
export declare function operations(spec: unknown): { method: string; path: string; query: string[]; schema?: string }[];
