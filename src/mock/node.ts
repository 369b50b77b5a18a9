// The sandbox for Node (dist/sandbox.js): the node:http server behind `npm start` and the
// `multisafepay-kbc-sandbox` bin. Not a public export; the bin and the repo's scripts import it by path.
export {
  createSandboxRoutes,
  createSandboxServer,
  withTransactionId,
  type SandboxRoutes,
  type SandboxRoutesOptions,
} from "./server.js";
export { parseHostList } from "./hosts.js";
export { HELP, listen, portProblem, runSandboxCli, type CliIo } from "./cli.js";
