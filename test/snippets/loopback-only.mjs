// Preloaded (node --import) into every process the snippet test starts, shell blocks' node included
// (NODE_OPTIONS): a block may reach the sandbox on loopback and nothing else. A block written against
// MultiSafepay's hosts (`environment: "test"`, https://testapi.multisafepay.com) would otherwise call them
// whenever its request passes the client's checks; here its connection fails at once, before any DNS lookup,
// with an error that names the host. curl in shell blocks is held by a proxy variable (test/snippets.test.ts).
import net from "node:net";

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[?::1\]?|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connectToLoopbackOnly(...args) {
  // net.connect and tls.connect pass [options, callback] (normalized); a direct call passes options or port, host.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === "object" ? first : { port: first, host: args[1] };
  // A Unix socket names a path and no port (an https request's options also carry its URL's path).
  const pipe = typeof options.path === "string" && options.port === undefined;
  const host = typeof options.host === "string" && options.host !== "" ? options.host : "localhost";
  if (!pipe && !LOOPBACK.test(host)) {
    const error = Object.assign(
      new Error(`snippet test: ${host} is not loopback; code blocks run against the local sandbox only`),
      { code: "ECONNREFUSED" },
    );
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
