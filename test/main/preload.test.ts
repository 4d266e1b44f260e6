/** The preload, with Electron's two modules faked: what exactly reaches the page. */
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, CHANNELS } from '../../src/shared/ipc/contract.js';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, send: vi.fn(), on: vi.fn() },
}));

describe('the preload bridge', () => {
  it('exposes one frozen function per operation, bound to its channel, and nothing else', async () => {
    await import('../../src/preload/index.js');
    expect(Object.keys(exposed)).toEqual([BRIDGE_GLOBAL]);
    const api = exposed[BRIDGE_GLOBAL] as Record<string, (request?: unknown) => Promise<unknown>>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual([...CHANNELS].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');

    await api.signIn!({ name: 'a', password: 'b' });
    expect(invoke).toHaveBeenLastCalledWith('signIn', { name: 'a', password: 'b' });
    await api.listSessions!({ uid: 3 });
    expect(invoke).toHaveBeenLastCalledWith('listSessions', { uid: 3 });
    expect(invoke).toHaveBeenCalledTimes(2);
  });
});
