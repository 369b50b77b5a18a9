// MultiSafepay's own notification checks, run as themselves: the Python SDK's algorithm in python3 (stdlib
// only) and the PHP SDK's in php. Each takes a batch, so a property test starts one process per run.
//
// python-sdk @f643ae06 src/multisafepay/util/webhook.py (Webhook.validate): json.loads the body, json.dumps it
// with separators=(",", ":") and ensure_ascii=False, HMAC-SHA512 over "<timestamp>:" + that, keyed with the
// stripped API key, compared with the hex after the first ":" of the base64-decoded Auth header.
// php-sdk @c4673135 src/Util/Notification.php (verifyNotification): the same HMAC over the raw body, with
// trim($apiKey) and hash_equals. (Both SDKs' time checks are left out: the tests pass fixed timestamps.)
import { execFileSync, spawnSync } from "node:child_process";

export interface Signed {
  body: string;
  auth: string;
  apiKey: string;
}

const PYTHON_VERIFY = `
import base64, hashlib, hmac, json, sys
out = []
for case in json.load(sys.stdin):
    request, auth, api_key = case["body"], case["auth"], case["apiKey"]
    transaction_json = json.loads(request)
    transaction_compact_json = json.dumps(transaction_json, separators=(",", ":"), ensure_ascii=False)
    timestamp, sha512hex_payload = base64.b64decode(auth).decode().split(":")
    payload = f"{timestamp}:{transaction_compact_json}"
    hash_ = hmac.new(api_key.strip().encode(), payload.encode(), hashlib.sha512).hexdigest()
    out.append(hash_ == sha512hex_payload)
json.dump(out, sys.stdout)
`;

const PYTHON_IDENTITY = `
import json, sys
json.dump([json.dumps(json.loads(b), separators=(",", ":"), ensure_ascii=False) == b for b in json.load(sys.stdin)], sys.stdout)
`;

const PHP_VERIFY = `
$out = [];
foreach (json_decode(stream_get_contents(STDIN), true) as $case) {
    [$timestamp, $sha512hexPayload] = explode(':', base64_decode($case['auth']));
    $hash = hash_hmac('sha512', $timestamp . ':' . $case['body'], trim($case['apiKey']));
    $out[] = hash_equals($hash, $sha512hexPayload);
}
echo json_encode($out);
`;

// What PHP's json_encode writes for the decoded body, with the flags the real bodies show (raw UTF-8 and
// slashes, zero fractions kept) and line terminators raw (as Python writes them; PHP would escape U+2028).
const PHP_IDENTITY = `
$out = [];
foreach (json_decode(stream_get_contents(STDIN), true) as $body) {
    $out[] = json_encode(json_decode($body), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_UNESCAPED_LINE_TERMINATORS) === $body;
}
echo json_encode($out);
`;

function has(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0;
}

export const HAS_PYTHON = has("python3");
export const HAS_PHP = has("php");

function run(command: string, args: string[], input: unknown): boolean[] {
  return JSON.parse(execFileSync(command, args, { input: JSON.stringify(input), encoding: "utf8" })) as boolean[];
}

/** MultiSafepay's Python SDK's verdict on each notification. */
export const pythonSdkVerifies = (cases: Signed[]): boolean[] => run("python3", ["-c", PYTHON_VERIFY], cases);
/** Whether Python's compact re-serialization gives each body back byte for byte. */
export const pythonKeepsBytes = (bodies: string[]): boolean[] => run("python3", ["-c", PYTHON_IDENTITY], bodies);
/** MultiSafepay's PHP SDK's verdict on each notification (raw body). */
export const phpSdkVerifies = (cases: Signed[]): boolean[] => run("php", ["-r", PHP_VERIFY], cases);
/** Whether PHP's json_encode of the decoded body gives each body back byte for byte. */
export const phpWritesBytes = (bodies: string[]): boolean[] => run("php", ["-r", PHP_IDENTITY], bodies);
