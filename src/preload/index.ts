/**
 * The preload: exposes one function per operation of the IPC contract, each bound to
 * its own channel. It never exposes ipcRenderer and offers no generic invoke.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, CHANNELS, type Bridge } from '../shared/ipc/contract.js';

const bridge = Object.freeze(
  Object.fromEntries(
    CHANNELS.map((channel) => [channel, (request?: unknown) => ipcRenderer.invoke(channel, request)]),
  ),
) as Bridge;

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
