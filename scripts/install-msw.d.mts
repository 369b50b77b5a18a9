export const MSW: Record<string, { version: string; node: string }>;
export function mswDir(major: string | number): string;
export function installMsw(major: string | number): boolean;
