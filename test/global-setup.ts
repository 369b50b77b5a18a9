// Builds dist/ once before any test: the consumer, example and sandbox tests use the built package.
import { execFileSync } from "node:child_process";

export default function setup() {
  execFileSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
}
