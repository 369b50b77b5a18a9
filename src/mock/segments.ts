// Path segments as the sandbox reads them.

/** A malformed %-escape names nothing the sandbox has: kept as it is, so it is "not found", never a server error. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
