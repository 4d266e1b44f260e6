/** Registers the dispatcher on Electron's ipcMain, one handler per contract channel. */
import { CHANNELS, type Dispatch, type IpcEventLike } from '../ipc/dispatcher.js';

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, payload: unknown) => Promise<unknown>): void;
}

export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload) => dispatch(channel, event, payload));
  }
}
