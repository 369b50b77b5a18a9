import type { IncomingMessage, Server, ServerResponse } from "node:http";
export interface Routes {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}
export declare function createDocsServer(docsFile: string, routes?: Routes): Server;
/** The paths the docs page links to on its own origin (Redoc's menu), "/" included. */
export declare function pageRoutes(html: string): string[];
export declare function portFree(port: number, host: string): Promise<NodeJS.ErrnoException | null>;
