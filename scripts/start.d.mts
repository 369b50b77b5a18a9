import type { Server } from "node:http";
export declare function createDocsServer(docsFile: string): Server;
