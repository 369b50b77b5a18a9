// The one rule for what an API key must look like, shared by the client, the sandbox and the mock so that
// none of them accepts a key another refuses. MultiSafepay's PHP SDK refuses keys under 5 characters
// (src/Client/ApiKey.php); real keys are 40 hex characters, but test setups use shorter placeholders.

export const MIN_API_KEY_LENGTH = 5;

/** Why `key` cannot be an API key, or null when it can. Surrounding whitespace does not count. */
export function apiKeyProblem(key: unknown): string | null {
  if (typeof key !== "string") return "the API key must be a string";
  const trimmed = key.trim();
  if (trimmed === "") return "the API key is empty";
  if (trimmed.length < MIN_API_KEY_LENGTH)
    return `the API key is too short (at least ${MIN_API_KEY_LENGTH} characters)`;
  // It travels in an HTTP header: a control or non-ASCII character there fails every request.
  if (!/^[\x21-\x7e]+$/.test(trimmed))
    return "the API key has characters an HTTP header cannot carry (spaces, control characters or non-ASCII)";
  return null;
}
