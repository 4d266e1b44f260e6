/**
 * "Firefox 140 on Linux" from a browser's user agent, with a maintained parser (bowser,
 * MIT) rather than hand-written patterns. The full string stays available beside it.
 */
import Bowser from 'bowser';
import { memoized } from '../memo.js';

const SHORT_NAMES: Record<string, string> = { 'Microsoft Edge': 'Edge', 'Opera Touch': 'Opera', 'Samsung Internet for Android': 'Samsung Internet' };

export function describeClient(agent: string | null): string | null {
  const text = agent?.trim() ?? '';
  return text === '' ? null : describe(text);
}

const describe = memoized((text: string): string => {
  let browser: string | null = null;
  let os: string | null = null;
  try {
    const parsed = Bowser.parse(text);
    const name = parsed.browser.name ? (SHORT_NAMES[parsed.browser.name] ?? parsed.browser.name) : null;
    const major = parsed.browser.version?.split('.')[0];
    browser = name ? `${name}${major ? ` ${major}` : ''}` : null;
    os = parsed.os.name ?? null;
  } catch {
    // Not something bowser reads: the product token below.
  }
  // A script or tool ("curl/8.5.0"): its name and major version.
  const product = /^([A-Za-z][\w.-]*)\/(\d+)/.exec(text);
  const named = browser ?? (product ? `${product[1]} ${product[2]}` : 'Unknown browser');
  return os ? `${named} on ${os}` : named;
});
