/** "Firefox 140 on Linux" from a user agent string; the full string goes in a tooltip. */
export function describeUserAgent(agent: string): string {
  const browser =
    match(agent, /Edg\/(\d+)/, 'Edge') ??
    match(agent, /OPR\/(\d+)/, 'Opera') ??
    match(agent, /Firefox\/(\d+)/, 'Firefox') ??
    match(agent, /Chrome\/(\d+)/, 'Chrome') ??
    match(agent, /Version\/(\d+)[^)]*Safari/, 'Safari') ??
    agent.split(/[\s/]/)[0] ??
    'Unknown browser';
  const os = /iPhone|iPad/.test(agent)
    ? 'iOS'
    : /Android/.test(agent)
      ? 'Android'
      : /Mac OS X/.test(agent)
        ? 'macOS'
        : /Windows/.test(agent)
          ? 'Windows'
          : /Linux/.test(agent)
            ? 'Linux'
            : null;
  return os ? `${browser} on ${os}` : browser;
}

function match(agent: string, pattern: RegExp, name: string): string | null {
  const found = pattern.exec(agent);
  return found ? `${name} ${found[1]}` : null;
}
