import type Ajv2020 from "ajv/dist/2020.js";
export declare function addSpecFormats<T>(ajv: T): T;
export declare function createSpecAjv(options?: Record<string, unknown>): Promise<Ajv2020>;
