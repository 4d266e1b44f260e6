import { describe, expect, it } from 'vitest';
import { describeClient } from '../../src/core/net/user-agent.js';

describe('user agents in words', () => {
  it('name the browser, its major version and the system', () => {
    expect(describeClient('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe('Firefox 140 on Linux');
    expect(describeClient('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1')).toBe('Safari 18 on iOS');
    expect(describeClient('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0')).toBe('Edge 142 on Windows');
    expect(describeClient('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36')).toBe('Chrome 142 on macOS');
  });

  it('name a tool by its product token, and say when nothing is known', () => {
    expect(describeClient('curl/8.5.0')).toBe('curl 8');
    expect(describeClient('???')).toBe('Unknown browser');
    expect(describeClient('')).toBeNull();
    expect(describeClient(null)).toBeNull();
  });
});
