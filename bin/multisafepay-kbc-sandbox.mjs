#!/usr/bin/env node
// npx multisafepay-kbc-sandbox --port 4010: the sandbox from the installed package (see --help).
import { runSandboxCli } from "../dist/sandbox.js";

const server = await runSandboxCli(process.argv.slice(2));
if (typeof server === "number") process.exit(server);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
