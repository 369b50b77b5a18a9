export declare function schemaTable(
  spec: unknown,
  validators: Record<string, string>,
): { table: unknown[]; entries: Record<string, number> };
